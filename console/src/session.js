// Who is signed in. The key lives in this object only (page memory); sessionStorage keeps the WIF
// for this tab only when the user ticked "remember in this tab". Nothing is ever sent: each API
// call carries a signature, not the key.
import * as keys from './crypto/index.js';

const STORAGE_KEY = 'nsl.console.wif';

export function createSession({ storage = globalThis.sessionStorage } = {}) {
  let account = null; // { key, address, publicKeyHex, scriptHash }
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
      const key = await keys.accountFromWif(String(wif).trim());
      return adopt(key, { remember, wif: String(wif).trim() });
    },
    async signInWithNep6(walletText, password, { remember = false } = {}) {
      const key = await keys.accountFromNep6(walletText, password);
      // A NEP-6 sign-in is remembered as its WIF only when asked; the password is never kept.
      return adopt(key, { remember, wif: remember ? await keys.exportWif?.(key) : null });
    },
    async restore() {
      const wif = storage?.getItem(STORAGE_KEY);
      if (!wif) return null;
      try {
        return await adopt(await keys.accountFromWif(wif), { remember: true, wif });
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
      return keys.signedHeaders(account, { method, pathAndQuery, body: bodyBytes });
    },
    signBytes(bytes) {
      if (!account) throw new Error('Sign in first.');
      return keys.signBytes(account, bytes);
    },
  };
}
