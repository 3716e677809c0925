// expect: OK
// result: ["a","b",2,4294967295]

// A proxy of an array of length 2^32-1 with two elements. GraalJS's native sort ran a Java loop
// over every index here that ignored the deadline's cancel (the engine had to be replaced); the
// prelude's sort visits only the keys that exist above length 2^24.
function main() {
  const t = []; t.length = 2 ** 32 - 1; t[9] = 'b'; t[7] = 'a';
  Array.prototype.sort.call(new Proxy(t, {}));
  return [t[0], t[1], Object.keys(t).length, t.length];
}
