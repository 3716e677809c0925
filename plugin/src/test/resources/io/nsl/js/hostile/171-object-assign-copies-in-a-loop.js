// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// Object.assign copies 20,000 properties in one statement; it charges the keys it copied.
function main() {
  const o = {};
  for (let k = 0; k < 20000; k++) o['k' + k] = k;
  let t = 0;
  for (let i = 0; i < 300; i++) t += Object.assign({}, o).k0;
  return t;
}
