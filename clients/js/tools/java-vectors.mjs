#!/usr/bin/env node
// Writes what the shared WebCrypto module signs and seals, for the Java verifier to check
// (io.nsl.api.JsWebCryptoVectorsTest): signed API requests, secret envelopes, and WIF/address
// derivations of fresh keys. The committed copy is
// plugin/src/test/resources/vectors/js-webcrypto-v1.json, made by
//   node clients/js/tools/java-vectors.mjs plugin/src/test/resources/vectors/js-webcrypto-v1.json
// and the Java test also runs this script afresh when node is on PATH.
import fs from 'node:fs';
import crypto from 'node:crypto';
import { sealSecretEnvelope, signRequestHeaders, signerFromPrivateKey, toHex, wifOf } from '../src/index.js';

const out = process.argv[2];
if (!out) {
  console.error('usage: node java-vectors.mjs OUT.json');
  process.exit(2);
}
const shared = JSON.parse(fs.readFileSync(
  new URL('../../../plugin/src/test/resources/vectors/secret-envelope-v1.json', import.meta.url), 'utf8')).vectors[0];
const signer = await signerFromPrivateKey(shared.ownerPrivateKey);
const now = Date.now();
const requests = [
  { method: 'GET', pathAndQuery: '/v1/secrets', body: '' },
  { method: 'PUT', pathAndQuery: '/v1/functions/double', body: JSON.stringify({ code: 'function main(i){return i*2} // é ✓' }) },
  { method: 'GET', pathAndQuery: '/v1/failures?functionId=a%2Fb&limit=5', body: '' },
  { method: 'DELETE', pathAndQuery: '/v1/secrets/K.1_x-y', body: '{"envelope":"AAAA"}' },
];
const signed = [];
for (const [i, r] of requests.entries()) {
  const headers = await signRequestHeaders({ signer, ...r, timestamp: now + i });
  signed.push({ method: r.method, pathAndQuery: r.pathAndQuery, bodyUtf8: r.body, headers });
}
const envelopes = [];
for (const [op, name, value] of [['PUT', 'OPENAI_API_KEY', 'sk-from-webcrypto ✓'], ['PUT', 'E', ''], ['DELETE', 'OPENAI_API_KEY', '']]) {
  const sequence = now + envelopes.length;
  const { envelope } = await sealSecretEnvelope({ enclaveSecretsPublicKey: shared.enclaveSecretsPublicKey, signer, name, value, sequence, op });
  envelopes.push({ op, name, sequence, valueUtf8: value, envelope: toHex(envelope) });
}
const keys = [];
for (let i = 0; i < 3; i++) {
  const d = crypto.randomBytes(32);
  const s = await signerFromPrivateKey(d);
  keys.push({ privateKey: d.toString('hex'), wif: await wifOf(d), publicKey: s.publicKeyHex, scriptHash: s.scriptHash, address: s.address });
}
fs.writeFileSync(out, JSON.stringify({
  about: 'Made by clients/js/tools/java-vectors.mjs with the shared WebCrypto module (clients/js/src/webcrypto.js); '
    + 'checked by io.nsl.api.JsWebCryptoVectorsTest. Keys are those of secret-envelope-v1.json (vector put).',
  signer: { privateKey: shared.ownerPrivateKey, publicKey: signer.publicKeyHex, scriptHash: signer.scriptHash, address: signer.address },
  enclaveSecretsPrivateKey: shared.enclaveSecretsPrivateKey,
  enclaveSecretsPublicKey: shared.enclaveSecretsPublicKey,
  requests: signed,
  envelopes,
  keys,
}, null, 2) + '\n');
