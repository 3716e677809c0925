// expect: MEMORY_LIMIT
// gas: 100000000
// Joining 2^16 references to one 1 KiB string builds 64 M characters (128 MiB counted) in one call:
// counted as it returns, the run stops there.
function main(){ const s = 'y'.repeat(1024); return new Array(2 ** 16).fill(s).join('').length }
