// expect: SECRET_NOT_FOUND
// An error the API raised keeps its kind when the function lets it (or a caught copy) through.
function main(){ try { getSecret('nope') } catch (e) { throw e } }
