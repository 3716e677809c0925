// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// `f(...a)` passes 60,000 arguments in one statement and `...r` gathers them again; a function
// entry charges the arguments it is given past the first GasTable.FREE_ARGUMENTS.
function f(...r) { return r.length; }
function main() {
  const a = new Array(60000).fill(1);
  let t = 0;
  for (let i = 0; i < 100; i++) t += f(...a);
  return t;
}
