// expect: MEMORY_LIMIT
// gas: 100000000
// memory: 1048576
// push with more than one argument takes the wrapper's other path (the one-argument call is
// counted inline): eight elements a call, 8 bytes each, still counted.
function main(){ const a = []; for (;;) a.push(1, 2, 3, 4, 5, 6, 7, 8) }
