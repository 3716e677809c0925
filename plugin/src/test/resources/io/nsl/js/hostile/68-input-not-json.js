// expect: INVALID_INPUT
// input: {not json
function main(i){ return 1 }
