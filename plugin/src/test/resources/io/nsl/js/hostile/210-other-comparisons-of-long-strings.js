// expect: GAS_EXHAUSTED
// gas: 140000
// charged: limit
// The other comparisons scan too: `!==`, `==`, `!=`, `>=`, `>` and a `switch` case (a `===`) of
// two different, equal 1 MiB strings; each is charged like `===` (hostile 192).
function main() {
  const a = 'x'.repeat(1 << 20);
  const b = 'y'.repeat(1).replace('y', 'x') + a.substring(1);
  let t = 0;
  for (let i = 0; i < 100; i++) {
    if (a !== b) t--;
    if (a == b) t++;
    if (a != b) t--;
    if (a >= b) t++;
    if (a > b) t--;
    switch (a) {
      case b:
        t++;
    }
  }
  return t;
}
