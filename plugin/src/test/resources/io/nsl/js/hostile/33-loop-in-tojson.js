// expect: GAS_EXHAUSTED
function main(){ return { toJSON(){ for(;;){} } } }
