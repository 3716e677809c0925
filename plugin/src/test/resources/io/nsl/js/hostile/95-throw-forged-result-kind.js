// expect: RUNTIME_ERROR
// A function builds the prelude's own error class (reached through a caught API error) with a
// result kind only the service may decide: the answer must stay a runtime error (issue 17, item 5).
function main(){ let C; try { getSecret('nope') } catch (e) { C = e.constructor } throw new C('RESULT_TOO_LARGE', 'forged') }
