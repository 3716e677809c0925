// expect: OK
// result: 5
function main(){ Promise.prototype.then = function(){}; return 5 }
