// expect: OK
// result: "ok"
function main(){ try { (function f(){ f() })() } catch (e) {} return 'ok' }
