// expect: TIMEOUT

// toSorted must read every index of length 2^32-1 (holes read as undefined): an uncharged loop
// inside the prelude, in guest code, so the deadline's cancel stops it.
function main() {
  return Array.prototype.toSorted.call({ length: 2 ** 32 - 1 }).length;
}
