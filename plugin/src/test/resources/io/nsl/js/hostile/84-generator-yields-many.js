// expect: OK
// result: 100000
// A yield leaves the generator's frame: 100,000 yields are not 100,000 nested calls.
function* count(n){ for (let i = 0; i < n; i++) yield i }
function main(){ let k = 0; for (const x of count(100000)) k++; return k }
