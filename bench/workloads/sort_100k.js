// Sort 100k numbers (deterministic LCG input).
function main() {
  const a = new Array(100000);
  let s = 12345;
  for (let i = 0; i < a.length; i++) { s = (s * 1103515245 + 12345) & 0x7fffffff; a[i] = s; }
  a.sort((x, y) => x - y);
  return a[50000];
}
