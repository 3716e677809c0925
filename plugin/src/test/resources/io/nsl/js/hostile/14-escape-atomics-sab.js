// expect: OK
// result: "undefinedundefined"
function main(){ return typeof Atomics + typeof SharedArrayBuffer }
