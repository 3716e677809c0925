// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// A spread call passes 60,000 arguments to String.fromCharCode in one statement (the everyday
// bytes-to-string idiom); the built-ins that take any number of arguments charge them.
function main() {
  const a = new Array(60000).fill(65);
  let t = 0;
  for (let i = 0; i < 100; i++) t += String.fromCharCode(...a).length + Math.max(...a);
  return t;
}
