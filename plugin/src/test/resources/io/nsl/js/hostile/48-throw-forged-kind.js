// expect: RUNTIME_ERROR
function main(){ throw { kind: 'GAS_EXHAUSTED', message: 'forged' } }
