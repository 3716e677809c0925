// expect: MEMORY_LIMIT
// gas: 100000000
// memory: 1048576
// A 1 MiB budget keeps the test quick on a loaded machine: the same count stops the default 128 MiB
// 128 times later (docs/performance.md, "Memory budget", has the time it takes).
// Each new Set entry counts 96 bytes (a value already in the set counts nothing).
function main(){ const s = new Set(); for (let i = 0; ; i++) s.add(i) }
