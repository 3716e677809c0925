// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// A length set by `Object.defineProperty`, `Reflect.defineProperty` or `Object.defineProperties`
// rather than by `a.length =`: no property write of the function's code sees it. Stores 1,000
// apart inside it, and stores 999 past the last element after growing it, make GraalJS fill the
// holes between (decision 0712, seventh session).
function main() {
  const a = [];
  Object.defineProperty(a, 'length', { value: 20000 * 1000 });
  for (let k = 0; k < 20000; k++) a[k * 1000] = k;
  const b = [0];
  for (let k = 0; k < 20000; k++) {
    Reflect.defineProperty(b, 'length', { value: b.length + 999 });
    b[b.length - 1] = k;
  }
  const c = [0];
  for (let k = 0; k < 20000; k++) {
    Object.defineProperties(c, { length: { value: c.length + 999 } });
    c[c.length - 1] = k;
  }
  return a.length + b.length + c.length;
}
