// expect: OK
// result: [6,3,2,3,2,"1267650600228229401496703205376"]
// Spread, rest, destructuring, Set/Map construction and BigInt arithmetic of everyday size run as
// before: the charges only show on big data.
function sum(...r) { let s = 0; for (const v of r) s += v; return s; }
function main() {
  const a = [1, 2, 3];
  const [first, ...rest] = a;
  const o = { ...{ x: 1, y: 2 }, z: 3 };
  return [sum(...a), [...a].length, rest.length, Object.keys(o).length + first - 1,
    new Map([[1, 2], [3, 4]]).size + new Set(a).size - 3, String(2n ** 100n)];
}
