// expect: RESULT_INVALID
function main(){ const o = {}; o.self = o; return o }
