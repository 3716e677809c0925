// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// `{...o}` copies every property of a 20,000-key object in one statement; an object literal with a
// spread charges the properties it ends with.
function main() {
  const o = {};
  for (let k = 0; k < 20000; k++) o['k' + k] = k;
  let t = 0;
  for (let i = 0; i < 100; i++) t += ({ ...o }).k1;
  return t;
}
