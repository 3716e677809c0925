// expect: RUNTIME_ERROR
// message: JSON.stringify was given data nested deeper than 1000 levels
// charged: limit
// A value nested deeper than the nesting limit: stopped by count, and not catchable.
function main() {
  let o = [];
  for (let i = 0; i < 200000; i++) o = [o];
  try { return JSON.stringify(o).length } catch (e) { return 'caught ' + e }
}
