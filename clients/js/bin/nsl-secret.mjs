#!/usr/bin/env node
// Sets a secret through the NSL API from JavaScript:
//   NSL_PRIVATE_KEY=<hex> node bin/nsl-secret.mjs --api http://127.0.0.1:8787 NAME [--allow-simulated] < value
// The value is read from stdin (one trailing newline dropped). Prints the receipt as JSON.
import { NslClient } from '../src/index.js';

const args = process.argv.slice(2);
let api = process.env.NSL_API_URL ?? 'http://127.0.0.1:8787';
let allowSimulated = false;
let name;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--api') api = args[++i];
  else if (args[i] === '--allow-simulated') allowSimulated = true;
  else if (args[i] === '--help' || args[i] === '-h') { console.log('usage: NSL_PRIVATE_KEY=hex nsl-secret [--api URL] [--allow-simulated] NAME < value'); process.exit(0); }
  else name = args[i];
}
const privateKey = process.env.NSL_PRIVATE_KEY;
if (!name || !privateKey) {
  console.error('error: give NAME and the owner key in NSL_PRIVATE_KEY (hex); see --help');
  process.exit(2);
}
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
let value = Buffer.concat(chunks);
if (value.at(-1) === 0x0a) value = value.subarray(0, value.at(-2) === 0x0d ? -2 : -1);
try {
  const receipt = await new NslClient({ baseUrl: api, privateKey }).setSecret(name, value, { allowSimulated });
  console.log(JSON.stringify(receipt));
} catch (e) {
  console.error(`error [${e.code ?? 'CLIENT'}]: ${e.message}`);
  process.exit(1);
}
