// expect: GAS_EXHAUSTED
function main(){ for(;;) crypto.sha256('x'.repeat(1000)) }
