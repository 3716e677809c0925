// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// Array.prototype's search and reorder methods called on an array-like (an object with a large
// `length` and few or no elements) visit every index up to that length in one statement: indexOf,
// lastIndexOf, includes, join with an empty separator, reverse. The prelude counted only a real
// array's length, so 20 rounds of 400,000 indexes ran for their statements (~1 s of CPU for ~1,100
// gas). Charged the length the built-in reads (decision 0712, eighth session: array-likes).
function main() {
  const like = { length: 400000, 0: 'a' };
  const P = Array.prototype;
  let t = 0;
  for (let k = 0; k < 20; k++) {
    t += P.indexOf.call(like, 'b') + P.lastIndexOf.call(like, 'b');
    t += P.includes.call(like, 'b') ? 1 : 0;
    t += P.join.call(like, '').length;
    P.reverse.call(like);
  }
  return t;
}
