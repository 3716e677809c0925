// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// fill and copyWithin called on an array-like define or move a property for every index up to its
// `length` (a String object's, a getter's, an object's own): one statement made an object of
// 200,000 properties, uncharged because only a real array's length was counted. Charged the
// length the built-in reads (decision 0712, eighth session: array-likes).
function main() {
  const P = Array.prototype;
  let t = 0;
  for (let k = 0; k < 20; k++) {
    const o = { length: 200000 };
    P.fill.call(o, k);
    P.copyWithin.call(o, 0, 100000);
    const g = { get length() { return 100000; } };
    P.fill.call(g, k, 99990);
    t += o[199999] + g[99999];
  }
  return t;
}
