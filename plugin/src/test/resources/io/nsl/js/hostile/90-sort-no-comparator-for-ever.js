// expect: TIMEOUT

// Default-order sorts of a million values, for ever: two statements of gas per sort of a million
// ToStrings, so the deadline, not gas, is what stops it.
function main() {
  const a = new Array(1000000).fill(1.5);
  for (;;) a.sort();
}
