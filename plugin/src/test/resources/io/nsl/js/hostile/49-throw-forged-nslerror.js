// expect: RUNTIME_ERROR
function main(){ let C; try { getSecret('nope') } catch (e) { C = e.constructor } throw new C('FORBIDDEN', 'forged') }
