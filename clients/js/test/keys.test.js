// Key loading as the console does it: WIF, NEP-2, NEP-6 (devnet wallet), and the hashes under them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { addressOfPrivateKey, base58CheckEncode, decompress, compress, decryptNep2, privateKeyFromNep6, privateKeyFromWif, ripemd160,
  scrypt, signerFromNep6, signerFromWif, toHex, wifOf, NslInputError } from '../src/browser.js';

const utf8 = (s) => new TextEncoder().encode(s);
const devnetWallet = fs.readFileSync(new URL('../../../config/devnet/developer.wallet.json', import.meta.url), 'utf8');

test('RIPEMD-160 gives the specification\'s vectors and agrees with OpenSSL', () => {
  const spec = {
    '': '9c1185a5c5e9fc54612808977ee8f548b2258d31',
    abc: '8eb208f7e05d987a9b044a8e98c6b087f15a0bfc',
    'message digest': '5d0689ef49d2fae572b881b123a85ffa21595f36',
    '12345678901234567890123456789012345678901234567890123456789012345678901234567890': '9b752e45573d4b39f4dbd3323cab82bf63326bfb',
    ['a'.repeat(1_000_000)]: '52783243c1697bdbe16d37f97f68f08325dc1528',
  };
  for (const [m, h] of Object.entries(spec)) assert.equal(toHex(ripemd160(utf8(m))), h, m.slice(0, 20));
  for (let n = 0; n < 300; n += 7) { // every padding case around the 56- and 64-byte boundaries
    const m = crypto.randomBytes(n);
    assert.equal(toHex(ripemd160(m)), crypto.createHash('ripemd160').update(m).digest('hex'), `length ${n}`);
  }
});

test('scrypt gives RFC 7914\'s vectors and agrees with OpenSSL at NEP-2\'s parameters', async () => {
  assert.equal(toHex(await scrypt(utf8('password'), utf8('NaCl'), { N: 1024, r: 8, p: 16, dkLen: 64 })),
    'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640');
  const got = await scrypt(utf8('pw'), utf8('salt'), { N: 16384, r: 8, p: 8, dkLen: 64 });
  assert.equal(toHex(got), crypto.scryptSync('pw', 'salt', 64, { N: 16384, r: 8, p: 8, maxmem: 1 << 28 }).toString('hex'));
});

test('scrypt refuses parameters that would freeze the page', async () => {
  await assert.rejects(scrypt(utf8('p'), utf8('s'), { N: 1 << 30, r: 8, p: 8, dkLen: 64 }), { code: 'BAD_SCRYPT_PARAMETERS' });
  await assert.rejects(scrypt(utf8('p'), utf8('s'), { N: 1000, r: 8, p: 8, dkLen: 64 }), { code: 'BAD_SCRYPT_PARAMETERS' });
});

test('the devnet developer wallet opens with its published password to its address and key', async () => {
  const signer = await signerFromNep6(devnetWallet, 'nsl-devnet-only');
  const account = JSON.parse(devnetWallet).accounts[0];
  assert.equal(signer.address, 'NLtsb3qH1g4858S99VChpMfN2ZFiX8tAq4');
  assert.equal(signer.address, account.address);
  // The wallet's own verification script names the public key.
  const script = Buffer.from(account.contract.script, 'base64');
  assert.equal(signer.publicKeyHex, script.subarray(2, 35).toString('hex'));
  assert.equal(String(signer), 'Signer(NLtsb3qH1g4858S99VChpMfN2ZFiX8tAq4)');
  assert.ok(!JSON.stringify(signer).includes('"d"'), 'the signer holds no key bytes');
  // docs/quickstart.md prints its WIF as L2WJ…MoiZkD.
  const wif = await wifOf(await privateKeyFromNep6(devnetWallet, 'nsl-devnet-only'));
  assert.match(wif, /^L2WJ.*MoiZkD$/);
  assert.equal((await signerFromWif(wif)).address, signer.address);
});

test('a wrong password is told apart from a broken wallet', async () => {
  await assert.rejects(signerFromNep6(devnetWallet, 'nsl-devnet-onlY'), { code: 'WALLET_WRONG_PASSWORD' });
  await assert.rejects(signerFromNep6('{"accounts": 3}', 'x'), { code: 'WALLET_MALFORMED' });
  await assert.rejects(signerFromNep6('not json', 'x'), { code: 'WALLET_MALFORMED' });
  const hostile = JSON.parse(devnetWallet);
  hostile.scrypt = { n: 1 << 30, r: 8, p: 8 };
  await assert.rejects(signerFromNep6(hostile, 'nsl-devnet-only'), /at most n=65536/);
  const two = JSON.parse(devnetWallet);
  two.accounts = [{ ...two.accounts[0], isDefault: false }, { ...two.accounts[0], address: 'NZ', isDefault: false }];
  await assert.rejects(signerFromNep6(two, 'nsl-devnet-only'), { code: 'WALLET_NO_ACCOUNT' });
  await assert.rejects(signerFromNep6(two, 'nsl-devnet-only', { address: 'Nnope' }), /no account Nnope/);
});

// NEP-2 made independently, with OpenSSL's scrypt and AES-256-ECB, per the NEP-2 text.
async function nep2WithOpenSsl(d, password) {
  const sha = (b) => crypto.createHash('sha256').update(b).digest();
  const address = await addressOfPrivateKey(d);
  const addressHash = sha(sha(Buffer.from(address))).subarray(0, 4);
  const dk = crypto.scryptSync(Buffer.from(password.normalize('NFC')), addressHash, 64, { N: 16384, r: 8, p: 8, maxmem: 1 << 28 });
  const x = Buffer.from(d);
  for (let i = 0; i < 32; i++) x[i] ^= dk[i];
  const aes = crypto.createCipheriv('aes-256-ecb', dk.subarray(32), null).setAutoPadding(false);
  const payload = Buffer.concat([Buffer.from([1, 0x42, 0xe0]), addressHash, aes.update(x), aes.final()]);
  return { nep2: await base58CheckEncode(payload), address };
}

test('NEP-2 keys made with OpenSSL decrypt, with a Unicode and an empty passphrase', async () => {
  for (const pass of ['密码@👍', '']) {
    const d = new Uint8Array(crypto.randomBytes(32));
    const { nep2, address } = await nep2WithOpenSsl(d, pass);
    assert.match(nep2, /^6P/);
    const got = await decryptNep2(nep2, pass);
    assert.equal(toHex(got), toHex(d));
    assert.equal(await addressOfPrivateKey(got), address);
  }
});

// A WIF and its key from neo3-gogogo's key tests (WIF does not depend on the address format).
test('WIF: decodes, and a mistyped or foreign one says what is wrong', async () => {
  assert.equal(toHex(await privateKeyFromWif('L1caMUAsHr2dKwhqbMpYRcCzmzvZTfYZSCBefgARhz9iimAFRn1z')),
    '831cb932167332a768f1c898d2cf4586a14aa606b7f078eba028c849c306cce6');
  await assert.rejects(privateKeyFromWif('L1caMUAsHr2dKwhqbMpYRcCzmzvZTfYZSCBefgARhz9iimAFRn1Z'), { code: 'BAD_CHECKSUM' });
  await assert.rejects(privateKeyFromWif('L1caMUAsHr2dKwhqbMpYRcCzmzvZTfYZSCBefgARhz9iimAFRn10'), /character "0" at position 51/);
  // A valid base58check string that is not a WIF: an address.
  await assert.rejects(privateKeyFromWif('NTY5R9UBKDUmLCGvQVba5JqnrGKctZkEig'), { code: 'WIF_INVALID' });
  await assert.rejects(privateKeyFromWif('x'), NslInputError);
});

test('compressed points: decompression round-trips and refuses what is not a point', () => {
  for (let i = 0; i < 20; i++) {
    const ecdh = crypto.createECDH('prime256v1');
    ecdh.generateKeys();
    const c = ecdh.getPublicKey(null, 'compressed');
    const p = decompress(new Uint8Array(c));
    assert.equal(toHex(compress(p)), c.toString('hex'));
    assert.equal(p.y.toString(16).padStart(64, '0'), ecdh.getPublicKey(null, 'uncompressed').subarray(33).toString('hex'));
  }
  assert.throws(() => decompress(Uint8Array.from([2, ...new Array(32).fill(0xff)])), { code: 'BAD_PUBLIC_KEY' });
  assert.throws(() => decompress(Uint8Array.from([4, ...new Array(32).fill(1)])), /compressed/);
  assert.throws(() => decompress(new Uint8Array(32)), /33 bytes/);
});
