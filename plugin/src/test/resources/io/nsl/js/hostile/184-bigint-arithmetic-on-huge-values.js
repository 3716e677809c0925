// expect: GAS_EXHAUSTED
// gas: 300000
// charged: limit
// One `*` of two 200,000-bit BigInts is one statement; a BigInt result is charged by its size
// (GasTable.BIGINT_BITS_PER_GAS).
function main() {
  const x = (1n << 200000n) - 1n;
  let t = 0n;
  for (let i = 0; i < 1000; i++) t += (x * x) & 1n;
  return Number(t);
}
