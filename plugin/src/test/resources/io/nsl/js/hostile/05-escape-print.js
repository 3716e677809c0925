// expect: OK
// result: "undefined"
function main(){ return typeof print === 'undefined' && typeof printErr === 'undefined' ? 'undefined' : 'present' }
