// expect: SECRET_NOT_FOUND
function main(){ return getSecret('not-stored') }
