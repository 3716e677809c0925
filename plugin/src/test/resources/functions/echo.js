function main(input) {
  return { echo: input.n, square: input.n * input.n };
}
