// expect: MEMORY_LIMIT
// gas: 100000000
// memory: 1048576
// A Map subclass whose size getter always answers 0 cannot hide its new entries from the count:
// the Map.set wrapper asks the original size getter, not the receiver's `size`.
class M extends Map {
  get size() { return 0; }
}
function main(){ const m = new M(); for (let i = 0; ; i++) m.set(i, i) }
