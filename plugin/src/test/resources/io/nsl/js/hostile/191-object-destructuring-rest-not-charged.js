// expect: OK
// gas: 70000
// result: 199990
// Known gap (decision 0712): `const {k0, ...r} = o` copies all but one of o's 20,000 properties
// into r in one statement, and no site the gas instrument sees makes r, so 10 copies cost about 10
// statements (building o is ~61,000 of the gas; charged at one gas a property, the copies would
// pass the 70,000 limit). The deadline bounds such a loop. When this is charged, this run ends
// GAS_EXHAUSTED: change the expectation then.
function main() {
  const o = {};
  for (let i = 0; i < 20000; i++) o['k' + i] = i;
  let t = 0;
  for (let i = 0; i < 10; i++) {
    const { k0, ...r } = o;
    t += k0 + r.k19999;
  }
  return t;
}
