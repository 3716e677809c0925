// expect: SYNTAX_ERROR
function main( { return 1 }
