// expect: RESULT_INVALID
function main(){ return 10n }
