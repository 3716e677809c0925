// expect: RESULT_TOO_LARGE
function main(){ return 'x'.repeat(100000) }
