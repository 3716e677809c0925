// expect: OK
// result: {"a":1}
function main(){ JSON.stringify = () => '"forged"'; return {a: 1} }
