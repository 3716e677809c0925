// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// `[...a]` copies 60,000 elements in one statement; the array literal charges its elements
// (GasTable.ELEMENTS_PER_GAS), so 100 copies cost far more than 100 statements.
function main() {
  const a = new Array(60000).fill(1);
  let t = 0;
  for (let i = 0; i < 100; i++) t += [...a].length;
  return t;
}
