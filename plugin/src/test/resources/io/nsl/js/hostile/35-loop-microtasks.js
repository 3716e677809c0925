// expect: GAS_EXHAUSTED
// gas: 200000
function main(){ function f(){ Promise.resolve().then(f) } f(); return new Promise(() => {}) }
