// expect: OK
// result: "undefinedundefined"
function main(){ return typeof require + typeof process }
