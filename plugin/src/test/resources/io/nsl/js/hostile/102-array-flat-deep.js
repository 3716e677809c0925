// expect: RUNTIME_ERROR
// message: Array.prototype.flat was given data nested deeper than 1000 levels
// charged: limit
// flat(Infinity) of an array nested deeper than the nesting limit: stopped by count.
function main() {
  let a = [1];
  for (let i = 0; i < 200000; i++) a = [a];
  try { return a.flat(Infinity) } catch (e) { return 'caught ' + e }
}
