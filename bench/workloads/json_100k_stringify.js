// The stringify half of json_100k: the same 1,000 objects stringified 5 times (~100 KB each).
function main() {
  const items = [];
  for (let i = 0; i < 1000; i++) items.push({ id: i, name: 'item-' + i, tags: ['a', 'b', 'c'], price: i * 1.25, ok: i % 2 === 0, nested: { x: i, y: 'yy' } });
  let n = 0;
  for (let k = 0; k < 5; k++) n += JSON.stringify(items).length;
  return n;
}
