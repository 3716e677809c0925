// expect: GAS_EXHAUSTED
function main(){ const e = new Error('x'); Object.defineProperty(e, 'message', { get(){ for(;;){} } }); throw e }
