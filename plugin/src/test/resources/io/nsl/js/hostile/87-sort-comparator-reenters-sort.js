// expect: OK
// result: [[1,2,3,4,5],50]

// A comparator that sorts the same array again, nested 50 deep: each sort works on its own copy.
function main() {
  const a = [5, 3, 1, 4, 2];
  let reentries = 0;
  let depth = 0;
  let deepest = 0;
  function cmp(x, y) {
    if (reentries < 50) {
      reentries++; depth++; deepest = Math.max(deepest, depth);
      a.sort(cmp);
      depth--;
    }
    return x - y;
  }
  a.sort(cmp);
  return [a, deepest];
}
