// expect: GAS_EXHAUSTED
// gas: 70000
// charged: limit
// A rest element in a parameter pattern copies too: each call of f copies 19,999 of o's properties
// (hostile 191 does it in a declaration). Building o is ~61,000 of the gas.
function f({ k0, ...r }) {
  return k0 + r.k19999;
}
function main() {
  const o = {};
  for (let i = 0; i < 20000; i++) o['k' + i] = i;
  let t = 0;
  for (let i = 0; i < 10; i++) t += f(o);
  return t;
}
