// The parse half of json_100k: the same ~100 KB text (one stringify) parsed 5 times.
function main() {
  const items = [];
  for (let i = 0; i < 1000; i++) items.push({ id: i, name: 'item-' + i, tags: ['a', 'b', 'c'], price: i * 1.25, ok: i % 2 === 0, nested: { x: i, y: 'yy' } });
  const text = JSON.stringify(items);
  let n = 0;
  for (let k = 0; k < 5; k++) n += JSON.parse(text).length;
  return n;
}
