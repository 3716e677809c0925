// expect: OK
// result: "undefinedundefined"
function main(){ return typeof setTimeout + typeof setInterval }
