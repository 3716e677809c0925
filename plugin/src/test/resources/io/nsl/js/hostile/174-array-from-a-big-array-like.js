// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// Array.from makes 100,000 elements in one statement; it charges the elements it made.
function main() {
  let t = 0;
  for (let i = 0; i < 100; i++) t += Array.from({ length: 100000 }).length;
  return t;
}
