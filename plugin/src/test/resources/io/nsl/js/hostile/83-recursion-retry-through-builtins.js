// expect: RUNTIME_ERROR
// gas: 500000
function f(){ try { return [0].map(f) } catch (e) { return [0].map(f) } }
function main(){ return f() }
