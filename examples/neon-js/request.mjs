// With neon-js, the SDK most Neo dApps use: ask the NSL devnet's example consumer to run the
// example function `double` on {"value": 21}, then read the verified answer back from the chain.
// Start the devnet first (./nsl devnet up); this reads the devnet.json it wrote.
// Usage: node request.mjs [DEVNET_JSON]   (default: ../../.run/devnet/devnet.json)
import { readFileSync } from "node:fs";
import { experimental, rpc, sc, u, wallet } from "@cityofzion/neon-js";

const devnet = JSON.parse(readFileSync(process.argv[2] ?? new URL("../../.run/devnet/devnet.json", import.meta.url), "utf8"));
const config = { rpcAddress: devnet.rpcUrl, networkMagic: devnet.networkMagic, account: new wallet.Account(devnet.wallets.developer.wif) };
const consumer = new experimental.SmartContract(u.HexString.fromHex(devnet.consumer), config);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const input = Buffer.from(JSON.stringify({ value: 21 })).toString("base64");
// request(functionId, input, jsGasLimit, gasForResponse): the fee comes from the consumer's prepaid balance
const txid = await consumer.invoke("request", [sc.ContractParam.string("double"), sc.ContractParam.byteArray(input), sc.ContractParam.integer(1_000_000), sc.ContractParam.integer(10_000_000)]);
let log;
while (!log) log = await new rpc.RPCClient(devnet.rpcUrl).getApplicationLog(txid).catch(() => sleep(500));
if (log.executions[0].vmstate !== "HALT") throw new Error(`request faulted: ${log.executions[0].exception}`);
const requestId = Number(log.executions[0].stack[0].value);
console.error(`request ${requestId} sent in transaction ${txid}; waiting for the answer`);
for (let tries = 0; tries < 120; tries++, await sleep(500)) {
  const { stack } = await consumer.testInvoke("getAnswer", [sc.ContractParam.integer(requestId)]);
  if (stack[0].type === "Any") continue; // not answered yet
  const [status, result] = stack[0].value.map((item) => item.value);
  console.log(JSON.stringify({ requestId, status: Number(status), result: JSON.parse(Buffer.from(result, "base64").toString()) }));
  process.exit(Number(status) === 0 ? 0 : 1);
}
console.error("no answer within 60 s");
process.exit(4);
