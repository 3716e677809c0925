// Independent check of secret-envelope-v1.json with Node's crypto (prime256v1), no NSL code:
//   node plugin/src/test/resources/vectors/secret-envelope-v1.check.mjs
// Rebuilds every envelope byte from the vector's inputs (the signature is verified, not
// rebuilt: Node signs with a random k) and signs a fresh envelope that Java must also accept.
import crypto from 'node:crypto';
import fs from 'node:fs';
import assert from 'node:assert/strict';

const file = new URL('./secret-envelope-v1.json', import.meta.url);
const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
const hex = (b) => Buffer.from(b).toString('hex');
const un = (h) => Buffer.from(h, 'hex');

function publicKeyObject(compressed) {
  const raw = crypto.ECDH.convertKey(compressed, 'prime256v1', undefined, undefined, 'uncompressed');
  return crypto.createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') },
    format: 'jwk',
  });
}

function u64(n) { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(n)); return b; }
function u32(n) { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; }

for (const v of doc.vectors) {
  const enclave = crypto.createECDH('prime256v1');
  enclave.setPrivateKey(un(v.enclaveSecretsPrivateKey));
  assert.equal(hex(enclave.getPublicKey(null, 'compressed')), v.enclaveSecretsPublicKey);

  const owner = crypto.createECDH('prime256v1');
  owner.setPrivateKey(un(v.ownerPrivateKey));
  const ownerPub = owner.getPublicKey(null, 'compressed');
  assert.equal(hex(ownerPub), v.ownerPublicKey);
  const script = Buffer.concat([Buffer.from([0x0c, 0x21]), ownerPub, Buffer.from([0x41, 0x56, 0xe7, 0xb3, 0x27])]);
  const scriptHashLE = crypto.createHash('ripemd160').update(crypto.createHash('sha256').update(script).digest()).digest();
  assert.equal(hex(scriptHashLE), v.ownerScriptHashLE);

  const eph = crypto.createECDH('prime256v1');
  eph.setPrivateKey(un(v.ephemeralPrivateKey));
  const ephPub = eph.getPublicKey(null, 'compressed');
  assert.equal(hex(ephPub), v.ephemeralPublicKey);
  const shared = eph.computeSecret(un(v.enclaveSecretsPublicKey));
  assert.equal(hex(shared), v.ecdhSharedX);
  const salt = Buffer.concat([ephPub, un(v.enclaveSecretsPublicKey)]);
  const aesKey = Buffer.from(crypto.hkdfSync('sha256', shared, salt, Buffer.from(doc.hkdfInfoAscii, 'ascii'), 32));
  assert.equal(hex(aesKey), v.aesKey);

  const name = Buffer.from(v.name, 'ascii');
  const header = Buffer.concat([
    Buffer.from('NSLE', 'ascii'), Buffer.from([1, v.opCode]), scriptHashLE, un(v.enclaveSecretsPublicKey),
    u64(v.sequence), Buffer.from([name.length]), name, ephPub, un(v.nonce),
  ]);
  assert.equal(hex(header), v.aad);
  const cipher = crypto.createCipheriv('aes-256-gcm', aesKey, un(v.nonce));
  cipher.setAAD(header);
  const ct = Buffer.concat([cipher.update(un(v.valueHex)), cipher.final(), cipher.getAuthTag()]);
  assert.equal(hex(ct), v.ciphertextWithTag);
  const signed = Buffer.concat([header, u32(ct.length), ct, ownerPub]);
  assert.equal(hex(signed), v.signedMessage);
  assert.ok(crypto.verify('sha256', signed, { key: publicKeyObject(ownerPub), dsaEncoding: 'ieee-p1363' }, un(v.signature)));
  assert.equal(hex(Buffer.concat([signed, un(v.signature)])), v.envelope);

  // Decrypt as the enclave would.
  const d = crypto.createDecipheriv('aes-256-gcm', aesKey, un(v.nonce));
  d.setAAD(header);
  d.setAuthTag(ct.subarray(ct.length - 16));
  assert.equal(Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]).toString('utf8'), v.valueUtf8);
  console.log(`vector ${v.id}: ok`);
}
