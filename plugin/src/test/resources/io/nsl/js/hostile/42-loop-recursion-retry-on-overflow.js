// expect: TIMEOUT
// gas: 200000
function f(){ try { return f() } catch (e) { return f() } }
function main(){ return f() }
