// expect: MEMORY_LIMIT
// gas: 100000000
// `s += s` doubles a string in one statement each time: 27 statements reach 128 MiB of characters.
// Before the count saw `+`, GraalJS's own string length cap (2^30) stopped it as a RangeError.
function main(){ let s = 'x'; for (;;) s += s }
