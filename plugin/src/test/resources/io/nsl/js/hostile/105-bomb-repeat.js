// expect: MEMORY_LIMIT
// gas: 100000000
// One statement asks for 512 MiB of string: refused before it is built (counted budget).
function main(){ return 'x'.repeat(2 ** 28).length }
