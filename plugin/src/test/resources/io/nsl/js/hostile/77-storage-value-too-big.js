// expect: STORAGE_QUOTA_EXCEEDED
function main(){ storage.put('k', 'x'.repeat(20000)) }
