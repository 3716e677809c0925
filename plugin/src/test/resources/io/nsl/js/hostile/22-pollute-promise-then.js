// expect: OK
// result: ["TypeError",true]
// Promise.prototype.then is a tamed accessor (docs/decisions/0301): assigning it on the prototype
// itself is refused with a TypeError, in sloppy code too, and changes nothing.
function main(){ let refused = 'none'; try { Promise.prototype.then = function(){}; } catch (e) { refused = e.name; } return [refused, Promise.prototype.then.name === 'then'] }
