// expect: RUNTIME_ERROR
function main(){ return crypto.randomBytes(1e6) }
