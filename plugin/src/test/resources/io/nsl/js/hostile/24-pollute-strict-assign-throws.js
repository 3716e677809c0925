// expect: RUNTIME_ERROR
'use strict';
function main(){ Object.prototype.x = 1; return 1 }
