// expect: RESULT_INVALID
function main(){ return { toJSON(){ throw new Error('no') } } }
