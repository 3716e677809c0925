// expect: RUNTIME_ERROR
// gas: 200000
// Each catch recursed again at the bottom of the stack, where the cancel itself overflowed and was
// caught: it outlived its deadline and forced an engine replacement. The depth limit stops it.
function f(){ try { return f() } catch (e) { return f() } }
function main(){ return f() }
