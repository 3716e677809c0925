// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// Stores 1,000 apart into the length `new Array(n)` set: inside the length, so not past the end,
// but GraalJS fills the 999 holes after the last element all the same. `new Array(n)` starts a
// record of no elements; each store is charged the holes between it and the elements stored
// before (decision 0712, sixth session).
function main() {
  const a = new Array(20000 * 1000);
  for (let k = 0; k < 20000; k++) a[k * 1000] = k;
  const b = new Array(20000 * 1000);
  for (let k = 20000; k > 0; k--) b[k * 1000 - 1] = k;
  return a.length + b.length;
}
