// expect: MEMORY_LIMIT
// gas: 100000000
function main(){ const a = []; for (;;) a.push('y'.repeat(1000) + 'z') }
