// expect: RUNTIME_ERROR
function main(){ let s = 'x'; for(;;) s += s }
