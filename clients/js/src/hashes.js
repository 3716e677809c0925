// The two hash functions Neo keys need that WebCrypto lacks, written from their specifications:
// RIPEMD-160 (Dobbertin, Bosselaers, Preneel 1996) for script hashes, and scrypt (RFC 7914) for
// NEP-2, whose PBKDF2-HMAC-SHA256 steps are WebCrypto's. Checked against the specifications' own
// vectors and against Node's OpenSSL in test/hashes.test.js.
import { NslInputError, subtle } from './bytes.js';

const RL = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
  3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12,
  1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
  4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13];
const RR = [
  5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12,
  6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
  15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13,
  8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
  12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11];
const SL = [
  11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8,
  7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
  11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5,
  11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
  9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6];
const SR = [
  8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6,
  9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
  9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5,
  15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
  8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11];
const KL = [0x00000000, 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xa953fd4e];
const KR = [0x50a28be6, 0x5c4dd124, 0x6d703ef3, 0x7a6d76e9, 0x00000000];

const rol = (x, n) => (x << n) | (x >>> (32 - n));

function f(j, x, y, z) {
  if (j < 16) return x ^ y ^ z;
  if (j < 32) return (x & y) | (~x & z);
  if (j < 48) return (x | ~y) ^ z;
  if (j < 64) return (x & z) | (y & ~z);
  return x ^ (y | ~z);
}

/** RIPEMD-160 of bytes (20 bytes). */
export function ripemd160(message) {
  const bitLength = message.length * 8;
  const padded = new Uint8Array(((message.length + 8) >> 6) * 64 + 64);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, bitLength >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor(bitLength / 2 ** 32), true);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const X = new Array(16);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) X[i] = view.getUint32(block + i * 4, true);
    let [al, bl, cl, dl, el] = h;
    let [ar, br, cr, dr, er] = h;
    for (let j = 0; j < 80; j++) {
      const round = j >> 4;
      let t = (rol((al + f(j, bl, cl, dl) + X[RL[j]] + KL[round]) | 0, SL[j]) + el) | 0;
      al = el; el = dl; dl = rol(cl, 10); cl = bl; bl = t;
      t = (rol((ar + f(79 - j, br, cr, dr) + X[RR[j]] + KR[round]) | 0, SR[j]) + er) | 0;
      ar = er; er = dr; dr = rol(cr, 10); cr = br; br = t;
    }
    const t = (h[1] + cl + dr) | 0;
    h[1] = (h[2] + dl + er) | 0;
    h[2] = (h[3] + el + ar) | 0;
    h[3] = (h[4] + al + br) | 0;
    h[4] = (h[0] + bl + cr) | 0;
    h[0] = t;
  }
  const out = new Uint8Array(20);
  const ov = new DataView(out.buffer);
  h.forEach((w, i) => ov.setUint32(i * 4, w, true));
  return out;
}

async function pbkdf2Sha256(password, salt, length) {
  const key = await subtle().importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
  return new Uint8Array(await subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 1 }, key, length * 8));
}

// Salsa20/8 core on 16 little-endian words of B at offset o, in place: B = B + rounds(B).
// Unrolled on locals: scrypt spends nearly all its time here.
function salsa20_8(B, o) {
  let x0 = B[o + 0], x1 = B[o + 1], x2 = B[o + 2], x3 = B[o + 3], x4 = B[o + 4], x5 = B[o + 5], x6 = B[o + 6], x7 = B[o + 7], x8 = B[o + 8], x9 = B[o + 9], x10 = B[o + 10], x11 = B[o + 11], x12 = B[o + 12], x13 = B[o + 13], x14 = B[o + 14], x15 = B[o + 15];
  let t;
  for (let i = 0; i < 8; i += 2) {
    t = (x0 + x12) | 0; x4 ^= (t << 7) | (t >>> 25);
    t = (x4 + x0) | 0; x8 ^= (t << 9) | (t >>> 23);
    t = (x8 + x4) | 0; x12 ^= (t << 13) | (t >>> 19);
    t = (x12 + x8) | 0; x0 ^= (t << 18) | (t >>> 14);
    t = (x5 + x1) | 0; x9 ^= (t << 7) | (t >>> 25);
    t = (x9 + x5) | 0; x13 ^= (t << 9) | (t >>> 23);
    t = (x13 + x9) | 0; x1 ^= (t << 13) | (t >>> 19);
    t = (x1 + x13) | 0; x5 ^= (t << 18) | (t >>> 14);
    t = (x10 + x6) | 0; x14 ^= (t << 7) | (t >>> 25);
    t = (x14 + x10) | 0; x2 ^= (t << 9) | (t >>> 23);
    t = (x2 + x14) | 0; x6 ^= (t << 13) | (t >>> 19);
    t = (x6 + x2) | 0; x10 ^= (t << 18) | (t >>> 14);
    t = (x15 + x11) | 0; x3 ^= (t << 7) | (t >>> 25);
    t = (x3 + x15) | 0; x7 ^= (t << 9) | (t >>> 23);
    t = (x7 + x3) | 0; x11 ^= (t << 13) | (t >>> 19);
    t = (x11 + x7) | 0; x15 ^= (t << 18) | (t >>> 14);
    t = (x0 + x3) | 0; x1 ^= (t << 7) | (t >>> 25);
    t = (x1 + x0) | 0; x2 ^= (t << 9) | (t >>> 23);
    t = (x2 + x1) | 0; x3 ^= (t << 13) | (t >>> 19);
    t = (x3 + x2) | 0; x0 ^= (t << 18) | (t >>> 14);
    t = (x5 + x4) | 0; x6 ^= (t << 7) | (t >>> 25);
    t = (x6 + x5) | 0; x7 ^= (t << 9) | (t >>> 23);
    t = (x7 + x6) | 0; x4 ^= (t << 13) | (t >>> 19);
    t = (x4 + x7) | 0; x5 ^= (t << 18) | (t >>> 14);
    t = (x10 + x9) | 0; x11 ^= (t << 7) | (t >>> 25);
    t = (x11 + x10) | 0; x8 ^= (t << 9) | (t >>> 23);
    t = (x8 + x11) | 0; x9 ^= (t << 13) | (t >>> 19);
    t = (x9 + x8) | 0; x10 ^= (t << 18) | (t >>> 14);
    t = (x15 + x14) | 0; x12 ^= (t << 7) | (t >>> 25);
    t = (x12 + x15) | 0; x13 ^= (t << 9) | (t >>> 23);
    t = (x13 + x12) | 0; x14 ^= (t << 13) | (t >>> 19);
    t = (x14 + x13) | 0; x15 ^= (t << 18) | (t >>> 14);
  }
  B[o + 0] = (B[o + 0] + x0) | 0;
  B[o + 1] = (B[o + 1] + x1) | 0;
  B[o + 2] = (B[o + 2] + x2) | 0;
  B[o + 3] = (B[o + 3] + x3) | 0;
  B[o + 4] = (B[o + 4] + x4) | 0;
  B[o + 5] = (B[o + 5] + x5) | 0;
  B[o + 6] = (B[o + 6] + x6) | 0;
  B[o + 7] = (B[o + 7] + x7) | 0;
  B[o + 8] = (B[o + 8] + x8) | 0;
  B[o + 9] = (B[o + 9] + x9) | 0;
  B[o + 10] = (B[o + 10] + x10) | 0;
  B[o + 11] = (B[o + 11] + x11) | 0;
  B[o + 12] = (B[o + 12] + x12) | 0;
  B[o + 13] = (B[o + 13] + x13) | 0;
  B[o + 14] = (B[o + 14] + x14) | 0;
  B[o + 15] = (B[o + 15] + x15) | 0;
}

// BlockMix_salsa20/8 of 2r 64-byte blocks (as words) from `input` into `output`; X is 16 words.
function blockMix(input, output, r, X) {
  X.set(input.subarray((2 * r - 1) * 16, 2 * r * 16));
  for (let i = 0; i < 2 * r; i++) {
    for (let k = 0; k < 16; k++) X[k] ^= input[i * 16 + k];
    salsa20_8(X, 0);
    // Even blocks go to the first half, odd ones to the second.
    output.set(X, ((i & 1) * r + (i >> 1)) * 16);
  }
}

function roMix(block, r, n) {
  const words = 32 * r;
  const V = new Uint32Array(words * n);
  const X = new Uint32Array(block);
  const Y = new Uint32Array(words);
  const t = new Uint32Array(16);
  for (let i = 0; i < n; i++) {
    V.set(X, i * words);
    blockMix(X, Y, r, t);
    X.set(Y);
  }
  for (let i = 0; i < n; i++) {
    const j = X[(2 * r - 1) * 16] & (n - 1);
    for (let k = 0; k < words; k++) X[k] ^= V[j * words + k];
    blockMix(X, Y, r, t);
    X.set(Y);
  }
  V.fill(0);
  return X;
}

/**
 * scrypt(password, salt, N, r, p, dkLen) per RFC 7914. N must be a power of two above 1. Memory
 * is 128·r·N bytes (16 MiB for NEP-2's N=16384, r=8) for each of the p lanes, one after the other.
 */
export async function scrypt(password, salt, { N, r, p, dkLen }) {
  if (!(N > 1 && (N & (N - 1)) === 0 && N <= 1 << 20) || !(r >= 1 && r <= 32) || !(p >= 1 && p <= 16)) {
    throw new NslInputError('BAD_SCRYPT_PARAMETERS', `scrypt parameters n=${N} r=${r} p=${p} are outside n=2..2^20 (a power of 2), r=1..32, p=1..16`);
  }
  const B = await pbkdf2Sha256(password, salt, p * 128 * r);
  const bv = new DataView(B.buffer);
  const words = 32 * r;
  for (let lane = 0; lane < p; lane++) {
    // Each lane is about half a second of work: give the page a chance to paint between them.
    if (lane > 0) await new Promise((resolve) => setTimeout(resolve, 0));
    const block = new Uint32Array(words);
    for (let k = 0; k < words; k++) block[k] = bv.getUint32((lane * words + k) * 4, true);
    const mixed = roMix(block, r, N);
    for (let k = 0; k < words; k++) bv.setUint32((lane * words + k) * 4, mixed[k], true);
    mixed.fill(0);
  }
  const out = await pbkdf2Sha256(password, B, dkLen);
  B.fill(0);
  return out;
}
