// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// A length set by `Reflect.set(a, 'length', n)`: a call, not a property write of the function's
// code. Stores 1,000 apart inside it make GraalJS fill the 999 holes between each; so does a store
// past the end of an array whose length was set that way, then stores below it (decision 0712,
// seventh session).
function main() {
  const a = [];
  Reflect.set(a, 'length', 20000 * 1000);
  for (let k = 0; k < 20000; k++) a[k * 1000] = k;
  const b = Array(20000 * 1000);
  b[20000 * 1000 + 1] = 0;
  for (let k = 0; k < 20000; k++) b[k * 1000] = k;
  return a.length + b.length;
}
