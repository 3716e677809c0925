// expect: RUNTIME_ERROR
throw new Error('at load');
function main(){ return 1 }
