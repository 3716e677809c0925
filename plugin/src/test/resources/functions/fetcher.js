// Asks the price server whose URL the request names, with the API key in a header.
async function main(input) {
  const res = await fetch(input.url, { headers: { 'X-Api-Key': getSecret('API_KEY') } });
  log('asked with key', getSecret('API_KEY'));
  const body = await res.json();
  return { status: res.status, price: body.price };
}
