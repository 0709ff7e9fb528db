import { concatBytes, fromUtf8, latin1, latin1Text, readUint32BE, utf8, writeUint32BE } from '../bytes';
import { ImageFormat } from './imageFormat';

/** How an image was made, written into the file itself. */
export interface ImageMetadata {
  readonly prompt: string;
  readonly model: string;
  readonly aspectRatio: string;
  readonly imageSize: string;
  readonly date: string;
}

export function describeMetadata(meta: ImageMetadata): string {
  return `model=${meta.model}; aspectRatio=${meta.aspectRatio || 'auto'}; imageSize=${meta.imageSize || 'default'}; date=${meta.date}`;
}

let crcTable: Uint32Array | undefined;

export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) {
        c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  writeUint32BE(out, 0, data.length);
  out.set(latin1(type), 4);
  out.set(data, 8);
  writeUint32BE(out, 8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An iTXt chunk: keyword, no compression, empty language tag and translated keyword, UTF-8 text. */
function itxt(keyword: string, text: string): Uint8Array {
  return pngChunk('iTXt', concatBytes([latin1(keyword), new Uint8Array(5), utf8(text)]));
}

/**
 * Where the metadata goes and its bytes: PNG chunks after IHDR (byte 33), a JPEG COM segment
 * after SOI (byte 2). Other formats carry none.
 */
export function metadataInsert(format: ImageFormat, meta: ImageMetadata): { offset: number; bytes: Uint8Array } | undefined {
  if (format === 'png') {
    const bytes = concatBytes([pngChunk('tEXt', latin1('Software\0Illustrate')), itxt('Description', meta.prompt), itxt('Comment', describeMetadata(meta))]);
    return { offset: 33, bytes };
  }
  if (format === 'jpeg') {
    const text = utf8(`Illustrate: ${meta.prompt}\n${describeMetadata(meta)}`).subarray(0, 65533);
    const seg = new Uint8Array(4 + text.length);
    seg[0] = 0xff;
    seg[1] = 0xfe;
    seg[2] = ((text.length + 2) >> 8) & 0xff;
    seg[3] = (text.length + 2) & 0xff;
    seg.set(text, 4);
    return { offset: 2, bytes: seg };
  }
  return undefined;
}

/** Joins decoded chunks into the file's bytes, inserting `insert` at `offset`, in one allocation. */
export function joinWithInsert(chunks: readonly Uint8Array[], total: number, insert?: { offset: number; bytes: Uint8Array }): Uint8Array {
  const extra = insert && insert.offset <= total ? insert.bytes.length : 0;
  const out = new Uint8Array(total + extra);
  let written = 0;
  let source = 0;
  for (const chunk of chunks) {
    if (extra && insert && source <= insert.offset && insert.offset < source + chunk.length) {
      const cut = insert.offset - source;
      out.set(chunk.subarray(0, cut), written);
      written += cut;
      out.set(insert.bytes, written);
      written += insert.bytes.length;
      out.set(chunk.subarray(cut), written);
      written += chunk.length - cut;
    } else {
      out.set(chunk, written);
      written += chunk.length;
    }
    source += chunk.length;
  }
  if (extra && insert && insert.offset === total) {
    out.set(insert.bytes, written);
  }
  return out;
}

/** Reads back what Illustrate wrote: PNG iTXt/tEXt entries, or the JPEG comment. */
export function readMetadata(b: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  if (b.length > 8 && b[0] === 0x89) {
    let i = 8;
    while (i + 12 <= b.length) {
      const len = readUint32BE(b, i);
      const type = latin1Text(b, i + 4, i + 8);
      const data = b.subarray(i + 8, i + 8 + len);
      if (type === 'tEXt') {
        const z = data.indexOf(0);
        out[latin1Text(data, 0, z)] = latin1Text(data, z + 1);
      } else if (type === 'iTXt') {
        const z = data.indexOf(0);
        let j = z + 3;
        j = data.indexOf(0, j) + 1;
        j = data.indexOf(0, j) + 1;
        out[latin1Text(data, 0, z)] = fromUtf8(data.subarray(j));
      } else if (type === 'IDAT') {
        break;
      }
      i += 12 + len;
    }
  } else if (b.length > 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 4 <= b.length && b[i] === 0xff) {
      const marker = b[i + 1];
      const len = (b[i + 2] << 8) | b[i + 3];
      if (marker === 0xfe) {
        out.Comment = fromUtf8(b.subarray(i + 4, i + 2 + len));
        break;
      }
      if (marker === 0xda) {
        break;
      }
      i += 2 + len;
    }
  }
  return out;
}
