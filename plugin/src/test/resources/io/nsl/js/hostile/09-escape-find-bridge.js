// expect: OK
// result: []
function main(){ return Object.getOwnPropertyNames(globalThis).filter(n => /bridge|nsl|host/i.test(n)) }
