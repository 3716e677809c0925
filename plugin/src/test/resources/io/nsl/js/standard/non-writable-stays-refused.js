// What was not writable before freezing stays refused, as in Node: Symbol.toStringTag of a
// built-in prototype, a function's own name, an own non-writable property.
function attempt(f) {
  try {
    f();
    return 'ok';
  } catch (e) {
    return e.name;
  }
}

function main() {
  const m = Object.create(Map.prototype);
  const f = function f() {};
  const frozen = Object.freeze({ a: 1 });
  return [attempt(() => { m[Symbol.toStringTag] = 'Mine'; }), Object.prototype.toString.call(m),
    attempt(() => { f.name = 'g'; }), f.name,
    attempt(() => { frozen.a = 2; }), frozen.a,
    attempt(() => { Math.PI = 3; }), Math.PI];
}
