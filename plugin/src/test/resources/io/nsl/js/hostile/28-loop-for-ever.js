// expect: GAS_EXHAUSTED
function main(){ for(;;){} }
