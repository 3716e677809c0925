// expect: RUNTIME_ERROR
function main(){ return Promise.reject(42) }
