// expect: FORBIDDEN
async function main(){ return (await fetch('file:///etc/passwd')).text() }
