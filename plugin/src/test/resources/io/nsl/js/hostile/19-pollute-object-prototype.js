// expect: OK
// result: true
function main(){ Object.prototype.polluted = 1; return ({}).polluted === undefined }
