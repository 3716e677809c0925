// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// `Array(n)` called without `new` (and through an alias) makes the same length with no elements as
// `new Array(n)`, but no allocation site of the function's code sees it. Stores 1,000 apart into
// it, upwards and downwards, make GraalJS fill the 999 holes between each (decision 0712, seventh
// session: an array of 1,024 or more first seen by a store is probed for its elements).
function main() {
  const a = Array(20000 * 1000);
  for (let k = 0; k < 20000; k++) a[k * 1000] = k;
  const make = Array;
  const b = make(20000 * 1000);
  for (let k = 20000; k > 0; k--) b[k * 1000 - 1] = k;
  return a.length + b.length;
}
