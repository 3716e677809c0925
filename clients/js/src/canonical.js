// The canonical bytes NSL signs, and nothing else: the API request message (docs/api.md,
// Authentication) and the secret envelope's layout (docs/secrets-envelope.md). Pure, synchronous,
// no crypto: the Node client (index.js) and the browser signer (webcrypto.js) both build their
// messages here, so there is one definition of what gets signed. io.nsl.api.ApiAuth.message is its
// Java twin; JsWebCryptoVectorsTest checks they agree byte for byte.
import { NslInputError, concat, toBytes, u32be, u64be, utf8 } from './bytes.js';

export const API_SCHEME = 'NSL-API-v1';
export const HEADERS = Object.freeze({
  publicKey: 'X-NSL-PublicKey',
  timestamp: 'X-NSL-Timestamp',
  nonce: 'X-NSL-Nonce',
  signature: 'X-NSL-Signature',
});

const METHOD = /^[A-Z]{1,16}$/;
// RFC 3986 target characters and %XX; no space, no line break (a LF would let one message read as
// another), the server refuses anything else as MALFORMED_REQUEST anyway.
const TARGET = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/;
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The message of one signed request, as UTF-8 bytes:
 * "NSL-API-v1" LF METHOD LF PATH_AND_QUERY LF TIMESTAMP LF NONCE LF hex(SHA-256(body)).
 * Throws NslInputError (code REQUEST_NOT_SIGNABLE) for a part the server would refuse.
 */
export function requestMessageBytes({ method, pathAndQuery, timestamp, nonce, bodySha256Hex }) {
  const bad = (what, value, rule) => new NslInputError('REQUEST_NOT_SIGNABLE',
    `cannot sign: ${what} ${JSON.stringify(String(value)).slice(0, 80)} must be ${rule}`);
  if (!METHOD.test(method)) throw bad('method', method, 'an upper-case HTTP method such as GET');
  if (typeof pathAndQuery !== 'string' || !TARGET.test(pathAndQuery)) {
    throw bad('path', pathAndQuery, 'the request target as sent: starting with /, percent-encoded, no spaces or line breaks');
  }
  const ts = typeof timestamp === 'bigint' ? timestamp : BigInt(Number.isSafeInteger(timestamp) ? timestamp : -1);
  if (ts < 0n || ts > 999_999_999_999_999n) throw bad('timestamp', timestamp, 'Unix time in milliseconds');
  if (!NONCE.test(nonce)) throw bad('nonce', nonce, '16..64 characters of [A-Za-z0-9_-]');
  if (!SHA256_HEX.test(bodySha256Hex)) throw bad('body hash', bodySha256Hex, '64 lower-case hex characters');
  return utf8(`${API_SCHEME}\n${method}\n${pathAndQuery}\n${ts}\n${nonce}\n${bodySha256Hex}`);
}

export const ENVELOPE_MAGIC = utf8('NSLE');
export const ENVELOPE_VERSION = 1;
export const ENVELOPE_OPS = Object.freeze({ PUT: 1, DELETE: 2 });
export const SECRET_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
export const HKDF_INFO = utf8('NSL secret envelope v1');

/** Checks a secret's name: ASCII [A-Za-z0-9_.-], 1..64 (names are refused, never normalised). */
export function checkSecretName(name) {
  if (typeof name !== 'string' || !SECRET_NAME.test(name)) {
    throw new NslInputError('SECRET_INVALID_NAME',
      `secret name ${JSON.stringify(String(name)).slice(0, 80)} must be 1..64 of [A-Za-z0-9_.-]`);
  }
  return name;
}

/** Checks op and sequence (1..2^63-1) of an envelope; returns the sequence as a BigInt. */
export function checkEnvelopeArgs({ op, sequence, valueLength }) {
  if (!(op in ENVELOPE_OPS)) throw new NslInputError('SECRET_BAD_OP', `op must be PUT or DELETE, got ${op}`);
  let seq;
  try { seq = BigInt(sequence); } catch { seq = -1n; }
  if (seq < 1n || seq >= 1n << 63n) {
    throw new NslInputError('SECRET_BAD_SEQUENCE', `sequence must be 1..2^63-1 (use Date.now()), got ${sequence}`);
  }
  if (op === 'DELETE' && valueLength !== 0) throw new NslInputError('SECRET_BAD_OP', 'a DELETE envelope carries an empty value');
  return seq;
}

/** The envelope header (magic through nonce): the AES-GCM additional data. */
export function envelopeHeader({ op, ownerScriptHashLE, enclaveSecretsPublicKey, sequence, name, ephemeralPublicKey, nonce }) {
  const nameBytes = utf8(checkSecretName(name));
  const parts = { ownerScriptHashLE: 20, enclaveSecretsPublicKey: 33, ephemeralPublicKey: 33, nonce: 12 };
  const given = { ownerScriptHashLE, enclaveSecretsPublicKey, ephemeralPublicKey, nonce };
  for (const [k, len] of Object.entries(parts)) {
    if (given[k].length !== len) throw new NslInputError('SECRET_ENVELOPE_MALFORMED', `${k} must be ${len} bytes, got ${given[k].length}`);
  }
  return concat(ENVELOPE_MAGIC, Uint8Array.of(ENVELOPE_VERSION, ENVELOPE_OPS[op]), ownerScriptHashLE,
    enclaveSecretsPublicKey, u64be(sequence), Uint8Array.of(nameBytes.length), nameBytes, ephemeralPublicKey, nonce);
}

/** What the owner signs: header ‖ u32 c ‖ ciphertext‖tag ‖ owner public key. */
export function envelopeSignedPart(header, ciphertextWithTag, ownerPublicKey) {
  return concat(header, u32be(ciphertextWithTag.length), ciphertextWithTag, ownerPublicKey);
}

/** Neo N3's single-signature verification script of a compressed key: PUSHDATA1 33 key, SYSCALL CheckSig. */
export function verificationScript(publicKey) {
  const pub = toBytes(publicKey, 'publicKey');
  if (pub.length !== 33) throw new NslInputError('BAD_PUBLIC_KEY', 'a public key must be 33 bytes (compressed)');
  return concat(Uint8Array.of(0x0c, 0x21), pub, Uint8Array.of(0x41, 0x56, 0xe7, 0xb3, 0x27));
}
