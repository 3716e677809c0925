// expect: OK
// result: true
function main(){ return Object.getOwnPropertyNames(log).every(n => ['length','name','prototype'].includes(n)) }
