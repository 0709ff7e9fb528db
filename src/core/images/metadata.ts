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

function xmlEscape(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);
}

function xmlUnescape(text: string): string {
  return text.replace(/&(lt|gt|amp|quot);/g, (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"' })[e] as string);
}

/** The XMP packet Illustrate writes into a WebP: the prompt as dc:description, the rest as Illustrate's own fields. */
function xmpPacket(meta: ImageMetadata): string {
  return (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:illustrate="https://github.com/illustrate/illustrate/ns/1.0/">' +
    `<illustrate:Software>Illustrate</illustrate:Software><dc:description>${xmlEscape(meta.prompt)}</dc:description>` +
    `<illustrate:Comment>${xmlEscape(describeMetadata(meta))}</illustrate:Comment>` +
    '</rdf:Description></rdf:RDF></x:xmpmeta>'
  );
}

function writeUint32LE(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}

function readUint32LE(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

/**
 * A WebP with Illustrate's XMP: an extended (VP8X) header with the XMP flag, then the image, then
 * an `XMP ` chunk; the RIFF size follows. `width`/`height` are the canvas (for a simple WebP's new VP8X).
 */
export function webpWithMetadata(webp: Uint8Array, width: number, height: number, meta: ImageMetadata): Uint8Array {
  if (webp.length < 20 || latin1Text(webp, 0, 4) !== 'RIFF' || latin1Text(webp, 8, 12) !== 'WEBP') {
    return webp;
  }
  const xmp = utf8(xmpPacket(meta));
  const pad = xmp.length % 2;
  const xmpChunk = new Uint8Array(8 + xmp.length + pad);
  xmpChunk.set(latin1('XMP '), 0);
  writeUint32LE(xmpChunk, 4, xmp.length);
  xmpChunk.set(xmp, 8);
  const body = webp.subarray(12);
  let header: Uint8Array;
  let rest: Uint8Array;
  if (latin1Text(body, 0, 4) === 'VP8X') {
    header = body.slice(0, 18);
    header[8] |= 0x04;
    rest = body.subarray(18);
  } else {
    header = new Uint8Array(18);
    header.set(latin1('VP8X'), 0);
    writeUint32LE(header, 4, 10);
    header[8] = 0x04;
    const w = width - 1;
    const h = height - 1;
    header.set([w & 0xff, (w >> 8) & 0xff, (w >> 16) & 0xff, h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff], 12);
    rest = body;
  }
  const out = new Uint8Array(12 + header.length + rest.length + xmpChunk.length);
  out.set(latin1('RIFF'), 0);
  writeUint32LE(out, 4, out.length - 8);
  out.set(latin1('WEBP'), 8);
  out.set(header, 12);
  out.set(rest, 12 + header.length);
  out.set(xmpChunk, 12 + header.length + rest.length);
  return out;
}

/** Reads back what Illustrate wrote: PNG iTXt/tEXt entries, the JPEG comment, or the WebP's XMP. Header chunks only. */
export function readMetadata(b: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  if (b.length > 16 && latin1Text(b, 0, 4) === 'RIFF' && latin1Text(b, 8, 12) === 'WEBP') {
    // Chunks are walked by their sizes: only their headers and the XMP chunk itself are read.
    for (let i = 12; i + 8 <= b.length; ) {
      const type = latin1Text(b, i, i + 4);
      const len = readUint32LE(b, i + 4);
      if (type === 'XMP ') {
        const xml = fromUtf8(b.subarray(i + 8, Math.min(b.length, i + 8 + len, i + 8 + 1024 * 1024)));
        const field = (re: RegExp): string | undefined => re.exec(xml)?.[1];
        const software = field(/<illustrate:Software>([^<]*)</);
        const description = field(/<dc:description>([^<]*)</);
        const comment = field(/<illustrate:Comment>([^<]*)</);
        if (software !== undefined) {
          out.Software = xmlUnescape(software);
        }
        if (description !== undefined) {
          out.Description = xmlUnescape(description);
        }
        if (comment !== undefined) {
          out.Comment = xmlUnescape(comment);
        }
        break;
      }
      i += 8 + len + (len % 2);
    }
    return out;
  }
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
