// expect: GAS_EXHAUSTED
// gas: 200000
function main(){ return Array.from({length: 1e9}, (_, i) => i).length }
