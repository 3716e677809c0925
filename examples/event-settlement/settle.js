// Runs on each Closed(id, amount) of the settlement contract (an event trigger): pays the deal
// out minus a 2% fee. The input is the event (docs/triggers.md): arguments [id, amount].
function main(input) {
  const [id, amount] = input.arguments;
  const fee = Math.floor((amount * 2) / 100);
  return { id, payout: amount - fee };
}
