// expect: GAS_EXHAUSTED
function main(){ while (true); }
