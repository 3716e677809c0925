// expect: OK
// gas: 1000000
// result: 2
// The probe of an array first seen at 1,024 elements or more asks whether its first and last
// index hold an element; for a hole GraalJS looks along the prototype chain, and a Proxy put there
// sees the question (its getOwnPropertyDescriptor trap runs for each index probed). The run goes on,
// and what the trap sees is the same on every node (decision 0712, seventh session).
function main() {
  let asked = 0;
  const a = Array(5000);
  Object.setPrototypeOf(
    a,
    new Proxy(Array.prototype, {
      getOwnPropertyDescriptor(target, key) {
        asked++;
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
    })
  );
  a[10] = 1;
  a[20] = 2;
  return asked;
}
