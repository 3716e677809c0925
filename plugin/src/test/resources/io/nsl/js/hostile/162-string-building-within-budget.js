// expect: OK
// memory: 2097152
// result: [100000,400000,20]
// Ordinary building stays inside even a 2 MiB budget: 100,000 appends count their 100,000
// characters (not the string's length at each step: that would be 10^10), 400,000 stores over
// existing elements count nothing, and a template that is cut back each time counts what it added.
function main(){
  let s = '';
  for (let i = 0; i < 100000; i++) s += 'x';
  const a = new Array(10).fill(0);
  for (let i = 0; i < 400000; i++) a[i % 10] = i;
  let t = '';
  for (let i = 0; i < 10; i++) t = `${t}ab`.slice(0, 20);
  return [s.length, a[9] + 1, t.length];
}
