// expect: GAS_EXHAUSTED
function main(){ return [3,2,1].sort(() => { for(;;){} }) }
