// The isomorphic part of @neo-service-layer/client: everything here runs in a browser (the
// console imports it through console/src/crypto/index.js) and in Node 20+, on WebCrypto alone.
// index.js (Node) re-exports it next to its synchronous node:crypto helpers.
import { privateKeyFromNep6, privateKeyFromWif } from './neo-keys.js';
import { signerFromPrivateKey } from './webcrypto.js';

export { NslInputError, toHex, toBytes, base64, fromBase64 } from './bytes.js';
export { API_SCHEME, HEADERS, requestMessageBytes, checkSecretName, envelopeHeader, envelopeSignedPart,
  verificationScript } from './canonical.js';
export { ripemd160, scrypt } from './hashes.js';
export { GAS, TxDecodeError, TxNotAsAskedError, WITNESS_SCOPES, arg, checkPreparedCall, decodeContractCall, decodeTransaction,
  describeArg, formatGas } from './neo-tx.js';
export { compress, decompress } from './p256.js';
export { addressOf, addressOfPrivateKey, addressOfPublicKey, base58CheckDecode, base58CheckEncode, decryptNep2, nep6Accounts,
  privateKeyFromNep6, privateKeyFromWif, wifOf } from './neo-keys.js';
export { accountOf, checkReportDataBinding, sealSecretEnvelope, sha256, signRequestHeaders, signerFromPrivateKey,
  verifySignature } from './webcrypto.js';

/** A Signer from a WIF ("K…"/"L…"). */
export async function signerFromWif(wif) {
  return signerFromPrivateKey(await privateKeyFromWif(wif));
}

/** A Signer from a NEP-6 wallet (file text or parsed) and its password; `address` picks an account. */
export async function signerFromNep6(wallet, password, { address } = {}) {
  return signerFromPrivateKey(await privateKeyFromNep6(wallet, password, { address }));
}
