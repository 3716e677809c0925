// expect: GAS_EXHAUSTED
function main(){ return new Proxy({}, { ownKeys(){ for(;;){} } }) }
