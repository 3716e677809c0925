// Hex <-> bytes, strict: an odd length or a non-hex character is an error naming it.
export function hexToBytes(hex) {
  const s = String(hex ?? '').replace(/^0x/, '');
  if (s.length % 2 !== 0) throw new Error(`hex of odd length ${s.length}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const byte = s.slice(2 * i, 2 * i + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(byte)) throw new Error(`not hex at position ${2 * i}: '${byte}'`);
    out[i] = parseInt(byte, 16);
  }
  return out;
}

export function bytesToHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
