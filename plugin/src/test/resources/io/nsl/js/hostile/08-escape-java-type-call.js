// expect: RUNTIME_ERROR
function main(){ return Java.type('java.lang.System').exit(1) }
