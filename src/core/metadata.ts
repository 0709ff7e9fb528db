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

function pngChunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An iTXt chunk: keyword, no compression, empty language tag and translated keyword, UTF-8 text. */
function itxt(keyword: string, text: string): Buffer {
  return pngChunk('iTXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')]));
}

/**
 * Where the metadata goes and its bytes: PNG chunks after IHDR (byte 33), a JPEG COM segment
 * after SOI (byte 2). Other formats carry none.
 */
export function metadataInsert(format: ImageFormat, meta: ImageMetadata): { offset: number; bytes: Buffer } | undefined {
  if (format === 'png') {
    const bytes = Buffer.concat([
      pngChunk('tEXt', Buffer.from('Software\0Illustrate', 'latin1')),
      itxt('Description', meta.prompt),
      itxt('Comment', describeMetadata(meta)),
    ]);
    return { offset: 33, bytes };
  }
  if (format === 'jpeg') {
    let text = Buffer.from(`Illustrate: ${meta.prompt}\n${describeMetadata(meta)}`, 'utf8');
    text = text.subarray(0, 65533);
    const seg = Buffer.alloc(4 + text.length);
    seg[0] = 0xff;
    seg[1] = 0xfe;
    seg.writeUInt16BE(text.length + 2, 2);
    text.copy(seg, 4);
    return { offset: 2, bytes: seg };
  }
  return undefined;
}

/** Joins decoded chunks into the file's bytes, inserting `insert` at `offset`, in one allocation. */
export function joinWithInsert(chunks: readonly Uint8Array[], total: number, insert?: { offset: number; bytes: Uint8Array }): Buffer {
  const extra = insert && insert.offset <= total ? insert.bytes.length : 0;
  const out = Buffer.allocUnsafe(total + extra);
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
export function readMetadata(bytes: Uint8Array): Record<string, string> {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Record<string, string> = {};
  if (b.length > 8 && b[0] === 0x89) {
    let i = 8;
    while (i + 12 <= b.length) {
      const len = b.readUInt32BE(i);
      const type = b.toString('latin1', i + 4, i + 8);
      const data = b.subarray(i + 8, i + 8 + len);
      if (type === 'tEXt') {
        const z = data.indexOf(0);
        out[data.toString('latin1', 0, z)] = data.toString('latin1', z + 1);
      } else if (type === 'iTXt') {
        const z = data.indexOf(0);
        let j = z + 3;
        j = data.indexOf(0, j) + 1;
        j = data.indexOf(0, j) + 1;
        out[data.toString('latin1', 0, z)] = data.toString('utf8', j);
      } else if (type === 'IDAT') {
        break;
      }
      i += 12 + len;
    }
  } else if (b.length > 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 4 <= b.length && b[i] === 0xff) {
      const marker = b[i + 1];
      const len = b.readUInt16BE(i + 2);
      if (marker === 0xfe) {
        out.Comment = b.toString('utf8', i + 4, i + 2 + len);
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
