function main(input) {
  let x = 0;
  for (;;) { x++; }
}
