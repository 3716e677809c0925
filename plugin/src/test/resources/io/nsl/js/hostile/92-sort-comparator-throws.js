// expect: RUNTIME_ERROR

// A comparator that throws halfway: the exception leaves the sort, the array is left as it was.
function main() {
  const a = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
  let calls = 0;
  a.sort((x, y) => { if (++calls === 500) throw new Error('comparator gave up'); return x - y; });
  return a;
}
