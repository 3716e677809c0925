// expect: GAS_EXHAUSTED
function main(){ return { get x(){ for(;;){} } } }
