// expect: GAS_EXHAUSTED
// gas: 70000
// charged: limit
// `const {k0, ...r} = o` copies all but one of o's 20,000 properties into r in one statement; the
// variable a rest element writes is charged by the properties of the object it receives (decision
// 0712, GasTable.PROPERTY_DEFINED): building o is ~61,000 of the gas, one copy ~20,000 more.
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
