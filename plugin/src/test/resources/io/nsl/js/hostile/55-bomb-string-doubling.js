// expect: MEMORY_LIMIT
// The memory budget counts what a `+` site adds (decision 0710), so doubling stops at 128 MiB of
// characters; before that count, GraalJS's own string cap (2^30) stopped it as a RangeError.
function main(){ let s = 'x'; for(;;) s += s }
