// expect: FORBIDDEN
async function main(){ const r = await fetch('https://example.com/'); return r.status }
