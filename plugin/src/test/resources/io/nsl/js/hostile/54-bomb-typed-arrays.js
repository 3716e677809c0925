// expect: MEMORY_LIMIT
// gas: 100000000
function main(){ const a = []; for(;;) a.push(new Float64Array(1e6)) }
