// expect: OK
// gas: 30000
// result: 600000
// Known gap (decision 0712): `const [x, ...r] = a` copies all but one element into r in one
// statement, and no site the gas instrument sees makes r, so 10 copies of 60,000 elements cost
// about 10 statements (fill is 15,000 of the gas; one charged copy would pass the 30,000 limit).
// The deadline bounds such a loop. When this is charged, this run ends GAS_EXHAUSTED: change the
// expectation then.
function main() {
  const a = new Array(60000).fill(1);
  let t = 0;
  for (let i = 0; i < 10; i++) {
    const [x, ...r] = a;
    t += x + r.length;
  }
  return t;
}
