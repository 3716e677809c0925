// expect: OK
// result: [1]
function main(){ Array.prototype.map = () => 'hacked'; return [1].map(x => x) }
