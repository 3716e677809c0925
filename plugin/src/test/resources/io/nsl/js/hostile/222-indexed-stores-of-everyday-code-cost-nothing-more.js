// expect: OK
// gas: 4430
// result: 900
// Stores that leave no hole (appends, overwrites, fills upwards and downwards, `a[a.length] = x`,
// an array literal's holes filled in) cost only their statements: the limit is exactly what this
// run used before indexed stores were charged.
function main() {
  const up = [];
  for (let k = 0; k < 300; k++) up[k] = k;
  for (let k = 0; k < 300; k++) up[k] = up[k] * 2;
  const down = new Array(300);
  for (let k = 299; k >= 0; k--) down[k] = k;
  const grow = [1];
  while (grow.length < 200) grow[grow.length] = grow.length;
  const holes = [1, , , 4];
  holes[1] = 2;
  holes[2] = 3;
  const words = [];
  for (let k = 0; k < 100; k++) words['' + k] = 'w' + k;
  return up[299] + down[0] + grow[199] + holes[2] + words.length;
}
