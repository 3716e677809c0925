// expect: GAS_EXHAUSTED
// gas: 40000
// charged: limit
// Replace with a global regex where every character is a match: one match, one replacement and one
// piece of the result per character, ~0.5-5 us of CPU each (the CPU-per-gas worst, `replace regex
// /g`), for what was charged as the string's and the result's characters, 1/16 gas each: these six
// replaces of 20,000 matches each (a string, `$1`, `$&`, replaceAll, sticky, empty matches) ran in
// 14,775 gas, and a cold engine took seconds. Charged per match as well (4 gas each, decision
// 0712, seventh session), the run stops at the limit in its first replace. The same string replaced with a
// string search value (no match objects) costs what it did (hostile 229).
function main() {
  const s = 'a'.repeat(20000);
  let t = s.replace(/a/g, '').length;
  t += s.replace(/(a)/g, '$1').length;
  t += s.replace(/a/g, '$&').length;
  t += s.replaceAll(/a/g, 'b').length;
  t += s.replace(/a/gy, '').length;
  t += s.replace(/(?:)/g, '').length;
  return t;
}
