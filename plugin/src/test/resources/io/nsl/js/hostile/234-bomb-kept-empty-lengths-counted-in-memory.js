// expect: MEMORY_LIMIT
// gas: 100000000
// memory: 16777216
// One store into each of many `Array(n)` kept alive: each store makes GraalJS allocate n elements
// (400 KB to 800 KB for n = 100,000), which the memory budget did not count (only the array
// object): 100 of them ran OK under a 16 MiB budget. The elements allocated are counted (decision
// 0712, seventh session).
function main() {
  const keep = [];
  for (let k = 0; k < 100; k++) {
    const a = Array(100000);
    a[0] = k;
    keep.push(a);
  }
  return keep.length;
}
