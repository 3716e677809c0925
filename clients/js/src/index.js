// Neo Service Layer client for Node: secret envelopes (docs/secrets-envelope.md) and signed API
// requests (docs/api.md). What is signed is defined once, in canonical.js; NslClient signs and
// seals through webcrypto.js, the same code the browser console runs (browser.js re-exported
// below). The synchronous helpers here (signRequest, buildSecretEnvelope, sign) are node:crypto
// forms of the same messages, kept for callers that cannot await.
import crypto from 'node:crypto';
import { HKDF_INFO, checkEnvelopeArgs, checkSecretName, envelopeHeader, envelopeSignedPart,
  requestMessageBytes, HEADERS } from './canonical.js';
import { sealSecretEnvelope, signRequestHeaders, signerFromPrivateKey } from './webcrypto.js';

export * from './browser.js';

const CURVE = 'prime256v1';
const ATTEST_TAG = Buffer.from('NSL-ATTEST-v1', 'ascii');

const bytes = (v, what) => {
  if (typeof v === 'string') return Buffer.from(v.replace(/^0x/, ''), 'hex');
  if (v instanceof Uint8Array) return Buffer.from(v);
  throw new TypeError(`${what} must be hex or bytes`);
};
const sha256 = (b) => crypto.createHash('sha256').update(b).digest();

/** The compressed public key (33 bytes) of a 32-byte secp256r1 private key. */
export function publicKeyOf(privateKey) {
  const ecdh = crypto.createECDH(CURVE);
  ecdh.setPrivateKey(bytes(privateKey, 'privateKey'));
  return ecdh.getPublicKey(null, 'compressed');
}

/** Neo N3 account script hash of a compressed public key: little-endian (raw) and 0x big-endian. */
export function ownerScriptHash(publicKey) {
  const pub = bytes(publicKey, 'publicKey');
  const script = Buffer.concat([Buffer.from([0x0c, 0x21]), pub, Buffer.from([0x41, 0x56, 0xe7, 0xb3, 0x27])]);
  const le = crypto.createHash('ripemd160').update(sha256(script)).digest();
  return { le, hex: '0x' + Buffer.from(le).reverse().toString('hex') };
}

function privateKeyObject(privateKey) {
  const d = bytes(privateKey, 'privateKey');
  const ecdh = crypto.createECDH(CURVE);
  ecdh.setPrivateKey(d);
  const pub = ecdh.getPublicKey(null, 'uncompressed');
  return crypto.createPrivateKey({
    key: { kty: 'EC', crv: 'P-256', d: d.toString('base64url'),
      x: pub.subarray(1, 33).toString('base64url'), y: pub.subarray(33).toString('base64url') },
    format: 'jwk',
  });
}

function publicKeyObject(compressed) {
  const raw = crypto.ECDH.convertKey(bytes(compressed, 'publicKey'), CURVE, undefined, undefined, 'uncompressed');
  return crypto.createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') },
    format: 'jwk',
  });
}

/** ECDSA secp256r1 over SHA-256(message), 64 bytes r||s. */
export function sign(privateKey, message) {
  return crypto.sign('sha256', message, { key: privateKeyObject(privateKey), dsaEncoding: 'ieee-p1363' });
}

/** Verifies a 64-byte r||s signature over SHA-256(message). */
export function verify(publicKey, message, signature) {
  return crypto.verify('sha256', message, { key: publicKeyObject(publicKey), dsaEncoding: 'ieee-p1363' }, bytes(signature, 'signature'));
}

/**
 * Builds a v1 secret envelope. `value` is a string (UTF-8) or bytes; op 'PUT' or 'DELETE' (empty
 * value). `ephemeralPrivateKey` and `nonce` are for test vectors only: never pass them otherwise
 * (a reused ephemeral key leaks the XOR of two values).
 * Returns { envelope, parts } where parts has every intermediate value (for tests and debugging).
 */
export function buildSecretEnvelope({ enclaveSecretsPublicKey, ownerPrivateKey, name, value = '', sequence,
  op = 'PUT', ephemeralPrivateKey, nonce }) {
  const enclaveKey = bytes(enclaveSecretsPublicKey, 'enclaveSecretsPublicKey');
  if (enclaveKey.length !== 33 || (enclaveKey[0] !== 2 && enclaveKey[0] !== 3)) {
    throw new Error('enclaveSecretsPublicKey must be a 33-byte compressed key (from GET /v1/enclave)');
  }
  checkSecretName(name);
  const plain = typeof value === 'string' ? Buffer.from(value, 'utf8') : bytes(value, 'value');
  const seq = checkEnvelopeArgs({ op, sequence, valueLength: plain.length });

  const ownerPub = publicKeyOf(ownerPrivateKey);
  const { le: ownerLE } = ownerScriptHash(ownerPub);
  const eph = crypto.createECDH(CURVE);
  if (ephemeralPrivateKey) eph.setPrivateKey(bytes(ephemeralPrivateKey, 'ephemeralPrivateKey'));
  else eph.generateKeys();
  const ephPub = eph.getPublicKey(null, 'compressed');
  const iv = nonce ? bytes(nonce, 'nonce') : crypto.randomBytes(12);
  if (iv.length !== 12) throw new Error('nonce must be 12 bytes');

  const shared = eph.computeSecret(enclaveKey);
  const aesKey = Buffer.from(crypto.hkdfSync('sha256', shared, Buffer.concat([ephPub, enclaveKey]), HKDF_INFO, 32));
  const header = Buffer.from(envelopeHeader({ op, ownerScriptHashLE: ownerLE, enclaveSecretsPublicKey: enclaveKey,
    sequence: seq, name, ephemeralPublicKey: ephPub, nonce: iv }));
  const cipher = crypto.createCipheriv('aes-256-gcm', aesKey, iv);
  cipher.setAAD(header);
  const ct = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  const signed = Buffer.from(envelopeSignedPart(header, ct, ownerPub));
  const signature = sign(ownerPrivateKey, signed);
  const envelope = Buffer.concat([signed, signature]);
  const parts = { ownerPublicKey: ownerPub, ownerScriptHashLE: ownerLE, ephemeralPublicKey: ephPub,
    ecdhSharedX: shared, aesKey, nonce: iv, aad: header, ciphertextWithTag: ct, signedMessage: signed, signature };
  shared.fill(0);
  if (typeof value !== 'string') plain.fill(0);
  return { envelope, parts };
}

/** The bytes a developer signs for one API request (docs/api.md, Authentication; canonical.js). */
export function requestMessage(method, pathAndQuery, timestampMillis, nonce, body = Buffer.alloc(0)) {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  return Buffer.from(requestMessageBytes({ method, pathAndQuery, timestamp: timestampMillis, nonce,
    bodySha256Hex: sha256(b).toString('hex') }));
}

/** The four authentication headers for one request, synchronously (NslClient uses signRequestHeaders). */
export function signRequest({ privateKey, method, pathAndQuery, body = '', timestamp = Date.now(),
  nonce = crypto.randomBytes(16).toString('hex') }) {
  const message = requestMessage(method, pathAndQuery, timestamp, nonce, body);
  return {
    [HEADERS.publicKey]: publicKeyOf(privateKey).toString('hex'),
    [HEADERS.timestamp]: String(timestamp),
    [HEADERS.nonce]: nonce,
    [HEADERS.signature]: sign(privateKey, message).toString('hex'),
  };
}

/**
 * Checks an attestation document (GET /v1/enclave): report_data must bind both public keys and
 * the gateway. A SIMULATED document is refused unless allowSimulated. An SGX quote is NOT verified
 * here (use `./nsl attestation verify`); the function says so in its answer.
 */
export function checkAttestation(doc, { allowSimulated = false, gatewayScriptHash, clusterKey } = {}) {
  const magic = Buffer.alloc(4); magic.writeUInt32LE(Number(doc.networkMagic) >>> 0);
  const gwLE = Buffer.from(String(doc.gatewayScriptHash).replace(/^0x/, ''), 'hex').reverse();
  const expected = Buffer.concat([sha256(Buffer.concat([ATTEST_TAG, magic, gwLE,
    bytes(doc.signingPublicKey, 'signingPublicKey'), bytes(doc.secretsPublicKey, 'secretsPublicKey')])), Buffer.alloc(32)]);
  if (expected.toString('hex') !== String(doc.reportData).toLowerCase()) {
    throw new Error('the attestation report_data does not bind its keys and gateway: do not send secrets');
  }
  if (gatewayScriptHash && gatewayScriptHash.toLowerCase() !== String(doc.gatewayScriptHash).toLowerCase()) {
    throw new Error(`the service is attested for gateway ${doc.gatewayScriptHash}, not ${gatewayScriptHash}`);
  }
  const simulated = doc.mode === 'SIMULATED' || doc.simulated === true;
  if (simulated && !allowSimulated) {
    throw new Error('the service runs in SIMULATION mode (the operator can read secrets); pass allowSimulated only on a devnet');
  }
  if (clusterKey && clusterKey.secretsPublicKey.toLowerCase() !== String(doc.secretsPublicKey).toLowerCase()) {
    throw new Error(`the gateway names cluster key ${clusterKey.secretsPublicKey} (epoch ${clusterKey.epoch}) but the `
      + `attested instance holds ${doc.secretsPublicKey}; it has not joined the current epoch: do not send secrets`);
  }
  return { mode: simulated ? 'SIMULATED' : 'SGX', quoteVerified: false, secretsPublicKey: doc.secretsPublicKey };
}

/**
 * The cluster key the gateway names (docs/cluster.md): `{epoch, secretsPublicKey}` (hex), or null when
 * the owner has set none. A read-only `invokefunction clusterKey` at the Neo node `rpcUrl`.
 */
export async function readClusterKey(rpcUrl, gatewayScriptHash) {
  const res = await fetch(rpcUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'invokefunction', params: [gatewayScriptHash, 'clusterKey', []] }) });
  const json = await res.json();
  const r = json.result;
  if (!r || r.state !== 'HALT') {
    throw new Error(`clusterKey at ${rpcUrl} failed: ${json.error?.message ?? r?.exception ?? 'no result'}`);
  }
  const top = r.stack?.[0];
  if (!top || top.type !== 'Array') return null;
  return { epoch: Number(top.value[0].value),
    secretsPublicKey: Buffer.from(top.value[1].value, 'base64').toString('hex') };
}

/** A small API client over fetch. Errors throw NslApiError with the server's stable code. */
export class NslApiError extends Error {
  constructor(status, code, message, details) {
    super(`${code}: ${message}`);
    this.status = status; this.code = code; this.details = details;
  }
}

export class NslClient {
  #signer;

  constructor({ baseUrl = 'http://127.0.0.1:8787', privateKey } = {}) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.privateKey = privateKey;
  }

  /** The WebCrypto Signer of this client's key (made once). */
  signer() {
    this.#signer ??= signerFromPrivateKey(this.privateKey);
    return this.#signer;
  }

  async request(method, pathAndQuery, body, { signed = true } = {}) {
    const url = new URL(this.baseUrl + pathAndQuery);
    const target = url.pathname + url.search;
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = body === undefined ? {} : { 'Content-Type': 'application/json' };
    if (signed) Object.assign(headers, await signRequestHeaders({ signer: await this.signer(), method, pathAndQuery: target, body: text }));
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : text });
    const json = await res.json().catch(() => null);
    if (!res.ok) {
      const e = json?.error ?? { code: 'API_BAD_ANSWER', message: `HTTP ${res.status}` };
      throw new NslApiError(res.status, e.code, e.message, e.details);
    }
    return json;
  }

  enclave() { return this.request('GET', '/v1/enclave', undefined, { signed: false }); }
  listSecrets() { return this.request('GET', '/v1/secrets'); }
  listFunctions() { return this.request('GET', '/v1/functions'); }
  /** `fetchHosts`: the hosts the function's fetch may call; omitted, any host the operator allows. */
  uploadFunction(id, code, inputSchema, fetchHosts) {
    const body = { code };
    if (inputSchema) body.inputSchema = inputSchema;
    if (fetchHosts) body.fetchHosts = fetchHosts;
    return this.request('PUT', `/v1/functions/${encodeURIComponent(id)}`, body);
  }
  execution(requestId) { return this.request('GET', `/v1/executions/${requestId}`); }

  /**
   * Fetches and checks the attestation, encrypts `value` to it, uploads. With `rpcUrl` and
   * `gateway`, also requires the attested secrets key to be the cluster key the gateway names.
   */
  async setSecret(name, value, { allowSimulated = false, sequence = Date.now(), rpcUrl, gateway } = {}) {
    const clusterKey = rpcUrl && gateway ? await readClusterKey(rpcUrl, gateway) : undefined;
    const att = checkAttestation(await this.enclave(), { allowSimulated, clusterKey });
    const { envelope } = await sealSecretEnvelope({ enclaveSecretsPublicKey: att.secretsPublicKey,
      signer: await this.signer(), name, value, sequence });
    return this.request('POST', '/v1/secrets', { envelope: Buffer.from(envelope).toString('base64') });
  }

  async deleteSecret(name, { allowSimulated = false, sequence = Date.now() } = {}) {
    const att = checkAttestation(await this.enclave(), { allowSimulated });
    const { envelope } = await sealSecretEnvelope({ enclaveSecretsPublicKey: att.secretsPublicKey,
      signer: await this.signer(), name, value: '', sequence, op: 'DELETE' });
    return this.request('DELETE', `/v1/secrets/${name}`, { envelope: Buffer.from(envelope).toString('base64') });
  }
}
