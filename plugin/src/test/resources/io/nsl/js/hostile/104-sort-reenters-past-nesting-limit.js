// expect: RUNTIME_ERROR
// message: Array.prototype.sort was called from its own comparator more than 100 levels deep
// charged: limit
// A comparator that sorts again, 2,900 deep: the prelude's sort frames would run out of stack
// before the call-depth limit, at a point that depends on the JIT; the sort's own nesting count
// (100) stops it first, the same everywhere.
function main() {
  const a = [5, 3, 1, 4, 2];
  let re = 0;
  function cmp(x, y) { if (re < 2900) { re++; a.sort(cmp); } return x - y; }
  try { a.sort(cmp); } catch (e) { return 'caught ' + e }
  return re;
}
