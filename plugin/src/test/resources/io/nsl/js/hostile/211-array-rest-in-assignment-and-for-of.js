// expect: GAS_EXHAUSTED
// gas: 60000
// charged: limit
// A rest element copies in an assignment (`[x, ...r] = a`, no declaration) and in a for-of head as
// well as in a declaration (hostile 185): fill is 15,000 of the gas, each copy of 60,000 elements
// another 15,000.
function main() {
  const a = new Array(60000).fill(1);
  let t = 0;
  let x;
  let r;
  for (let i = 0; i < 5; i++) {
    [x, ...r] = a;
    t += r.length;
    for (const [y, ...s] of [a]) t += y + s.length;
  }
  return t;
}
