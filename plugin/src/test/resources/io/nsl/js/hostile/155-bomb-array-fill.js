// expect: MEMORY_LIMIT
// gas: 100000000
// new Array(n) is holes (counted when filled); fill makes 2^25 elements: 256 MiB, refused before it
// fills them.
function main(){ return new Array(2 ** 25).fill(0).length }
