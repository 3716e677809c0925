// expect: OK
// gas: 1225
// result: [10,9,9,5,11,16,true,19]
// Everyday regex work: whitespace collapsed, a CSV line split and its numbers matched, key=value
// pairs read with matchAll, a sticky tokenizer (exec in a loop: your statements), test, search,
// and a string search value replaced. Charged per match, per character a regex split tries and
// per matchAll step (decision 0712, seventh session), this costs what it did (1,146) plus 79: 10
// whitespace runs replaced at 4 gas, 24 characters split, 9 numbers matched, 6 steps (5 pairs and
// the last) at 1.
function main() {
  const text = 'The  quick   brown fox\tjumps over\n the lazy dog, twice. ';
  const line = '12,7,,300,42,5,19,88,1,0';
  const query = 'a=1&b=two&c=3&d=four&e=5';
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const nums = line.split(/,/).filter((x) => x !== '').map(Number);
  const digits = line.match(/\d+/g);
  const pairs = {};
  for (const m of query.matchAll(/(\w+)=(\w+)/g)) pairs[m[1]] = m[2];
  const tokens = [];
  const re = /\s*(\d+|[-+*\/()])/y;
  const expr = '12 + 3*(4 - 1) / 7';
  let m;
  while ((m = re.exec(expr)) !== null) tokens.push(m[1]);
  const dashes = 'xxxx-xxxx-xxxx-xxxx'.replaceAll('-', '');
  const isEmail = /^[^@\s]+@[^@\s]+$/.test('someone@example.com');
  const at = text.search(/fox/);
  return [words.length, nums.length, digits.length, Object.keys(pairs).length, tokens.length,
    dashes.length, isEmail, at];
}
