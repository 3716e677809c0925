// expect: OK
// memory: 1048576
// result: [10,10]
// Map.set of a key already there and Set.add of a value already there make no entry: they count
// no bytes (40,000 calls at 96 bytes would be 3.7 MiB, over this 1 MiB budget).
function main() {
  const m = new Map();
  const s = new Set();
  for (let i = 0; i < 20000; i++) {
    m.set(i % 10, i);
    s.add(i % 10);
  }
  return [m.size, s.size];
}
