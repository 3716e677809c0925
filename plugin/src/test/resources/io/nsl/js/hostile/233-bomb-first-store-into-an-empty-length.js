// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// The first store into an array with a length and no elements makes GraalJS allocate the whole
// length at once when it is under 1,000,000 (~0.2 ms of CPU for one statement, 100,000 ns of CPU
// per gas before this was charged): `new Array(n)`, `Array(n)`, `a.length = n` on an empty array,
// an append. Charged the length it allocates (decision 0712, seventh session).
function main() {
  let t = 0;
  for (let k = 0; k < 200; k++) {
    const a = new Array(999999);
    a[5] = k;
    const b = Array(999999);
    b[0] = k;
    const c = [];
    c.length = 999999;
    c[c.length - 1] = k;
    const d = Array(999990);
    d[d.length] = k;
    t += a.length + b.length + c.length + d.length;
  }
  return t;
}
