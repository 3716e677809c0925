// Who is signed in. The key lives in this object only (page memory); sessionStorage keeps the WIF
// for this tab only when the user ticked "remember in this tab". Nothing is ever sent: each API
// call carries a signature, not the key.
import * as keys from './crypto/index.js';

const STORAGE_KEY = 'nsl.console.wif';

export function createSession({ storage = globalThis.sessionStorage } = {}) {
  let account = null; // a Signer of ./crypto: { address, publicKeyHex, scriptHash, sign(bytes) }
  const listeners = new Set();
  const changed = () => listeners.forEach((f) => f(account));

  async function adopt(key, { remember, wif }) {
    account = key;
    if (remember && wif) storage?.setItem(STORAGE_KEY, wif);
    else storage?.removeItem(STORAGE_KEY);
    changed();
    return account;
  }

  return {
    signedIn: () => account !== null,
    account: () => account,
    onChange(f) {
      listeners.add(f);
      return () => listeners.delete(f);
    },
    async signInWithWif(wif, { remember = false } = {}) {
      const text = String(wif ?? '').trim();
      if (text === '') throw new Error('Paste a WIF first (52 characters starting with K or L).');
      return adopt(await keys.signerFromWif(text), { remember, wif: text });
    },
    async signInWithNep6(walletText, password, { remember = false } = {}) {
      let wallet;
      try {
        wallet = JSON.parse(walletText);
      } catch (e) {
        throw new Error(`This file is not a NEP-6 wallet (not JSON: ${e.message}).`);
      }
      const d = await keys.privateKeyFromNep6(wallet, password);
      try {
        // Remembered (as its WIF, for this tab only) when asked; the password is never kept.
        const wif = remember ? await keys.wifOf(d) : null;
        return adopt(await keys.signerFromPrivateKey(d.slice()), { remember, wif });
      } finally {
        d.fill(0);
      }
    },
    async restore() {
      const wif = storage?.getItem(STORAGE_KEY);
      if (!wif) return null;
      try {
        return await adopt(await keys.signerFromWif(wif), { remember: true, wif });
      } catch {
        storage.removeItem(STORAGE_KEY);
        return null;
      }
    },
    signOut() {
      account = null;
      storage?.removeItem(STORAGE_KEY);
      changed();
    },
    signedHeaders(method, pathAndQuery, bodyBytes) {
      if (!account) throw new Error('Sign in first.');
      return keys.signRequestHeaders({ signer: account, method, pathAndQuery, body: bodyBytes });
    },
    signBytes(bytes) {
      if (!account) throw new Error('Sign in first.');
      return account.sign(bytes); // ECDSA P-256 over SHA-256(bytes), r‖s: a Neo witness signature
    },
  };
}
