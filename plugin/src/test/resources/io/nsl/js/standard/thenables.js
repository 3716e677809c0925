// Thenables with an own then, assigned on an instance (a promise, an object made from a
// promise's prototype, a plain object).
async function main() {
  const out = [];
  const p = Promise.resolve(1);
  p.then = function (onFulfilled) { onFulfilled('own then'); };
  out.push(typeof p.then, Object.keys(p), p.then === Promise.prototype.then);
  out.push(await Promise.resolve().then(() => p));
  const plain = {};
  plain.then = (resolve) => resolve('plain thenable');
  out.push(await plain);
  const fake = Object.create(Promise.prototype);
  fake.then = (resolve) => resolve('made from the prototype');
  out.push(await Promise.resolve().then(() => fake));
  out.push(await Promise.resolve(2), typeof Promise.prototype.then);
  return out;
}
