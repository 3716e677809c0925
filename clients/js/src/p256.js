// secp256r1 (P-256) point arithmetic with BigInt: only what WebCrypto does not offer. WebCrypto
// takes and gives uncompressed points; Neo uses compressed ones, and importing a private key as
// JWK needs its public point. WARNING: this arithmetic is not constant-time. It runs once per key
// load (d·G) and on public data (decompression); every signature and every ECDH is WebCrypto's.
import { NslInputError, bigIntToBytes, bytesToBigInt, concat } from './bytes.js';

export const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
export const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
const G = { x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n };

const mod = (a, m = P) => { const r = a % m; return r < 0n ? r + m : r; };

function modPow(base, exp, m) {
  let r = 1n;
  let b = mod(base, m);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

const inv = (a) => modPow(a, P - 2n, P);

// Jacobian coordinates (X, Y, Z) with x = X/Z², y = Y/Z³; Z = 0 is the point at infinity.
function double([X, Y, Z]) {
  if (Z === 0n || Y === 0n) return [0n, 1n, 0n];
  const YY = mod(Y * Y);
  const S = mod(4n * X * YY);
  const ZZ = mod(Z * Z);
  const M = mod(3n * (X - ZZ) * (X + ZZ)); // a = -3
  const X3 = mod(M * M - 2n * S);
  return [X3, mod(M * (S - X3) - 8n * YY * YY), mod(2n * Y * Z)];
}

function add(p, q) {
  const [X1, Y1, Z1] = p;
  const [X2, Y2, Z2] = q;
  if (Z1 === 0n) return q;
  if (Z2 === 0n) return p;
  const Z1Z1 = mod(Z1 * Z1);
  const Z2Z2 = mod(Z2 * Z2);
  const U1 = mod(X1 * Z2Z2);
  const U2 = mod(X2 * Z1Z1);
  const S1 = mod(Y1 * Z2 * Z2Z2);
  const S2 = mod(Y2 * Z1 * Z1Z1);
  if (U1 === U2) return S1 === S2 ? double(p) : [0n, 1n, 0n];
  const H = mod(U2 - U1);
  const R = mod(S2 - S1);
  const HH = mod(H * H);
  const HHH = mod(H * HH);
  const X3 = mod(R * R - HHH - 2n * U1 * HH);
  return [X3, mod(R * (U1 * HH - X3) - S1 * HHH), mod(H * Z1 * Z2)];
}

function toAffine([X, Y, Z]) {
  const zi = inv(Z);
  const zi2 = mod(zi * zi);
  return { x: mod(X * zi2), y: mod(Y * zi2 * zi) };
}

/** k·Q for 1 <= k < n, Q an affine point. */
export function multiply(k, q = G) {
  let r = [0n, 1n, 0n];
  let a = [q.x, q.y, 1n];
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) r = add(r, a);
    a = double(a);
  }
  return toAffine(r);
}

export function isOnCurve({ x, y }) {
  return x >= 0n && x < P && y >= 0n && y < P && mod(y * y) === mod(x * x * x - 3n * x + B);
}

/** The scalar of a 32-byte private key; refuses 0 and values >= n. */
export function privateScalar(d) {
  if (!(d instanceof Uint8Array) || d.length !== 32) {
    throw new NslInputError('BAD_PRIVATE_KEY', 'a private key must be 32 bytes');
  }
  const k = bytesToBigInt(d);
  if (k === 0n || k >= N) throw new NslInputError('BAD_PRIVATE_KEY', 'the private key is not a secp256r1 scalar (0 or >= n)');
  return k;
}

/** The public point of a 32-byte private key. */
export function publicPoint(d) {
  return multiply(privateScalar(d));
}

export function compress({ x, y }) {
  return concat(Uint8Array.of(y & 1n ? 3 : 2), bigIntToBytes(x, 32));
}

export function uncompressed({ x, y }) {
  return concat(Uint8Array.of(4), bigIntToBytes(x, 32), bigIntToBytes(y, 32));
}

/**
 * The point of a 33-byte compressed key: y = √(x³ − 3x + b), which is (…)^((p+1)/4) as p ≡ 3 mod 4.
 * Throws NslInputError BAD_PUBLIC_KEY for a wrong length or prefix, or an x with no point.
 */
export function decompress(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 33 || (bytes[0] !== 2 && bytes[0] !== 3)) {
    throw new NslInputError('BAD_PUBLIC_KEY', 'a public key must be 33 bytes, compressed (02 or 03 first)');
  }
  const x = bytesToBigInt(bytes.subarray(1));
  if (x >= P) throw new NslInputError('BAD_PUBLIC_KEY', 'the public key x is not below the field prime: not a secp256r1 point');
  const rhs = mod(x * x * x - 3n * x + B);
  let y = modPow(rhs, (P + 1n) / 4n, P);
  if (mod(y * y) !== rhs) throw new NslInputError('BAD_PUBLIC_KEY', 'the public key is not a point on secp256r1');
  if ((y & 1n) !== BigInt(bytes[0] & 1)) y = P - y;
  return { x, y };
}
