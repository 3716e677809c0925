// expect: GAS_EXHAUSTED
function main(){ for(;;){ try { for(;;){} } catch (e) { } finally { continue } } }
