// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// The callback methods that skip holes (forEach, map, filter, every, some, reduce, reduceRight,
// flatMap) called on an array-like with a large `length` and no elements loop over every index
// and never call the callback, so no statement of the function runs: each call was charged its one
// statement (find and its kin call the callback for every index, and pay for it). Charged the
// length the built-in reads (decision 0712, eighth session: array-likes).
function main() {
  const like = { length: 200000 };
  const P = Array.prototype;
  const f = (x) => x;
  const methods = [P.forEach, P.map, P.filter, P.every, P.some, P.reduce, P.reduceRight, P.flatMap];
  let t = 0;
  for (let k = 0; k < 10; k++) {
    for (let m = 0; m < methods.length; m++) methods[m].call(like, f, 0);
    t++;
  }
  return t;
}
