// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// `const [x, ...r] = a` copies all but one element into r in one statement; the rest array is
// charged by its elements as an array literal is.
function main() {
  const a = new Array(60000).fill(1);
  let t = 0;
  for (let i = 0; i < 100; i++) {
    const [x, ...r] = a;
    t += x + r.length;
  }
  return t;
}
