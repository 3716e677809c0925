// Probe, not in the default set: json_100k with JSON.stringify written in JS (no replacer or
// indent; every control character as a \u escape). Run:
// BENCH_WORKLOADS=json_100k,json_100k_js_stringify bench/node-vs/run.sh
const NEEDS = /["\\\u0000-\u001f\ud800-\udfff]/;
function quote(s) {
  if (!NEEDS.test(s)) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) out += '\\"';
    else if (c === 92) out += '\\\\';
    else if (c < 32 || (c >= 0xd800 && c <= 0xdfff)) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += s[i];
  }
  return out + '"';
}
function ser(v, stack) {
  if (v !== null && typeof v === 'object' && typeof v.toJSON === 'function') v = v.toJSON();
  switch (typeof v) {
    case 'string': return quote(v);
    case 'number': return isFinite(v) ? String(v) : 'null';
    case 'boolean': return v ? 'true' : 'false';
    case 'object': break;
    default: return undefined;
  }
  if (v === null) return 'null';
  if (stack.includes(v)) throw new TypeError('cyclic');
  stack.push(v);
  let out;
  if (Array.isArray(v)) {
    out = '[';
    for (let i = 0; i < v.length; i++) {
      const s = ser(v[i], stack);
      out += (i ? ',' : '') + (s === undefined ? 'null' : s);
    }
    out += ']';
  } else {
    out = '{';
    let first = true;
    const keys = Object.keys(v);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const s = ser(v[k], stack);
      if (s === undefined) continue;
      out += (first ? '' : ',') + quote(k) + ':' + s;
      first = false;
    }
    out += '}';
  }
  stack.pop();
  return out;
}
function stringify(v) { return ser(v, []); }
function main() {
  const items = [];
  for (let i = 0; i < 1000; i++) items.push({ id: i, name: 'item-' + i, tags: ['a', 'b', 'c'], price: i * 1.25, ok: i % 2 === 0, nested: { x: i, y: 'yy' } });
  const text = stringify(items);
  let n = 0;
  for (let k = 0; k < 1; k++) n += stringify(JSON.parse(text)).length;
  return n;
}
