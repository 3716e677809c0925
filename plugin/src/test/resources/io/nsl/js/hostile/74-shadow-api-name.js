// expect: OK
// result: "mine"
function log(){ return 'mine' }
function main(){ return log() }
