// expect: OK
// gas: 11036
// result: [168,99,25,"x",0]
// Everyday stores into a length set first: a sieve and a histogram into `new Array(n).fill(...)`,
// a reversed copy into `new Array(n)`, `a.length = 0` to clear an array then appends. Stores a few
// apart (up to 16 holes) are free; the histogram's stores 36 apart pay while its span fills out,
// 10 gas once: the limit is what this run used before (11,026) and those 10 (decision 0712, sixth
// session).
function main() {
  const sieve = new Array(1000).fill(true);
  for (let p = 2; p * p < 1000; p++) {
    if (sieve[p]) for (let m = p * p; m < 1000; m += p) sieve[m] = false;
  }
  let primes = 0;
  for (let k = 2; k < 1000; k++) if (sieve[k]) primes++;
  const counts = new Array(100).fill(0);
  for (let k = 0; k < 500; k++) counts[(k * 37) % 100]++;
  const src = [];
  for (let k = 0; k < 100; k++) src.push(k);
  const rev = new Array(src.length);
  for (let k = 0; k < src.length; k++) rev[src.length - 1 - k] = src[k];
  const words = ['a', 'b'];
  words.length = 0;
  for (let k = 0; k < 25; k++) words[words.length] = 'x';
  return [primes, rev[0], words.length, words[24], counts.indexOf(5)];
}
