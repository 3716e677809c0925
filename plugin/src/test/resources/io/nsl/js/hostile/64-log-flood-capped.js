// expect: OK
// result: 1
function main(){ for (let i = 0; i < 10000; i++) log('line ' + i); return 1 }
