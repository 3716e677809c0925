// Data objects that use the Object.prototype method names as their own keys, set by assignment.
function main() {
  const o = {};
  o.hasOwnProperty = 'yes';
  o.isPrototypeOf = 1;
  o.propertyIsEnumerable = false;
  o.constructor = 'made by hand';
  o.valueOf = 3;
  const counts = {};
  for (const w of ['constructor', 'toString', 'valueOf', 'constructor']) {
    counts[w] = (counts[w] || 0) + 1;
  }
  return [o.hasOwnProperty, o.isPrototypeOf, o.propertyIsEnumerable, o.constructor, o.valueOf,
    Object.keys(o), Object.prototype.hasOwnProperty.call(o, 'valueOf'), counts,
    JSON.stringify(counts), Object.entries(counts).length];
}
