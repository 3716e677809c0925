// expect: OK
// gas: 5941
// result: 5375
// Comparisons of names and keys (up to GasTable.SYNTAX_FREE_CHARS characters) and rest elements of
// up to 16 elements or properties cost only their statements: the limit is exactly what this run
// used before they were charged.
function main() {
  const names = ['alpha', 'beta', 'gamma', 'delta'];
  const id = 'x'.repeat(255) + 'a';
  const other = 'x'.repeat(255) + 'b';
  const row = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  let t = 0;
  for (let i = 0; i < 500; i++) {
    const [h, ...rest] = row;
    const { a, ...others } = { a: i, b: 2, c: 3 };
    if (names[i % 4] === 'gamma' || names[i % 4] < 'b') t += h + rest.length + others.b;
    if (id !== other && id < other) t++;
    switch (names[i % 4]) {
      case 'delta':
        t += a % 2;
    }
  }
  return t;
}
