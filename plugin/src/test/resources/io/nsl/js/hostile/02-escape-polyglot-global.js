// expect: OK
// result: "undefined"
function main(){ return typeof Polyglot }
