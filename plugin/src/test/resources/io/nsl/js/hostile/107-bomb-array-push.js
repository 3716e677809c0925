// expect: MEMORY_LIMIT
// gas: 100000000
// memory: 16777216
// The default 128 MiB takes 16 M pushes, which on a loaded 2-core machine outlive even the patient
// deadline; a 16 MiB budget is the same bomb, stopped by the same count, in 2 M.
function main(){ const a = []; for (;;) a.push(1) }
