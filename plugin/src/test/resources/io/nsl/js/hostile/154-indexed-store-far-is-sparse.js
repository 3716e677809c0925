// expect: OK
// result: 268435457
// One store far past the end: GraalJS keeps the array sparse, nothing is counted, and it answers.
function main(){ const a = []; a[2 ** 28] = 1; return a.length }
