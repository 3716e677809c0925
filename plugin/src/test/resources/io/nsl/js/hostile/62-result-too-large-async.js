// expect: RESULT_TOO_LARGE
async function main(){ return new Array(20000).fill('abcd') }
