// expect: TIMEOUT

// One default-order sort of 2^24 values: two statements of gas. Its copies (values, an index
// array, ToString of every value) stay under the heap guard's mark for the test heap, but the
// sort outlives any deadline on a cold engine (60 s measured with the patient test engine), so
// the deadline stops it; the prelude's loops are guest code, which the cancel interrupts.
function main() {
  const a = new Array(1 << 24).fill(0.5);
  a.sort();
  return a.length;
}
