function main(input) {
  throw new Error('boom ' + input.n);
}
