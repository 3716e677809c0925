// expect: GAS_EXHAUSTED
// gas: 200000
async function main(){ async function* g(){ for(;;) yield 1 } for await (const x of g()) {} }
