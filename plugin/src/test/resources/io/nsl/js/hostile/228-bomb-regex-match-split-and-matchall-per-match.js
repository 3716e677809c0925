// expect: GAS_EXHAUSTED
// gas: 40000
// charged: limit
// Many matches in one statement: `match(/a/g)` (an array of one-character matches), `split` with a
// regex separator (GraalJS tries the separator at every position of the string: with no match at
// all, as many tries as characters), and `matchAll` drained by a spread or `Array.from` (a match
// object per step). Charged by the characters and the result's elements only, this ran in 28,522
// gas; charged per match, per position a regex split tries and per step of a matchAll iterator
// (decision 0712, seventh session), it stops at the limit.
function main() {
  const s = 'a'.repeat(20000);
  const c = 'a,'.repeat(10000);
  let t = s.match(/a/g).length;
  t += s.split(/(?:)/).length;
  t += s.split(/,/).length;
  t += [...s.matchAll(/a/g)].length;
  t += Array.from(s.matchAll(/a/g)).length;
  t += c.split(/,/).length;
  return t;
}
