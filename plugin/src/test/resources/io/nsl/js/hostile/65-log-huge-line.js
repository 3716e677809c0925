// expect: OK
// result: 1
function main(){ log('x'.repeat(1000000)); return 1 }
