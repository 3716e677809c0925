// expect: OK
// result: "ok"
function main(){ try { Error.prepareStackTrace = () => 'x' } catch (e) {} return 'ok' }
