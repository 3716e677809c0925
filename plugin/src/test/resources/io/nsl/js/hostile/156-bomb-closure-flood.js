// expect: MEMORY_LIMIT
// gas: 100000000
// memory: 1048576
// A 1 MiB budget keeps the test quick on a loaded machine: the same count stops the default 128 MiB
// 128 times later (docs/performance.md, "Memory budget", has the time it takes).
// A closure per statement: each function literal counts 88 bytes (MemoryBudget.FUNCTION_BYTES),
// its place in the array 8.
function main(){ const a = []; for (let i = 0; ; i++) a.push(() => i) }
