/**
 * Bytes without Node's Buffer, so the core runs in Node and in a browser's web worker alike:
 * joining, text in and out, base64 out, and the few integer reads the format checks need.
 */

import { trimEndOf } from './text';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/** One array holding `parts` end to end. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) {
    total += p.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

export function utf8Length(text: string): number {
  return utf8Encoder.encode(text).length;
}

export function fromUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/** One byte per character (characters above U+00FF keep their low byte, as Node's 'latin1'). */
export function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    out[i] = text.charCodeAt(i) & 0xff;
  }
  return out;
}

/** Bytes as one character each (U+0000–U+00FF), as Node's 'latin1'. */
export function latin1Text(bytes: Uint8Array, from = 0, to = bytes.length): string {
  let s = '';
  for (let i = from; i < to; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(to, i + 8192)));
  }
  return s;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding, built in slices so a 7 MB image never becomes an argument list. */
export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const SLICE = 3 * 16384;
  for (let start = 0; start < bytes.length; start += SLICE) {
    const end = Math.min(bytes.length, start + SLICE);
    let s = '';
    let i = start;
    for (; i + 2 < end; i += 3) {
      const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      s += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
    }
    if (end - i === 1) {
      const n = bytes[i] << 16;
      s += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}==`;
    } else if (end - i === 2) {
      const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
      s += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}${ALPHABET[(n >> 6) & 63]}=`;
    }
    parts.push(s);
  }
  return parts.join('');
}

export function readUint32BE(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) >>> 0) + ((bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]);
}

export function readUint32LE(bytes: Uint8Array, at: number): number {
  return ((bytes[at + 3] << 24) >>> 0) + ((bytes[at + 2] << 16) | (bytes[at + 1] << 8) | bytes[at]);
}

export function writeUint32BE(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = (value >>> 24) & 0xff;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

/** `n` random bytes from the platform's CSPRNG (Web Crypto: Node 20 and browsers alike). */
export function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    s += b.toString(16).padStart(2, '0');
  }
  return s;
}

/** Base64url without padding (ids in names and URLs). */
export function toBase64Url(bytes: Uint8Array): string {
  return trimEndOf(toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_'), /=/);
}

/** SHA-256 of `data`, hex. */
export async function sha256Hex(data: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data)));
}
