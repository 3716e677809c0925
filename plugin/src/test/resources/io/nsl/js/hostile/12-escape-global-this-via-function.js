// expect: OK
// result: "undefined"
function main(){ const g = Function('return this')(); return typeof g.Java }
