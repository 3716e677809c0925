// expect: MEMORY_LIMIT

// One default-order sort of 2^24 values: two statements of gas. Before the memory budget (0710)
// the deadline stopped it (the sort outlives any deadline on a cold engine); now filling 2^24
// elements counts 128 MiB and a little more, so the budget stops it before the sort starts.
function main() {
  const a = new Array(1 << 24).fill(0.5);
  a.sort();
  return a.length;
}
