import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { buildSecretEnvelope, ownerScriptHash, publicKeyOf, verify, requestMessage, signRequest,
  checkAttestation, HEADERS } from '../src/index.js';

// The vectors both sides check: SecretEnvelopeVectorTest (Java) rebuilds the same file.
const vectors = JSON.parse(fs.readFileSync(
  new URL('../../../plugin/src/test/resources/vectors/secret-envelope-v1.json', import.meta.url), 'utf8'));
const hex = (b) => Buffer.from(b).toString('hex');

for (const v of vectors.vectors) {
  test(`reproduces shared vector '${v.id}' byte for byte (except the randomized signature)`, () => {
    const { envelope, parts } = buildSecretEnvelope({
      enclaveSecretsPublicKey: v.enclaveSecretsPublicKey, ownerPrivateKey: v.ownerPrivateKey,
      name: v.name, value: Buffer.from(v.valueHex, 'hex'), sequence: v.sequence, op: v.op,
      ephemeralPrivateKey: v.ephemeralPrivateKey, nonce: v.nonce });
    assert.equal(hex(parts.ownerPublicKey), v.ownerPublicKey);
    assert.equal(hex(parts.ownerScriptHashLE), v.ownerScriptHashLE);
    assert.equal(ownerScriptHash(v.ownerPublicKey).hex, v.ownerScriptHash);
    assert.equal(hex(parts.ephemeralPublicKey), v.ephemeralPublicKey);
    assert.equal(hex(parts.aesKey), v.aesKey);
    assert.equal(hex(parts.aad), v.aad);
    assert.equal(hex(parts.ciphertextWithTag), v.ciphertextWithTag);
    assert.equal(hex(parts.signedMessage), v.signedMessage);
    // Node signs with a random k: the signature differs from the RFC 6979 one, both verify.
    assert.ok(verify(v.ownerPublicKey, parts.signedMessage, parts.signature));
    assert.ok(verify(v.ownerPublicKey, Buffer.from(v.signedMessage, 'hex'), v.signature));
    assert.equal(hex(envelope.subarray(0, envelope.length - 64)), v.envelope.slice(0, -128));
    assert.equal(envelope.length, v.envelope.length / 2);
  });
}

test('decrypts as the enclave would', () => {
  const enclave = crypto.createECDH('prime256v1');
  enclave.generateKeys();
  const owner = crypto.randomBytes(32);
  const { envelope, parts } = buildSecretEnvelope({ enclaveSecretsPublicKey: enclave.getPublicKey(null, 'compressed'),
    ownerPrivateKey: owner, name: 'K', value: 'hello', sequence: Date.now() });
  const n = 1;
  const eph = envelope.subarray(68 + n, 101 + n);
  const nonce = envelope.subarray(101 + n, 113 + n);
  const ctLen = envelope.readUInt32BE(113 + n);
  const ct = envelope.subarray(117 + n, 117 + n + ctLen);
  const key = Buffer.from(crypto.hkdfSync('sha256', enclave.computeSecret(eph),
    Buffer.concat([eph, enclave.getPublicKey(null, 'compressed')]), Buffer.from('NSL secret envelope v1'), 32));
  const d = crypto.createDecipheriv('aes-256-gcm', key, nonce);
  d.setAAD(envelope.subarray(0, 113 + n));
  d.setAuthTag(ct.subarray(ct.length - 16));
  assert.equal(Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]).toString(), 'hello');
  assert.equal(envelope.length, 214 + n + ctLen);
  assert.ok(verify(publicKeyOf(owner), parts.signedMessage, envelope.subarray(envelope.length - 64)));
});

test('refuses bad names, sequences, and values on DELETE', () => {
  const base = { enclaveSecretsPublicKey: vectors.vectors[0].enclaveSecretsPublicKey, ownerPrivateKey: crypto.randomBytes(32), sequence: 1 };
  assert.throws(() => buildSecretEnvelope({ ...base, name: 'bad name' }), /1..64/);
  assert.throws(() => buildSecretEnvelope({ ...base, name: 'é' }), /1..64/);
  assert.throws(() => buildSecretEnvelope({ ...base, name: 'K', sequence: 0 }), /sequence/);
  assert.throws(() => buildSecretEnvelope({ ...base, name: 'K', op: 'DELETE', value: 'x' }), /empty/);
  assert.throws(() => buildSecretEnvelope({ ...base, enclaveSecretsPublicKey: '04' + '00'.repeat(64), name: 'K' }), /compressed/);
});

test('request message is the documented canonical string', () => {
  const body = '{"code":"x"}';
  const m = requestMessage('PUT', '/v1/functions/f?x=1', 1718000000000, 'abcdefghijklmnop', body);
  const bodyHash = crypto.createHash('sha256').update(body).digest('hex');
  assert.equal(m.toString(), `NSL-API-v1\nPUT\n/v1/functions/f?x=1\n1718000000000\nabcdefghijklmnop\n${bodyHash}`);
});

test('signed request headers verify with the sender key', () => {
  const key = crypto.randomBytes(32);
  const h = signRequest({ privateKey: key, method: 'GET', pathAndQuery: '/v1/secrets', timestamp: 5, nonce: 'n'.repeat(16) });
  assert.equal(h[HEADERS.publicKey], publicKeyOf(key).toString('hex'));
  assert.ok(verify(h[HEADERS.publicKey], requestMessage('GET', '/v1/secrets', 5, 'n'.repeat(16)), h[HEADERS.signature]));
  assert.ok(!verify(h[HEADERS.publicKey], requestMessage('GET', '/v1/functions', 5, 'n'.repeat(16)), h[HEADERS.signature]));
});

test('attestation check binds keys and refuses simulation unless allowed', () => {
  const sha = (b) => crypto.createHash('sha256').update(b).digest();
  const doc = { mode: 'SIMULATED', simulated: true, networkMagic: 1234, gatewayScriptHash: '0x' + 'ab'.repeat(20),
    signingPublicKey: vectors.vectors[0].ownerPublicKey, secretsPublicKey: vectors.vectors[0].enclaveSecretsPublicKey };
  const magic = Buffer.alloc(4); magic.writeUInt32LE(1234);
  doc.reportData = Buffer.concat([sha(Buffer.concat([Buffer.from('NSL-ATTEST-v1'), magic, Buffer.from('ab'.repeat(20), 'hex'),
    Buffer.from(doc.signingPublicKey, 'hex'), Buffer.from(doc.secretsPublicKey, 'hex')])), Buffer.alloc(32)]).toString('hex');
  assert.throws(() => checkAttestation(doc), /SIMULATION/);
  assert.equal(checkAttestation(doc, { allowSimulated: true }).mode, 'SIMULATED');
  assert.throws(() => checkAttestation({ ...doc, secretsPublicKey: doc.signingPublicKey }, { allowSimulated: true }), /report_data/);
  // The gateway names a cluster key: only an attested instance holding it gets secrets.
  const named = { epoch: 0, secretsPublicKey: doc.secretsPublicKey };
  assert.equal(checkAttestation(doc, { allowSimulated: true, clusterKey: named }).mode, 'SIMULATED');
  assert.throws(() => checkAttestation(doc, { allowSimulated: true, clusterKey: { epoch: 1, secretsPublicKey: doc.signingPublicKey } }),
    /has not joined the current epoch/);
});
