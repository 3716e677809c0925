// A result of exactly the gateway's limit: a JSON string of 4,094 characters and its 2 quotes.
function main(input) {
  return 'x'.repeat(4094);
}
