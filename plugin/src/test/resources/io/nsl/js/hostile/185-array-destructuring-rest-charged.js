// expect: GAS_EXHAUSTED
// gas: 30000
// charged: limit
// `const [x, ...r] = a` copies all but one element into r in one statement; the variable a rest
// element writes is charged by the array it receives (decision 0712, GasTable.ELEMENTS_PER_GAS):
// fill is 15,000 of the gas and one copy of 60,000 elements another 15,000, so the loop runs out.
function main() {
  const a = new Array(60000).fill(1);
  let t = 0;
  for (let i = 0; i < 10; i++) {
    const [x, ...r] = a;
    t += x + r.length;
  }
  return t;
}
