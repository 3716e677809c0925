// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// RegExp test scans 1 M characters in one statement; it charges the characters it scans from.
function main() {
  const s = 'ab'.repeat(500000);
  let t = 0;
  for (let i = 0; i < 100; i++) t += /c/.test(s) ? 1 : 0;
  return t;
}
