// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// Each store lands 999 past the array's end: GraalJS fills the 999 holes and grows its backing
// store, ~20 us of CPU for what was one statement (the CPU-per-gas worst, 8,167 ns per gas).
// Charged by the holes it leaves past the end (decision 0712), the loop runs out of gas long
// before its end.
function main() {
  const a = [];
  for (let k = 0; k < 20000; k++) a[k * 1000] = k;
  return a.length;
}
