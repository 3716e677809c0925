// expect: INVALID_INPUT
// input: {} x
function main(i){ return 1 }
