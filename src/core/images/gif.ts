/**
 * The first frame of a GIF as RGBA pixels, so a GIF can be described (the Gemini API does not take
 * GIF): the logical screen, the first image drawn on a white background. Untrusted input: every
 * length is checked, the screen and the frame are each held to the decode guard's caps before
 * anything is allocated for them, the LZW decoder is linear in its input.
 */
import { concatBytes } from '../bytes';
import { IllustrateError } from '../errors';
import { checkPixels } from './decodeGuard';

export interface Rgba {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

class Reader {
  at = 0;
  constructor(readonly b: Uint8Array) {}
  byte(): number {
    if (this.at >= this.b.length) {
      throw new RangeError('the GIF ends early');
    }
    return this.b[this.at++];
  }
  u16(): number {
    return this.byte() | (this.byte() << 8);
  }
  bytes(n: number): Uint8Array {
    if (this.at + n > this.b.length) {
      throw new RangeError('the GIF ends early');
    }
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  /** Data sub-blocks (a size byte, that many bytes) up to the empty one, joined. */
  subBlocks(): Uint8Array {
    const parts: Uint8Array[] = [];
    for (let size = this.byte(); size > 0; size = this.byte()) {
      parts.push(this.bytes(size));
    }
    return concatBytes(parts);
  }
  skipSubBlocks(): void {
    for (let size = this.byte(); size > 0; size = this.byte()) {
      this.bytes(size);
    }
  }
}

/** LZW codes (LSB first, variable width) to colour indices: at most `count` of them. */
function lzw(data: Uint8Array, minSize: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  if (minSize < 2 || minSize > 11) {
    throw new RangeError('a bad LZW code size');
  }
  const clear = 1 << minSize;
  const end = clear + 1;
  const prefix = new Int16Array(4096);
  const suffix = new Uint8Array(4096);
  const first = new Uint8Array(4096);
  const length = new Uint16Array(4096);
  for (let i = 0; i < clear; i++) {
    suffix[i] = i;
    first[i] = i;
    length[i] = 1;
    prefix[i] = -1;
  }
  let size = minSize + 1;
  let next = end + 1;
  let previous = -1;
  let written = 0;
  let bits = 0;
  let acc = 0;
  for (let i = 0; i < data.length && written < count; ) {
    while (bits < size && i < data.length) {
      acc |= data[i++] << bits;
      bits += 8;
    }
    if (bits < size) {
      break;
    }
    const code = acc & ((1 << size) - 1);
    acc >>>= size;
    bits -= size;
    if (code === clear) {
      size = minSize + 1;
      next = end + 1;
      previous = -1;
      continue;
    }
    if (code === end) {
      break;
    }
    if (code >= next && (code !== next || previous < 0)) {
      throw new RangeError('a bad LZW code');
    }
    if (previous >= 0 && next < 4096) {
      // The new string: the previous one and the first character of this one (of itself, when it is the one being defined).
      prefix[next] = previous;
      suffix[next] = first[code < next ? code : previous];
      first[next] = first[previous];
      length[next] = length[previous] + 1;
      next++;
      if (next === 1 << size && size < 12) {
        size++;
      }
    }
    // Written back to front: each string is its prefix's string, then its last character.
    const n = length[code];
    const stop = Math.min(written + n, count);
    let at = written + n - 1;
    for (let c = code; c >= 0 && at >= written; c = prefix[c], at--) {
      if (at < stop) {
        out[at] = suffix[c];
      }
    }
    written = stop;
    previous = code;
  }
  return out;
}

/**
 * The first frame of a GIF, or undefined when the bytes are not one it can read; throws the
 * decode guard's refusal when the screen or the frame is larger than it allows.
 */
export function decodeGifFirstFrame(bytes: Uint8Array): Rgba | undefined {
  try {
    const r = new Reader(bytes);
    const signature = String.fromCharCode(...r.bytes(6));
    if (signature !== 'GIF87a' && signature !== 'GIF89a') {
      return undefined;
    }
    const width = r.u16();
    const height = r.u16();
    const packed = r.byte();
    r.byte(); // background colour index: the page's background is white here
    r.byte();
    if (!width || !height) {
      return undefined;
    }
    checkPixels(width, height);
    const globalTable = packed & 0x80 ? r.bytes(3 * (1 << ((packed & 7) + 1))) : undefined;
    let transparent = -1;
    for (;;) {
      const block = r.byte();
      if (block === 0x21) {
        const label = r.byte();
        if (label === 0xf9) {
          const data = r.subBlocks();
          transparent = data.length >= 4 && data[0] & 1 ? data[3] : -1;
        } else {
          r.skipSubBlocks();
        }
        continue;
      }
      if (block !== 0x2c) {
        return undefined;
      }
      const left = r.u16();
      const top = r.u16();
      const w = r.u16();
      const h = r.u16();
      const flags = r.byte();
      const table = flags & 0x80 ? r.bytes(3 * (1 << ((flags & 7) + 1))) : globalTable;
      if (!table || !w || !h) {
        return undefined;
      }
      checkPixels(w, h);
      const minSize = r.byte();
      const indices = lzw(r.subBlocks(), minSize, w * h);
      const out = new Uint8ClampedArray(width * height * 4).fill(255);
      const rows = flags & 0x40 ? interlacedRows(h) : undefined;
      for (let y = 0; y < h; y++) {
        const dy = top + (rows ? rows[y] : y);
        if (dy >= height) {
          continue;
        }
        for (let x = 0; x < w; x++) {
          const dx = left + x;
          const index = indices[y * w + x];
          if (dx >= width || index === transparent || index * 3 + 2 >= table.length) {
            continue;
          }
          const o = (dy * width + dx) * 4;
          out[o] = table[index * 3];
          out[o + 1] = table[index * 3 + 1];
          out[o + 2] = table[index * 3 + 2];
        }
      }
      return { width, height, data: out };
    }
  } catch (e: unknown) {
    if (e instanceof IllustrateError) {
      throw e;
    }
    return undefined;
  }
}

/** Where each stored row of an interlaced image goes: rows 0, 8, 16…, then 4, 12…, then 2, 6…, then 1, 3…. */
function interlacedRows(h: number): Int32Array {
  const rows = new Int32Array(h);
  let i = 0;
  for (const [start, step] of [
    [0, 8],
    [4, 8],
    [2, 4],
    [1, 2],
  ]) {
    for (let y = start; y < h; y += step) {
      rows[i++] = y;
    }
  }
  return rows;
}
