// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// Function.prototype.apply and Reflect.apply spread an array of 60,000 into arguments in one
// statement; they charge the arguments.
function main() {
  const a = new Array(60000).fill(1);
  let t = 0;
  for (let i = 0; i < 100; i++) t += Math.max.apply(null, a) + Reflect.apply(Math.min, null, a);
  return t;
}
