// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// encodeURIComponent and localeCompare walk a 300,000-character string in one statement; they
// charge its characters.
function main() {
  const s = 'a b'.repeat(100000);
  let t = 0;
  for (let i = 0; i < 20; i++) t += encodeURIComponent(s).length + s.localeCompare(s + '');
  return t;
}
