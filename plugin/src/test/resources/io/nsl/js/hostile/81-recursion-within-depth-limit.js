// expect: OK
// result: 2900
function depth(n){ return n === 0 ? 0 : 1 + depth(n - 1) }
function main(){ return depth(2900) }
