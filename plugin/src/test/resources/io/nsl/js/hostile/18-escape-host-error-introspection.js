// expect: OK
// result: "SECRET_NOT_FOUND"
function main(){ try { getSecret('nope') } catch (e) { if (typeof e.getClass === 'function') return 'host object leaked'; return e.kind } }
