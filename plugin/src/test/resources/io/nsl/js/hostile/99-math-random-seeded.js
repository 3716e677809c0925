// expect: OK
// result: [true,true,true]
// Math.random is a seeded PRNG: in [0, 1), not constant, and the same sequence on every run of the
// same request (MathRandomTest checks the sequence itself).
function main() {
  const xs = [];
  for (let i = 0; i < 1000; i++) xs.push(Math.random());
  return [xs.every((x) => x >= 0 && x < 1), new Set(xs).size === 1000, typeof Math.random === 'function'];
}
