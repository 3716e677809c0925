// Pure formatting helpers shared by the views (tested in node).

/** 'abcdef…7890' for long hashes and keys; the whole value stays one click away (copy button). */
export function shortHash(value, keep = 6) {
  const s = String(value ?? '');
  return s.length <= keep * 2 + 3 ? s : `${s.slice(0, keep + (s.startsWith('0x') ? 2 : 0))}…${s.slice(-keep)}`;
}

/** GAS amounts arrive in fractions (1 GAS = 10^8); shown with up to 8 decimals, trailing zeros cut. */
export function formatGas(fractions) {
  if (fractions === null || fractions === undefined) return '—';
  const n = BigInt(fractions);
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const whole = abs / 100000000n;
  const frac = (abs % 100000000n).toString().padStart(8, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? '.' + frac : ''}`;
}

/** Integer with thin group separators (gas units, counts). */
export function formatCount(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '—';
  return Number(n).toLocaleString('en-US');
}

/** Pretty JSON for a result; a value JSON cannot show (undefined) is shown as 'null'. */
export function prettyJson(value) {
  return JSON.stringify(value ?? null, null, 2);
}

/**
 * Parses a JSON text field of a form. Throws an Error naming the field and the position, so the
 * page can show which box to fix.
 */
export function parseJsonField(label, text, { emptyAs = undefined } = {}) {
  const t = String(text ?? '').trim();
  if (t === '') {
    if (emptyAs !== undefined) return emptyAs;
    throw new Error(`${label} is empty: write a JSON value (for example {} or {"value": 21}).`);
  }
  try {
    return JSON.parse(t);
  } catch (e) {
    throw new Error(`${label} is not valid JSON: ${e.message}`);
  }
}

/** A whole non-negative number from a form field, or an Error naming the field. */
export function parseWholeField(label, text, { min = 0, max = Number.MAX_SAFE_INTEGER, emptyAs } = {}) {
  const t = String(text ?? '').trim();
  if (t === '' && emptyAs !== undefined) return emptyAs;
  if (!/^[0-9]+$/.test(t)) throw new Error(`${label} must be a whole number, got '${t}'.`);
  const n = Number(t);
  if (n < min || n > max) throw new Error(`${label} must be between ${min} and ${max}, got ${n}.`);
  return n;
}

/** The p-th percentile (0..100) of numbers, nearest-rank; null for none. */
export function percentile(values, p) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * xs.length));
  return xs[rank - 1];
}
