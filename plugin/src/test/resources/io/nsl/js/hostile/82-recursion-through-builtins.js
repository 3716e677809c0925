// expect: RUNTIME_ERROR
// Built-in frames between the function's own calls make each level heavier on the stack.
function f(){ return [0].map(f) }
function main(){ try { return f() } catch (e) { return 'caught ' + e } }
