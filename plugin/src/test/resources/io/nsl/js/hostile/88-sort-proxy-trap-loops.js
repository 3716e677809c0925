// expect: GAS_EXHAUSTED

// Array.prototype.sort.call(proxy): the sort reads through the traps, and trap code is charged.
function main() {
  const p = new Proxy({ length: 3, 0: 3, 1: 1, 2: 2 }, { get(t, k) { for (;;) {} } });
  return Array.prototype.sort.call(p);
}
