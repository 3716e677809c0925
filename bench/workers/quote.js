// The latency workload's function (bench/workers/run.sh with WORKLOAD=latency): the common oracle
// case, one call to an HTTP endpoint that answers in 200-500 ms, and a small result from its
// answer. The report writes its endpoint (a server on loopback it runs itself) over @ENDPOINT@ and
// registers the copies quote-1, quote-2, ...; the devnet's workers are given a fetch rule that
// allows it (plain http to 127.0.0.1: dev mode, never a production setting).
async function main(input) {
  if (typeof input !== 'object' || input === null || !Number.isInteger(input.value)) {
    throw new Error('input must be {"value": <integer>}');
  }
  const response = await fetch('@ENDPOINT@/quote?value=' + input.value);
  if (!response.ok) {
    throw new Error('the quote endpoint answered ' + response.status);
  }
  const body = await response.json();
  return { value: input.value, quote: body.quote };
}
