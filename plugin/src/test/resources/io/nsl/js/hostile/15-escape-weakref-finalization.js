// expect: OK
// result: "undefinedundefined"
function main(){ return typeof WeakRef + typeof FinalizationRegistry }
