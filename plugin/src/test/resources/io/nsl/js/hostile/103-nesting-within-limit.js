// expect: OK
// result: [1000,1,true]
// Nesting up to the limit (1,000) works in JSON.parse, JSON.stringify and flat.
function main() {
  const n = 1000;
  let a = 1;
  for (let i = 0; i < n; i++) a = [a];
  const s = JSON.stringify(a);
  let d = 0;
  for (let v = JSON.parse(s); Array.isArray(v); v = v[0]) d++;
  return [d, a.flat(Infinity)[0], s.length === 2 * n + 1];
}
