function main(input) {
  return 'x'.repeat(10000);
}
