// The sample function from the original NSL design: doubles input.value, proves it can read the
// owner's API_KEY secret (without ever returning or logging it), logs, and returns
// {result, processed}.
async function main(input) {
  if (typeof input !== 'object' || input === null || typeof input.value !== 'number') {
    throw new Error('input must be {"value": <number>}');
  }
  const apiKey = getSecret('API_KEY');
  log('doubling', input.value, 'for request', context.requestId, 'with an API key of', apiKey.length, 'chars');
  return { result: input.value * 2, processed: apiKey.length > 0 };
}
