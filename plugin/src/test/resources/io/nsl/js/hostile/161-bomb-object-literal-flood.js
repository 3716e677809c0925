// expect: MEMORY_LIMIT
// gas: 100000000
// memory: 1048576
// A 1 MiB budget keeps the test quick on a loaded machine: the same count stops the default 128 MiB
// 128 times later (docs/performance.md, "Memory budget", has the time it takes).
// An object literal per statement, each holding the last: 64 bytes each.
function main(){ let o = null; for (;;) o = { next: o } }
