// Objects that bring their own toString / valueOf / toLocaleString / toJSON, set by assignment.
function Money(cents) {
  this.cents = cents;
  this.valueOf = function () { return this.cents; };
  this.toString = function () { return (this.cents / 100).toFixed(2) + ' GAS'; };
}

function main() {
  const m = new Money(1250);
  const o = {};
  o.toString = () => 'custom';
  o.toLocaleString = () => 'localised';
  o.toJSON = () => ({ as: 'json' });
  const arr = [1, 2];
  arr.toString = () => 'array!';
  const d = new Date(0);
  d.toJSON = () => 'the epoch';
  const f = function named() {};
  f.toString = () => 'function source hidden';
  const n = Object(5);
  n.valueOf = () => 7;
  return [m + 1, `${m}`, String(m), m > 1000, Object.keys(m), String(o), o.toLocaleString(),
    JSON.stringify(o), `${arr}`, JSON.stringify({ d }), String(f), n * 2,
    Object.prototype.toString.call(o), ({}).toString(), [3, 4].toString(), Object.keys(o)];
}
