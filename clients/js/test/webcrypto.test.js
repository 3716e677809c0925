// The shared WebCrypto signer and envelope sealer (the console's and NslClient's), against the
// published envelope vectors and Node's OpenSSL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { checkSecretName, requestMessage, sealSecretEnvelope, signRequestHeaders, signerFromPrivateKey, toHex, verify,
  verifySignature, HEADERS, requestMessageBytes } from '../src/index.js';

const vectors = JSON.parse(fs.readFileSync(
  new URL('../../../plugin/src/test/resources/vectors/secret-envelope-v1.json', import.meta.url), 'utf8'));

for (const v of vectors.vectors) {
  test(`WebCrypto sealer reproduces shared vector '${v.id}' byte for byte (except the randomized signature)`, async () => {
    const signer = await signerFromPrivateKey(v.ownerPrivateKey);
    assert.equal(signer.publicKeyHex, v.ownerPublicKey);
    assert.equal(toHex(signer.scriptHashLE), v.ownerScriptHashLE);
    assert.equal(signer.scriptHash, v.ownerScriptHash);
    if (v.ownerAddress) assert.equal(signer.address, v.ownerAddress);
    const { envelope, parts } = await sealSecretEnvelope({ enclaveSecretsPublicKey: v.enclaveSecretsPublicKey, signer,
      name: v.name, value: Buffer.from(v.valueHex, 'hex'), sequence: v.sequence, op: v.op,
      ephemeralPrivateKey: v.ephemeralPrivateKey, nonce: v.nonce });
    assert.equal(toHex(parts.ephemeralPublicKey), v.ephemeralPublicKey);
    assert.equal(toHex(parts.ecdhSharedX), v.ecdhSharedX);
    assert.equal(toHex(parts.aesKey), v.aesKey);
    assert.equal(toHex(parts.aad), v.aad);
    assert.equal(toHex(parts.ciphertextWithTag), v.ciphertextWithTag);
    assert.equal(toHex(parts.signedMessage), v.signedMessage);
    assert.equal(toHex(envelope.subarray(0, envelope.length - 64)), v.envelope.slice(0, -128));
    assert.ok(verify(v.ownerPublicKey, parts.signedMessage, parts.signature), 'OpenSSL verifies the WebCrypto signature');
    assert.ok(await verifySignature(v.ownerPublicKey, Buffer.from(v.signedMessage, 'hex'), v.signature),
      'WebCrypto verifies the RFC 6979 one');
  });
}

test('a fresh envelope opens as the enclave opens it, and carries no key material in its parts', async () => {
  const enclave = crypto.createECDH('prime256v1');
  enclave.generateKeys();
  const enclavePub = enclave.getPublicKey(null, 'compressed');
  const signer = await signerFromPrivateKey(crypto.randomBytes(32));
  const a = await sealSecretEnvelope({ enclaveSecretsPublicKey: enclavePub, signer, name: 'K', value: 'héllo', sequence: Date.now() });
  const b = await sealSecretEnvelope({ enclaveSecretsPublicKey: enclavePub, signer, name: 'K', value: 'héllo', sequence: Date.now() });
  assert.notEqual(toHex(a.parts.ephemeralPublicKey), toHex(b.parts.ephemeralPublicKey), 'a fresh ephemeral key each time');
  assert.equal(a.parts.aesKey, undefined);
  assert.equal(a.parts.ecdhSharedX, undefined);
  const env = Buffer.from(a.envelope);
  const n = 1;
  const eph = env.subarray(68 + n, 101 + n);
  const nonce = env.subarray(101 + n, 113 + n);
  const ctLen = env.readUInt32BE(113 + n);
  const ct = env.subarray(117 + n, 117 + n + ctLen);
  const key = Buffer.from(crypto.hkdfSync('sha256', enclave.computeSecret(eph), Buffer.concat([eph, enclavePub]),
    Buffer.from('NSL secret envelope v1'), 32));
  const d = crypto.createDecipheriv('aes-256-gcm', key, nonce);
  d.setAAD(env.subarray(0, 113 + n));
  d.setAuthTag(ct.subarray(ct.length - 16));
  assert.equal(Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]).toString(), 'héllo');
  assert.equal(env.length, 214 + n + ctLen);
  assert.ok(verify(signer.publicKey, env.subarray(0, env.length - 64), env.subarray(env.length - 64)));
});

test('the sealer refuses a bad enclave key, name, sequence or DELETE value before any crypto', async () => {
  const signer = await signerFromPrivateKey(crypto.randomBytes(32));
  const base = { enclaveSecretsPublicKey: vectors.vectors[0].enclaveSecretsPublicKey, signer, name: 'K', sequence: 1 };
  await assert.rejects(sealSecretEnvelope({ ...base, enclaveSecretsPublicKey: '02' + 'ff'.repeat(32) }), { code: 'SECRET_WRONG_ENCLAVE' });
  await assert.rejects(sealSecretEnvelope({ ...base, enclaveSecretsPublicKey: '04' + '00'.repeat(64) }), /compressed/);
  await assert.rejects(sealSecretEnvelope({ ...base, name: '<img src=x onerror=alert(1)>' }), { code: 'SECRET_INVALID_NAME' });
  await assert.rejects(sealSecretEnvelope({ ...base, name: 'x'.repeat(65) }), { code: 'SECRET_INVALID_NAME' });
  await assert.rejects(sealSecretEnvelope({ ...base, sequence: 0 }), { code: 'SECRET_BAD_SEQUENCE' });
  await assert.rejects(sealSecretEnvelope({ ...base, sequence: 2n ** 63n }), { code: 'SECRET_BAD_SEQUENCE' });
  await assert.rejects(sealSecretEnvelope({ ...base, op: 'DELETE', value: 'x' }), /empty value/);
});

test('WebCrypto request headers sign the canonical message, which OpenSSL verifies', async () => {
  const key = crypto.randomBytes(32);
  const signer = await signerFromPrivateKey(key);
  const body = '{"code":"function main(){}"}';
  const h = await signRequestHeaders({ signer, method: 'PUT', pathAndQuery: '/v1/functions/f%20x?y=1', body,
    timestamp: 1718000000000, nonce: 'abcdefghijklmnop' });
  assert.equal(h[HEADERS.publicKey], signer.publicKeyHex);
  assert.equal(h[HEADERS.timestamp], '1718000000000');
  const m = requestMessage('PUT', '/v1/functions/f%20x?y=1', 1718000000000, 'abcdefghijklmnop', body);
  assert.ok(verify(signer.publicKey, m, h[HEADERS.signature]));
  assert.ok(!verify(signer.publicKey, requestMessage('PUT', '/v1/functions/f%20x?y=1', 1718000000000, 'abcdefghijklmnop', body + ' '),
    h[HEADERS.signature]), 'the body is signed');
  const fresh = await signRequestHeaders({ signer, method: 'GET', pathAndQuery: '/v1/secrets' });
  assert.match(fresh[HEADERS.nonce], /^[A-Za-z0-9_-]{16,64}$/);
  assert.notEqual(fresh[HEADERS.nonce], (await signRequestHeaders({ signer, method: 'GET', pathAndQuery: '/v1/secrets' }))[HEADERS.nonce]);
});

test('a part that would make two requests sign the same message is refused', () => {
  const ok = { method: 'GET', pathAndQuery: '/v1/secrets', timestamp: 1, nonce: 'n'.repeat(16), bodySha256Hex: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' };
  assert.equal(new TextDecoder().decode(requestMessageBytes(ok)),
    'NSL-API-v1\nGET\n/v1/secrets\n1\nnnnnnnnnnnnnnnnn\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  for (const [k, bad] of [['pathAndQuery', '/v1/a\nPOST'], ['pathAndQuery', 'v1/secrets'], ['pathAndQuery', '/v1/a b'],
    ['method', 'get'], ['method', 'GET\n'], ['nonce', 'short'], ['nonce', 'n'.repeat(15) + '\n'], ['timestamp', -1],
    ['timestamp', 1.5], ['timestamp', '12'], ['bodySha256Hex', 'E3B0']]) {
    assert.throws(() => requestMessageBytes({ ...ok, [k]: bad }), { code: 'REQUEST_NOT_SIGNABLE' }, `${k}=${JSON.stringify(bad)}`);
  }
});

test('report_data binding: the right document is bound, a swapped key or gateway is not', async () => {
  const { checkReportDataBinding, checkAttestation } = await import('../src/index.js');
  const sha = (b) => crypto.createHash('sha256').update(b).digest();
  const doc = { mode: 'SIMULATED', networkMagic: 56753, gatewayScriptHash: '0x' + 'ab'.repeat(19) + 'cd',
    signingPublicKey: vectors.vectors[0].ownerPublicKey, secretsPublicKey: vectors.vectors[0].enclaveSecretsPublicKey };
  const magic = Buffer.alloc(4); magic.writeUInt32LE(56753);
  doc.reportData = Buffer.concat([sha(Buffer.concat([Buffer.from('NSL-ATTEST-v1'), magic, Buffer.from('cd' + 'ab'.repeat(19), 'hex'),
    Buffer.from(doc.signingPublicKey, 'hex'), Buffer.from(doc.secretsPublicKey, 'hex')])), Buffer.alloc(32)]).toString('hex');
  assert.equal(checkAttestation(doc, { allowSimulated: true }).mode, 'SIMULATED', 'the Node check agrees');
  assert.equal((await checkReportDataBinding(doc)).bound, true);
  assert.equal((await checkReportDataBinding({ ...doc, secretsPublicKey: doc.signingPublicKey })).bound, false);
  assert.equal((await checkReportDataBinding({ ...doc, gatewayScriptHash: '0x' + 'ab'.repeat(20) })).bound, false);
  await assert.rejects(checkReportDataBinding({ ...doc, networkMagic: 'x' }), { code: 'ATTESTATION_MALFORMED' });
  await assert.rejects(checkReportDataBinding({ ...doc, secretsPublicKey: '02' + 'ff'.repeat(32) }), { code: 'BAD_PUBLIC_KEY' });
});

test('secret names follow the one shared rule (testdata/name-cases.json, as io.nsl.NameRules does)', () => {
  const cases = JSON.parse(fs.readFileSync(new URL('../../../testdata/name-cases.json', import.meta.url), 'utf8')).secretName;
  assert.ok(cases.length > 5);
  for (const c of cases) {
    const name = c.value.repeat(c.repeat ?? 1);
    if (c.valid) assert.equal(checkSecretName(name), name, JSON.stringify(c));
    else assert.throws(() => checkSecretName(name), { code: 'SECRET_INVALID_NAME' }, JSON.stringify(c));
  }
});
