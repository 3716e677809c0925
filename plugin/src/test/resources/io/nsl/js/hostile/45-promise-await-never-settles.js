// expect: RUNTIME_ERROR
async function main(){ await new Promise(() => {}); return 1 }
