// expect: OK
// result: [20000,1400]
// Awaits leave the async function's frame; an async call nests two levels (its call and its body).
async function down(n){ return n === 0 ? 0 : 1 + await down(n - 1) }
async function main(){ let s = 0; for (let i = 0; i < 20000; i++) s += await i * 0 + 1; return [s, await down(1400)] }
