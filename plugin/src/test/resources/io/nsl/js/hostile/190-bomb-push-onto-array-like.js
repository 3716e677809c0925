// expect: MEMORY_LIMIT
// gas: 100000000
// memory: 1048576
// push called on an ordinary object with a length adds a property a call: counted as an element.
function main(){ const o = { length: 0 }; for (;;) Array.prototype.push.call(o, 1) }
