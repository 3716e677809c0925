// expect: RUNTIME_ERROR
function main(){ return new ArrayBuffer(2 ** 33).byteLength }
