// expect: GAS_EXHAUSTED
function main(){ for(;;){ try { crypto.sha256('x'.repeat(100000)) } catch (e) {} } }
