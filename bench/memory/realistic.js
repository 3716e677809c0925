// A small realistic function (issue 5's memory-decision bench): median of a price feed, a round
// counter kept in storage (two host calls), a log line, a digest.
function main(input) {
  const prices = input.sources.map((s) => s.price).filter((p) => typeof p === 'number');
  prices.sort((a, b) => a - b);
  const mid = prices.length >> 1;
  const median = prices.length % 2 ? prices[mid] : (prices[mid - 1] + prices[mid]) / 2;
  const prev = JSON.parse(storage.get('last') || 'null');
  const round = prev ? prev.round + 1 : 1;
  storage.put('last', JSON.stringify({ median, round }));
  log('median', median, 'of', prices.length);
  return { median, round, digest: crypto.sha256(prices.join(',')) };
}
