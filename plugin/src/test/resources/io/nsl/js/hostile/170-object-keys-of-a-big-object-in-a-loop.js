// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// One statement lists 20,000 keys; 300 of them list 6 M keys (seconds of CPU) for a few hundred
// statements' gas. Object.keys, values and entries charge the keys they list.
function main() {
  const o = {};
  for (let k = 0; k < 20000; k++) o['k' + k] = k;
  let t = 0;
  for (let i = 0; i < 100; i++) t += Object.keys(o).length + Object.values(o).length + Object.entries(o).length;
  return t;
}
