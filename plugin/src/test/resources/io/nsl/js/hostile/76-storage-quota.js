// expect: STORAGE_QUOTA_EXCEEDED
function main(){ for (let i = 0; i < 100; i++) storage.put('k' + i, 'x'.repeat(1000)) }
