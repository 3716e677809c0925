// expect: GAS_EXHAUSTED
for(;;){}
function main(){ return 1 }
