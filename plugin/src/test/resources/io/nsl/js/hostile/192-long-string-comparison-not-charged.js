// expect: OK
// gas: 140000
// result: 300
// Known gap (decision 0712): `===`, `<=`, `<` of two different 1 MiB strings that are equal scan
// every character, and GraalJS shows the gas instrument only the boolean, so each costs one
// operator (building the strings is ~131,000 of the gas, the loop under 2,000; charged at one gas
// per 16 characters, the first comparisons would pass the limit). The deadline bounds such a loop.
// When this is charged, this run ends GAS_EXHAUSTED: change the expectation then.
function main() {
  const a = 'x'.repeat(1 << 20);
  const b = 'y'.repeat(1).replace('y', 'x') + a.substring(1);
  let t = 0;
  for (let i = 0; i < 100; i++) {
    if (a === b) t++;
    if (a <= b) t++;
    if (!(a < b)) t++;
  }
  return t;
}
