// expect: RESULT_INVALID
function main(){ return function(){} }
