// expect: RUNTIME_ERROR
function helper(){ return 1 }
