function main(input) {
  return { trigger: input.trigger, txHash: input.txHash, index: input.index, amount: input.arguments[2] };
}
