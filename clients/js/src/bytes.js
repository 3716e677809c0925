// Byte helpers on Uint8Array, the same in a browser and in Node (a Buffer is a Uint8Array).

/** Thrown for input a caller can fix: `code` is stable, the message says what and how. */
export class NslInputError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'NslInputError';
    this.code = code;
  }
}

/** WebCrypto's SubtleCrypto; NO_WEBCRYPTO outside a secure context (http on another host than localhost). */
export function subtle() {
  const s = globalThis.crypto?.subtle;
  if (!s) {
    throw new NslInputError('NO_WEBCRYPTO',
      'WebCrypto is not available: open the console over https or on localhost/127.0.0.1 (a secure context)');
  }
  return s;
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Bytes from hex (an optional 0x is dropped) or a copy of a Uint8Array. */
export function toBytes(v, what) {
  if (typeof v === 'string') {
    const s = v.startsWith('0x') ? v.slice(2) : v;
    if (!HEX.test(s)) throw new NslInputError('BAD_HEX', `${what} must be hex (pairs of 0-9a-f), got ${s.length} characters that are not`);
    const out = new Uint8Array(s.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
    return out;
  }
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (v instanceof ArrayBuffer) return new Uint8Array(v.slice(0));
  throw new NslInputError('BAD_BYTES', `${what} must be hex or bytes`);
}

export function toHex(b) {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export function u32be(n) {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

export function u64be(n) {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
}

export function utf8(s) {
  return new TextEncoder().encode(s);
}

export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

export function bytesToBigInt(b) {
  return b.length === 0 ? 0n : BigInt('0x' + toHex(b));
}

export function bigIntToBytes(n, length) {
  const hex = n.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) throw new RangeError(`${n} does not fit in ${length} bytes`);
  return toBytes(hex, 'number');
}

export function base64url(b) {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64(b) {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

export function fromBase64(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
