// Runs every N blocks (a schedule trigger): asks each price source in the secret PRICE_SOURCES
// (a JSON array of URLs, each answering {"price": N}) and answers the median of those that
// answered. A source that fails or answers badly is left out; none answering fails the run, and
// the feed keeps its last price.
async function main(input) {
  const sources = JSON.parse(getSecret('PRICE_SOURCES'));
  const prices = [];
  for (const url of sources) {
    try {
      const res = await fetch(url);
      const body = res.ok ? await res.json() : null;
      if (body && Number.isInteger(body.price)) {
        prices.push(body.price);
      }
    } catch (e) {
      log('source failed', url, e.kind);
    }
  }
  if (prices.length === 0) {
    throw new Error('no price source answered');
  }
  prices.sort((a, b) => a - b);
  const mid = Math.floor(prices.length / 2);
  const price = prices.length % 2 ? prices[mid] : Math.floor((prices[mid - 1] + prices[mid]) / 2);
  return { price, slot: input.slot, sources: prices.length };
}
