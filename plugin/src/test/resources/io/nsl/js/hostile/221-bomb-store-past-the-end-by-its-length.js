// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// The same holes with the index computed from the length (`b[b.length + 999] = x`), into an array
// that is not empty, and by a string key ('' + i is the same element as i): each store is charged
// the 999 holes it leaves past the end.
function main() {
  const b = [0];
  for (let k = 0; k < 10000; k++) b[b.length + 999] = k;
  const c = [];
  for (let k = 0; k < 10000; k++) c['' + k * 1000] = k;
  return b.length + c.length;
}
