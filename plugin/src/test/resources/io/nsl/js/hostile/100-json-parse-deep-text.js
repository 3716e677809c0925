// expect: RUNTIME_ERROR
// message: JSON.parse was given data nested deeper than 1000 levels
// charged: limit
// JSON text nested deeper than the nesting limit: the run stops at a count, not where the JVM's
// stack happens to run out, and catching does not go on.
function main() {
  const n = 200000;
  try { return JSON.parse('['.repeat(n) + ']'.repeat(n)).length } catch (e) { return 'caught ' + e }
}
