// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// The length grown by `a.length += 999`, then a store at its new end: inside the length, but 998
// past the last element, holes GraalJS fills. Setting the length starts a record of the elements
// below the old length; each store is charged the holes between it and them (decision 0712,
// sixth session).
function main() {
  const a = [0];
  for (let k = 0; k < 20000; k++) {
    a.length += 999;
    a[a.length - 1] = k;
  }
  return a.length;
}
