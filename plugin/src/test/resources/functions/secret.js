function main(input) {
  const k = getSecret('API_KEY');
  log('key is', k);
  return { len: k.length };
}
