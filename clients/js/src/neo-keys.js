// Neo N3 keys as people hold them: WIF, NEP-2 encrypted keys, NEP-6 wallet files; and the address
// of an account. Browser and Node alike (WebCrypto + hashes.js). Each function resolves to the raw
// 32-byte private key, which the caller turns into a Signer (webcrypto.js) and then clears.
import { NslInputError, bytesToBigInt, concat, equalBytes, subtle, toBytes, utf8 } from './bytes.js';
import { verificationScript } from './canonical.js';
import { ripemd160, scrypt } from './hashes.js';
import { compress, publicPoint } from './p256.js';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const ADDRESS_VERSION = 0x35;
const NEP2_PREFIX = Uint8Array.of(0x01, 0x42, 0xe0);
// NEP-6 files carry their own scrypt parameters; a hostile file must not freeze the page.
const SCRYPT_LIMITS = { N: 1 << 16, r: 16, p: 16 };

async function sha256(b) {
  return new Uint8Array(await subtle().digest('SHA-256', b));
}

export function base58Encode(bytes) {
  let n = bytesToBigInt(bytes);
  let s = '';
  while (n > 0n) { s = ALPHABET[Number(n % 58n)] + s; n /= 58n; }
  for (const b of bytes) { if (b !== 0) break; s = '1' + s; }
  return s;
}

export function base58Decode(text, what) {
  let n = 0n;
  for (let i = 0; i < text.length; i++) {
    const v = ALPHABET.indexOf(text[i]);
    if (v < 0) {
      throw new NslInputError('BAD_BASE58', `${what}: character ${JSON.stringify(text[i])} at position ${i} is not base58`);
    }
    n = n * 58n + BigInt(v);
  }
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros++;
  const body = n === 0n ? new Uint8Array(0) : toBytes(n.toString(16).padStart(Math.ceil(n.toString(16).length / 2) * 2, '0'), what);
  return concat(new Uint8Array(zeros), body);
}

export async function base58CheckEncode(payload) {
  return base58Encode(concat(payload, (await sha256(await sha256(payload))).subarray(0, 4)));
}

export async function base58CheckDecode(text, what) {
  const raw = base58Decode(text, what);
  if (raw.length < 5) throw new NslInputError('BAD_BASE58', `${what} is too short`);
  const payload = raw.subarray(0, raw.length - 4);
  const check = (await sha256(await sha256(payload))).subarray(0, 4);
  if (!equalBytes(check, raw.subarray(raw.length - 4))) {
    throw new NslInputError('BAD_CHECKSUM', `${what} has a wrong checksum: a character is mistyped or missing`);
  }
  return payload;
}

/** The N3 address of a script hash (20 bytes, little-endian as RIPEMD-160 gives it). */
export function addressOf(scriptHashLE) {
  return base58CheckEncode(concat(Uint8Array.of(ADDRESS_VERSION), scriptHashLE));
}

/** The N3 address of a compressed public key. */
export async function addressOfPublicKey(publicKey) {
  return addressOf(ripemd160(await sha256(verificationScript(publicKey))));
}

/** The N3 address of a 32-byte private key. */
export function addressOfPrivateKey(privateKey) {
  return addressOfPublicKey(compress(publicPoint(privateKey)));
}

/** The private key of a WIF (compressed form: 0x80 ‖ key ‖ 0x01, base58check), e.g. "L2WJ…". */
export async function privateKeyFromWif(wif) {
  const text = String(wif).trim();
  const payload = await base58CheckDecode(text, 'the WIF');
  if (payload.length !== 34 || payload[0] !== 0x80 || payload[33] !== 0x01) {
    throw new NslInputError('WIF_INVALID', 'this is not a compressed-key WIF (52 characters starting with K or L)');
  }
  return payload.slice(1, 33);
}

export async function wifOf(privateKey) {
  return base58CheckEncode(concat(Uint8Array.of(0x80), toBytes(privateKey, 'privateKey'), Uint8Array.of(0x01)));
}

// AES-256-ECB decryption of one block with WebCrypto, which has no ECB: CBC-decrypt C with a zero
// IV, followed by the block that CBC-encrypting nothing with IV = C gives (E(C ⊕ pad)), which
// decrypts to exactly one block of valid PKCS#7 padding; what is left is D(C).
async function aesEcbDecryptBlock(key, block) {
  const s = subtle();
  const pad = new Uint8Array(await s.encrypt({ name: 'AES-CBC', iv: block }, key, new Uint8Array(0)));
  return new Uint8Array(await s.decrypt({ name: 'AES-CBC', iv: new Uint8Array(16) }, key, concat(block, pad)));
}

/**
 * The private key of a NEP-2 encrypted key ("6P…") and its passphrase. NEP-2's address hash
 * checks the result: a wrong passphrase gives WALLET_WRONG_PASSWORD, never a wrong key.
 */
export async function decryptNep2(nep2, password, { N = 16384, r = 8, p = 8 } = {}) {
  const raw = await base58CheckDecode(String(nep2).trim(), 'the NEP-2 key');
  if (raw.length !== 39 || !equalBytes(raw.subarray(0, 3), NEP2_PREFIX)) {
    throw new NslInputError('WALLET_MALFORMED', 'the NEP-2 key must be 58 characters starting with 6P (non-EC-multiplied)');
  }
  const addressHash = raw.slice(3, 7);
  const derived = await scrypt(utf8(String(password).normalize('NFC')), addressHash, { N, r, p, dkLen: 64 });
  const s = subtle();
  const key = await s.importKey('raw', derived.subarray(32), 'AES-CBC', false, ['encrypt', 'decrypt']);
  const half1 = await aesEcbDecryptBlock(key, raw.slice(7, 23));
  const half2 = await aesEcbDecryptBlock(key, raw.slice(23, 39));
  const d = concat(half1, half2);
  for (let i = 0; i < 32; i++) d[i] ^= derived[i];
  derived.fill(0); half1.fill(0); half2.fill(0);
  let address = '';
  try {
    address = await addressOfPrivateKey(d);
  } catch (e) {
    if (!(e instanceof NslInputError && e.code === 'BAD_PRIVATE_KEY')) throw e;
  }
  const check = (await sha256(await sha256(utf8(address)))).subarray(0, 4);
  if (!address || !equalBytes(check, addressHash)) {
    d.fill(0);
    throw new NslInputError('WALLET_WRONG_PASSWORD', 'the password does not open this key (NEP-2 address check failed)');
  }
  return d;
}

/**
 * The accounts of a NEP-6 wallet (JSON text or object) that hold a key: [{address, label,
 * isDefault, key}], and its scrypt parameters. Throws WALLET_MALFORMED for what is not one.
 */
export function nep6Accounts(wallet) {
  let w = wallet;
  if (typeof wallet === 'string') {
    try { w = JSON.parse(wallet); } catch (e) {
      throw new NslInputError('WALLET_MALFORMED', `the wallet file is not JSON: ${e.message}`);
    }
  }
  if (!w || typeof w !== 'object' || !Array.isArray(w.accounts)) {
    throw new NslInputError('WALLET_MALFORMED', 'the wallet file is not a NEP-6 wallet (no "accounts" list)');
  }
  const sc = w.scrypt ?? { n: 16384, r: 8, p: 8 };
  const params = { N: Number(sc.n), r: Number(sc.r), p: Number(sc.p) };
  if (!(params.N <= SCRYPT_LIMITS.N && params.r <= SCRYPT_LIMITS.r && params.p <= SCRYPT_LIMITS.p)) {
    throw new NslInputError('WALLET_MALFORMED',
      `the wallet asks for scrypt n=${sc.n} r=${sc.r} p=${sc.p}; this page opens at most n=${SCRYPT_LIMITS.N} r=${SCRYPT_LIMITS.r} p=${SCRYPT_LIMITS.p}`);
  }
  const accounts = w.accounts
    .filter((a) => a && typeof a.key === 'string' && typeof a.address === 'string')
    .map((a) => ({ address: a.address, label: typeof a.label === 'string' ? a.label : '', isDefault: a.isDefault === true, key: a.key }));
  return { accounts, scrypt: params };
}

/**
 * Opens one account of a NEP-6 wallet: `address` if given, else the only one, else the default
 * one. Resolves to the private key.
 */
export async function privateKeyFromNep6(wallet, password, { address } = {}) {
  const { accounts, scrypt: params } = nep6Accounts(wallet);
  let account;
  if (address) account = accounts.find((a) => a.address === address);
  else account = accounts.length === 1 ? accounts[0] : accounts.find((a) => a.isDefault);
  if (!account) {
    throw new NslInputError('WALLET_NO_ACCOUNT', address
      ? `the wallet has no account ${address} with a key`
      : `the wallet has ${accounts.length} accounts with keys and none is the default: choose one by address`);
  }
  const d = await decryptNep2(account.key, password, params);
  if (await addressOfPrivateKey(d) !== account.address) {
    d.fill(0);
    throw new NslInputError('WALLET_MALFORMED', `the key of account ${account.address} belongs to another address`);
  }
  return d;
}
