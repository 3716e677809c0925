// expect: RUNTIME_ERROR
function main(){ throw new Proxy({}, { get(){ throw new Error('trap') }, ownKeys(){ throw new Error('trap') } }) }
