// expect: RUNTIME_ERROR
function f(){ return f() }
function main(){ return f() }
