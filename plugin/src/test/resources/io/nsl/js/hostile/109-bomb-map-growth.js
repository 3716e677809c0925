// expect: MEMORY_LIMIT
// gas: 100000000
function main(){ const m = new Map(); for (let i = 0; ; i++) m.set(i, i) }
