// Request signing and secret envelopes on WebCrypto (globalThis.crypto.subtle), the same code in a
// browser and in Node 20+. The message bytes come from canonical.js; the private key lives in a
// non-extractable CryptoKey, so a Signer can sign but never hands its key out (as the enclave
// signer does). The console and clients/js's NslClient sign through this module.
import { NslInputError, base64url, bigIntToBytes, concat, subtle, toBytes, toHex } from './bytes.js';
import { HEADERS, HKDF_INFO, checkEnvelopeArgs, checkSecretName, envelopeHeader, envelopeSignedPart,
  requestMessageBytes, verificationScript } from './canonical.js';
import { ripemd160 } from './hashes.js';
import { compress, decompress, privateScalar, publicPoint, uncompressed } from './p256.js';
import { addressOf } from './neo-keys.js';

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' };
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' };
const ECDH = { name: 'ECDH', namedCurve: 'P-256' };

export async function sha256(bytes) {
  return new Uint8Array(await subtle().digest('SHA-256', bytes));
}

/** The Neo account of a compressed public key: script hash little-endian (raw), 0x big-endian, address. */
export async function accountOf(publicKey) {
  const le = ripemd160(await sha256(verificationScript(publicKey)));
  return { scriptHashLE: le, scriptHash: '0x' + toHex(le.slice().reverse()), address: await addressOf(le) };
}

function jwk(d, point) {
  return { kty: 'EC', crv: 'P-256', ext: false, d: base64url(d),
    x: base64url(bigIntToBytes(point.x, 32)), y: base64url(bigIntToBytes(point.y, 32)) };
}

/**
 * A Signer for a 32-byte secp256r1 private key (hex or bytes): `{publicKey, publicKeyHex,
 * scriptHashLE, scriptHash, address, sign(message)}`. `sign` resolves to 64 bytes r‖s of ECDSA
 * over SHA-256(message), what Neo's CheckSig and the NSL API verify. The caller should clear its
 * copy of the key bytes after this resolves; the Signer keeps only a non-extractable CryptoKey.
 */
export async function signerFromPrivateKey(privateKey) {
  const d = toBytes(privateKey, 'privateKey');
  try {
    const point = publicPoint(d);
    const key = await subtle().importKey('jwk', jwk(d, point), ECDSA, false, ['sign']);
    const publicKey = compress(point);
    const account = await accountOf(publicKey);
    return Object.freeze({
      publicKey, publicKeyHex: toHex(publicKey), ...account,
      sign: async (message) => new Uint8Array(await subtle().sign(ECDSA_SHA256, key, message)),
      toString: () => `Signer(${account.address})`,
    });
  } finally {
    d.fill(0);
  }
}

/** Verifies a 64-byte r‖s signature over SHA-256(message) by a compressed public key. */
export async function verifySignature(publicKey, message, signature) {
  const point = decompress(toBytes(publicKey, 'publicKey'));
  const key = await subtle().importKey('raw', uncompressed(point), ECDSA, false, ['verify']);
  return subtle().verify(ECDSA_SHA256, key, toBytes(signature, 'signature'), message);
}

function randomNonce() {
  return base64url(globalThis.crypto.getRandomValues(new Uint8Array(18)));
}

/**
 * The four X-NSL-* headers of one signed request (docs/api.md, Authentication). `body` is the exact
 * string or bytes sent ('' for none); `pathAndQuery` the target exactly as sent.
 */
export async function signRequestHeaders({ signer, method, pathAndQuery, body = '', timestamp = Date.now(),
  nonce = randomNonce() }) {
  const bodyBytes = typeof body === 'string' ? new TextEncoder().encode(body) : toBytes(body, 'body');
  const message = requestMessageBytes({ method, pathAndQuery, timestamp, nonce, bodySha256Hex: toHex(await sha256(bodyBytes)) });
  return {
    [HEADERS.publicKey]: signer.publicKeyHex,
    [HEADERS.timestamp]: String(timestamp),
    [HEADERS.nonce]: nonce,
    [HEADERS.signature]: toHex(await signer.sign(message)),
  };
}

async function importEcdhPrivate(d) {
  const point = publicPoint(d);
  const key = await subtle().importKey('jwk', jwk(d, point), ECDH, false, ['deriveBits']);
  return { privateKey: key, publicKey: compress(point) };
}

async function freshEcdh() {
  const pair = await subtle().generateKey(ECDH, false, ['deriveBits']);
  const raw = new Uint8Array(await subtle().exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicKey: concat(Uint8Array.of(2 + (raw[64] & 1)), raw.subarray(1, 33)) };
}

/**
 * A v1 secret envelope (docs/secrets-envelope.md): ECDH P-256 with a fresh ephemeral key to
 * `enclaveSecretsPublicKey` (33 bytes compressed), HKDF-SHA256, AES-256-GCM with the header as
 * AAD, signed by `signer`. `value`: a string (UTF-8) or bytes; empty for a DELETE.
 * Resolves to `{envelope, parts}` (parts: the public intermediate values).
 * `ephemeralPrivateKey` and `nonce` exist for test vectors only: a reused ephemeral key leaks
 * the XOR of two values; with them, parts also carries ecdhSharedX and aesKey.
 */
export async function sealSecretEnvelope({ enclaveSecretsPublicKey, signer, name, value = '', sequence, op = 'PUT',
  ephemeralPrivateKey, nonce }) {
  const enclaveKey = toBytes(enclaveSecretsPublicKey, 'enclaveSecretsPublicKey');
  let enclavePoint;
  try {
    enclavePoint = decompress(enclaveKey);
  } catch (e) {
    throw new NslInputError('SECRET_WRONG_ENCLAVE', `enclaveSecretsPublicKey (from GET /v1/enclave) is unusable: ${e.message}`);
  }
  checkSecretName(name);
  const plain = typeof value === 'string' ? new TextEncoder().encode(value) : toBytes(value, 'value');
  const seq = checkEnvelopeArgs({ op, sequence, valueLength: plain.length });
  const vectorMode = ephemeralPrivateKey !== undefined;
  const eph = vectorMode ? await importEcdhPrivate(toBytes(ephemeralPrivateKey, 'ephemeralPrivateKey')) : await freshEcdh();
  const iv = nonce !== undefined ? toBytes(nonce, 'nonce') : globalThis.crypto.getRandomValues(new Uint8Array(12));
  if (iv.length !== 12) throw new NslInputError('SECRET_ENVELOPE_MALFORMED', 'the AES-GCM nonce must be 12 bytes');

  const enclavePub = await subtle().importKey('raw', uncompressed(enclavePoint), ECDH, false, []);
  const shared = new Uint8Array(await subtle().deriveBits({ name: 'ECDH', public: enclavePub }, eph.privateKey, 256));
  const hkdf = await subtle().importKey('raw', shared, 'HKDF', false, ['deriveBits']);
  const aesKeyBytes = new Uint8Array(await subtle().deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: concat(eph.publicKey, enclaveKey), info: HKDF_INFO }, hkdf, 256));
  const aesKey = await subtle().importKey('raw', aesKeyBytes, 'AES-GCM', false, ['encrypt']);
  const header = envelopeHeader({ op, ownerScriptHashLE: signer.scriptHashLE, enclaveSecretsPublicKey: enclaveKey,
    sequence: seq, name, ephemeralPublicKey: eph.publicKey, nonce: iv });
  const ct = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: header, tagLength: 128 }, aesKey, plain));
  const signed = envelopeSignedPart(header, ct, signer.publicKey);
  const signature = await signer.sign(signed);
  const parts = { ownerPublicKey: signer.publicKey, ownerScriptHashLE: signer.scriptHashLE, ephemeralPublicKey: eph.publicKey,
    nonce: iv, aad: header, ciphertextWithTag: ct, signedMessage: signed, signature };
  if (vectorMode) Object.assign(parts, { ecdhSharedX: shared.slice(), aesKey: aesKeyBytes.slice() });
  shared.fill(0);
  aesKeyBytes.fill(0);
  plain.fill(0);
  return { envelope: concat(signed, signature), parts };
}

const ATTEST_TAG = new TextEncoder().encode('NSL-ATTEST-v1');

/**
 * Whether an attestation document (GET /v1/enclave) binds its keys and gateway: report_data must be
 * SHA-256("NSL-ATTEST-v1" ‖ u32le networkMagic ‖ gateway LE ‖ signingPublicKey ‖ secretsPublicKey)
 * followed by 32 zero bytes (docs/enclave.md). Resolves to `{bound, expectedReportData,
 * reportData}`. This checks the binding only, not the SGX quote that carries it.
 */
export async function checkReportDataBinding(doc) {
  if (!doc || typeof doc !== 'object') throw new NslInputError('ATTESTATION_MALFORMED', 'the attestation is not a JSON object');
  const magic = Number(doc.networkMagic);
  if (!Number.isInteger(magic) || magic < 0 || magic > 0xffffffff) {
    throw new NslInputError('ATTESTATION_MALFORMED', `networkMagic ${JSON.stringify(doc.networkMagic)} is not a u32`);
  }
  const magicLE = new Uint8Array(4);
  new DataView(magicLE.buffer).setUint32(0, magic, true);
  const gateway = toBytes(String(doc.gatewayScriptHash ?? ''), 'gatewayScriptHash');
  if (gateway.length !== 20) throw new NslInputError('ATTESTATION_MALFORMED', 'gatewayScriptHash must be 20 bytes (0x + 40 hex)');
  const signing = toBytes(String(doc.signingPublicKey ?? ''), 'signingPublicKey');
  const secrets = toBytes(String(doc.secretsPublicKey ?? ''), 'secretsPublicKey');
  decompress(signing);
  decompress(secrets);
  const expected = toHex(concat(await sha256(concat(ATTEST_TAG, magicLE, gateway.reverse(), signing, secrets)), new Uint8Array(32)));
  const reportData = String(doc.reportData ?? '').toLowerCase();
  return { bound: expected === reportData, expectedReportData: expected, reportData };
}
