// expect: MEMORY_LIMIT
// gas: 100000000
// memory: 1048576
// The Map and Set size getters are reachable (getOwnPropertyDescriptor); one given an own `call`
// that always answers 0 must not hide new entries from the count: the wrappers call the getters
// through a bound function, never through their `call` property.
for (const C of [Map, Set]) {
  const g = Object.getOwnPropertyDescriptor(C.prototype, 'size').get;
  try { Object.defineProperty(g, 'call', { value() { return 0; } }); } catch (e) { /* frozen */ }
}
function main(){ const m = new Map(); const s = new Set(); for (let i = 0; ; i++) { m.set(i, i); s.add(i); } }
