// expect: TIMEOUT
function main(){ return /^(a+)+\1$/.test('a'.repeat(32) + 'c') }
