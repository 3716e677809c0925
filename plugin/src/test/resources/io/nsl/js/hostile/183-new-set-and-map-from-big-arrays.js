// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// `new Set(a)` and `new Map(entries)` add every element in one statement; each entry added
// through set/add is charged as an element touched.
function main() {
  const a = [];
  for (let k = 0; k < 20000; k++) a.push(k);
  const e = [];
  for (let k = 0; k < 2000; k++) e.push([k, k]);
  let t = 0;
  for (let i = 0; i < 100; i++) t += new Set(a).size + new Map(e).size;
  return t;
}
