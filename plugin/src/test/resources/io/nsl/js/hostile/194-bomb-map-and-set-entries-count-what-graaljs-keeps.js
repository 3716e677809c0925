// expect: MEMORY_LIMIT
// gas: 100000000
// memory: 1048576
// A Map or Set entry keeps ~90 bytes in GraalJS 25.0.3 (decision 0710, fourth session: 91 a Map
// entry, 88 a Set entry of an integer, retained heap of 1 M entries), so each new entry counts 96.
// 6,000 of each is 1,152,000 bytes, past this 1 MiB budget; at the 64 bytes counted before, the
// same function passed (768,000) holding more than the budget says.
function main() {
  const m = new Map();
  const s = new Set();
  for (let i = 0; i < 6000; i++) {
    m.set(i, i);
    s.add(i);
  }
  return [m.size, s.size];
}
