// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// Stores 1,000 apart with the index falling: only the first lands past the array's end, the
// others inside its length, below its lowest element, where GraalJS fills the 999 holes between
// and grows its store at the front (~9 us of CPU for one statement). Charged by the holes between
// the index and the span of elements the function's stores made (decision 0712, sixth session).
function main() {
  const a = [];
  for (let k = 20000; k > 0; k--) a[k * 1000] = k;
  return a.length;
}
