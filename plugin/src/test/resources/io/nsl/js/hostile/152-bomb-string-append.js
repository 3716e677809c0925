// expect: MEMORY_LIMIT
// gas: 100000000
// memory: 1048576
// Appending 8 characters a statement: each `+=` counts the 16 bytes it adds, not the whole string
// (a 1 MiB budget keeps the test quick, on a loaded machine too; the default takes 8 M appends).
function main(){ let s = ''; for (;;) s += 'abcdefgh' }
