// expect: MEMORY_LIMIT
// gas: 100000000
function main(){ let o = null; for (;;) o = { next: o, pair: [1, 2] } }
