// expect: OK
// result: [4294967295,"a","b","undefined",2]

// A plain object with length 2^32-1 and two index keys: only the keys that exist are visited
// (GraalJS's native sort deleted all four billion indices in a loop the deadline can't stop).
function main() {
  const o = { length: 2 ** 32 - 1, 5: 'b', 4000000000: 'a' };
  Array.prototype.sort.call(o);
  return [o.length, o[0], o[1], typeof o[2], Object.keys(o).length - 1];
}
