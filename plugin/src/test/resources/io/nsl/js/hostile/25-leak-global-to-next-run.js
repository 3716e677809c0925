// expect: OK
// result: 1
globalThis.leak = 'from a previous run';
function main(){ return 1 }
