// expect: RUNTIME_ERROR
function main(){ return new Promise(() => {}) }
