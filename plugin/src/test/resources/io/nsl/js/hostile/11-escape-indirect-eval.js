// expect: OK
// result: "undefined"
function main(){ return (0, eval)('typeof Polyglot') }
