// expect: MEMORY_LIMIT
// gas: 100000000
// One typed array of 256 MiB: counted as it returns (its buffer is made, then the run stops).
function main(){ return new Uint8Array(2 ** 28).length }
