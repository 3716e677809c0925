function main(input) {
  return { trigger: input.trigger, slot: input.slot, subscriptionId: input.subscriptionId };
}
