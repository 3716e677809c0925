// expect: RUNTIME_ERROR
// Catching the overflow does not resume the run: the call-depth limit stops it (same gas everywhere).
function main(){ try { (function f(){ f() })() } catch (e) {} return 'ok' }
