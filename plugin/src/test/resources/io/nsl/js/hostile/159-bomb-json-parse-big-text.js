// expect: MEMORY_LIMIT
// gas: 100000000
// A 12 MiB text of empty objects would parse into 4 M objects: JSON.parse counts what it will
// make from the text (64 bytes an object, 8 a separator) and refuses it before parsing.
function main(){ const t = '[' + '{},'.repeat(4 * 1024 * 1024) + '{}]'; return JSON.parse(t).length }
