// expect: MEMORY_LIMIT
// gas: 100000000
// A template literal builds its string as `+` does, and is counted the same way.
function main(){ let s = 'xy'; for (;;) s = `${s}${s}` }
