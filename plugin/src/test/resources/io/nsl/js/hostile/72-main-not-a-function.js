// expect: RUNTIME_ERROR
var main = 5
