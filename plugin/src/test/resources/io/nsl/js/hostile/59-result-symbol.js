// expect: RESULT_INVALID
function main(){ return Symbol('x') }
