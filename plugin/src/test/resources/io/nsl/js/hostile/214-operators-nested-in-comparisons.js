// expect: OK
// result: [true,true,true,"caught",true,true]
// Comparisons take their operands' values from the gas instrument (decision 0712); operators nested
// inside their operands, one that throws while the comparison waits for it, and a comparison that
// recurses into itself through an operand must all still work (the tests run with assertions on,
// where Truffle checks the instrumented tree).
function thrower() { throw new Error('no'); }
function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }
function cmp(n) { return n <= 0 || (cmp(n - 1) === (n - 1 >= 0)); }
function main() {
  const n = 3;
  const s = 'x'.repeat(7);
  let caught = '';
  try {
    if (s.length === 2 * thrower() + 1) caught = 'no';
  } catch (e) {
    caught = 'caught';
  }
  return [s.length === 2 * n + 1, (1 + 2) * n < (3 * 4) - -n, 'a' + s !== s + 'a' || s + s > s,
    caught, depth(50) + 1 === 51 && ('k' in { k: 1 }) === true, cmp(20)];
}
