// expect: MEMORY_LIMIT
// gas: 100000000
function main(){ return ''.padStart(1e9, 'ab').length }
