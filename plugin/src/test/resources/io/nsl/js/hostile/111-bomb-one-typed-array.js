// expect: MEMORY_LIMIT
// gas: 100000000
// 160 MB in one allocation: counted when the typed array is made, the run stops there.
function main(){ const t = new Float64Array(2e7); return t.length }
