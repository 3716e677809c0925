// expect: GAS_EXHAUSTED
// gas: 140000
// charged: limit
// `===`, `<=`, `<` of two different 1 MiB strings that are equal scan every character; a comparison
// of two strings is charged by the characters it may scan (decision 0712, GasTable.CHARS_PER_GAS):
// building the strings is ~131,000 of the gas, one comparison 65,536 more.
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
