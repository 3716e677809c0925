// expect: MEMORY_LIMIT
// gas: 100000000
// One 1 MiB string referenced 100 times: 100 M characters of JSON from a small graph.
function main(){ const s = 'x'.repeat(1 << 20); const a = []; for (let i = 0; i < 100; i++) a.push(s); return JSON.stringify(a).length }
