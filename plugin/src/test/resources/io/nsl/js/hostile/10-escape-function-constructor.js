// expect: OK
// result: "undefined"
function main(){ return (function(){}).constructor('return typeof Java')() }
