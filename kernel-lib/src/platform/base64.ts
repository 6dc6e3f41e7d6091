/**
 * Base64 (RFC 4648, standard alphabet, '=' padding) without Node's Buffer, so code that reads
 * saved models runs in a browser too. Encoding gives the same text as
 * `Buffer.from(bytes).toString('base64')`; decoding reads that text back exactly.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) INDEX[ALPHABET.charCodeAt(i)] = i;

/** Base64 text of `bytes`. */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const n = bytes.length;
  let chunk = '';
  for (let i = 0; i < n; i += 3) {
    const b0 = bytes[i];
    const b1 = i + 1 < n ? bytes[i + 1] : 0;
    const b2 = i + 2 < n ? bytes[i + 2] : 0;
    chunk +=
      ALPHABET[b0 >> 2] +
      ALPHABET[((b0 & 3) << 4) | (b1 >> 4)] +
      (i + 1 < n ? ALPHABET[((b1 & 15) << 2) | (b2 >> 6)] : '=') +
      (i + 2 < n ? ALPHABET[b2 & 63] : '=');
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

/** The bytes of base64 text `s` (padding optional). Throws on a character outside the alphabet. */
export function base64ToBytes(s: string): Uint8Array {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 61 /* = */) end--;
  if (end % 4 === 1) throw new Error(`base64: invalid length ${s.length}`);
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? INDEX[c] : -1;
    if (v < 0) throw new Error(`base64: invalid character '${s[i]}' at ${i}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
