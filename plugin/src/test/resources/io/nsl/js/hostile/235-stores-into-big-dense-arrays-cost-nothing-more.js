// expect: OK
// gas: 39782
// result: 0
// Everyday stores into arrays of 1,024 elements or more that hold elements at both ends: a shuffle
// of an array built by push, overwrites of two made by Array.from (a histogram among them), a
// copy into `Array(n).fill()`. Probed once, found dense, charged only their statements: the limit
// is what this run used before (decision 0712, seventh session).
function main() {
  const deck = [];
  for (let k = 0; k < 2000; k++) deck.push(k);
  let seed = 7;
  for (let k = deck.length - 1; k > 0; k--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (k + 1);
    const t = deck[k];
    deck[k] = deck[j];
    deck[j] = t;
  }
  const squares = Array.from({ length: 1500 }, (_, k) => k);
  for (let k = 1499; k >= 0; k -= 7) squares[k] = k * k;
  const counts = Array.from({ length: 4096 }, () => 0);
  for (let k = 0; k < 1000; k++) counts[(k * 2654435761) % 4096]++;
  const copy = Array(1200).fill();
  for (let k = 0; k < 1200; k += 3) copy[1199 - k] = deck[k];
  return [deck.length, squares[1499], counts.indexOf(5), copy[1199]].length - 4;
}
