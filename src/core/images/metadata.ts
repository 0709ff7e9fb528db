import { concatBytes, fromUtf8, latin1, latin1Text, readUint32BE, utf8, writeUint32BE } from '../bytes';
import { ImageFormat, pixelSize } from './imageFormat';
import type { Verdict } from '../review/review';

/** How an image was made, written into the file itself: enough to tell later whether it is still true to its docs. */
export interface ImageMetadata {
  /** The prompt as written (a link's alt text), before the workspace style was added. */
  readonly prompt: string;
  readonly model: string;
  readonly aspectRatio: string;
  readonly imageSize: string;
  readonly date: string;
  /** The workspace style text added to the prompt ('' for none); absent in files from before it was recorded. */
  readonly style?: string;
  /** A fingerprint (`fingerprint`) of each style reference image sent, in order. */
  readonly styleReferences?: readonly string[];
  /** For an edit: the instruction, and the fingerprint of the image it changed. */
  readonly edit?: { readonly instruction: string; readonly source: string };
  /** Illustrate's version. */
  readonly version?: string;
  /** What the request cost, in US dollars, when known. */
  readonly cost?: number;
  /** An alt text the writer kept this image for ("Keep this image"): it is not stale for it. */
  readonly keptAlt?: string;
  /** Its background was taken away: matted from two renders, on pure white and on pure black (`cost` is both calls'). */
  readonly transparent?: boolean;
  /** The last review of the picture against its words (`core/review`): `illustrate check` lists a failed one. */
  readonly review?: RecordedReview;
  /**
   * A twin of another image of the docs (its dark-mode version, its translation into a page's
   * language): which kind, the source's path relative to this file's folder (`/`-separated), the
   * source's `fingerprint` when the twin was made, and for a translation the language. `check`
   * reports the twin stale when the source's bytes change; `fill --stale` makes it again.
   */
  readonly twinOf?: TwinOf;
}

/** What a twin was made from: see `ImageMetadata.twinOf`. */
export interface TwinOf {
  readonly kind: 'dark' | 'translation';
  readonly path: string;
  readonly source: string;
  readonly lang?: string;
}

/** A review as the record keeps it: the verdict, each problem's kind and reason, who looked and when. */
export interface RecordedReview {
  readonly status: 'pass' | 'fail';
  readonly problems: readonly { readonly kind: string; readonly reason: string }[];
  readonly model: string;
  readonly date: string;
}

export function describeMetadata(meta: ImageMetadata): string {
  return `model=${meta.model}; aspectRatio=${meta.aspectRatio || 'auto'}; imageSize=${meta.imageSize || 'default'}; date=${meta.date}`;
}

/** The whole record as one line of JSON (the `Illustrate` entry of every format). */
function provenanceJson(meta: ImageMetadata): string {
  return JSON.stringify({
    v: 1,
    prompt: meta.prompt,
    model: meta.model,
    aspectRatio: meta.aspectRatio,
    imageSize: meta.imageSize,
    date: meta.date,
    style: meta.style,
    styleReferences: meta.styleReferences,
    edit: meta.edit,
    version: meta.version,
    cost: meta.cost,
    keptAlt: meta.keptAlt,
    review: meta.review,
    transparent: meta.transparent,
    twinOf: meta.twinOf,
  });
}

/** Bytes' fingerprint for provenance: CRC-32 and length ("1a2b3c4d-20481"); tells a changed file from the same one. */
export function fingerprint(bytes: Uint8Array): string {
  return `${crc32(bytes).toString(16).padStart(8, '0')}-${bytes.length}`;
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
    const bytes = concatBytes([pngChunk('tEXt', latin1('Software\0Illustrate')), itxt('Description', meta.prompt), itxt('Comment', describeMetadata(meta)), itxt('Illustrate', provenanceJson(meta))]);
    return { offset: 33, bytes };
  }
  if (format === 'jpeg') {
    let text = utf8(`Illustrate: ${meta.prompt}\n${describeMetadata(meta)}\nprovenance=${provenanceJson(meta)}`);
    if (text.length > 65533) {
      // A segment holds 64 KB: an enormous prompt keeps its first line and loses the record.
      text = text.subarray(0, 65533);
    }
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
    `<illustrate:Provenance>${xmlEscape(provenanceJson(meta))}</illustrate:Provenance>` +
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
        const provenance = field(/<illustrate:Provenance>([^<]*)</);
        if (provenance !== undefined) {
          out.Illustrate = xmlUnescape(provenance);
        }
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
        const at = out.Comment.lastIndexOf('\nprovenance=');
        if (at >= 0) {
          out.Illustrate = out.Comment.slice(at + '\nprovenance='.length);
        }
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

function text(v: unknown, max = 100_000): string | undefined {
  return typeof v === 'string' ? v.slice(0, max) : undefined;
}

/** The review a record holds, checked (a hand-edited or damaged one is no review), its sizes capped. */
function recordedReview(v: unknown): RecordedReview | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    return undefined;
  }
  const r = v as Record<string, unknown>;
  if ((r.status !== 'pass' && r.status !== 'fail') || !Array.isArray(r.problems)) {
    return undefined;
  }
  const problems = r.problems
    .slice(0, 20)
    .filter((p): p is Record<string, unknown> => !!p && typeof p === 'object' && typeof (p as Record<string, unknown>).reason === 'string')
    .map((p) => ({ kind: text(p.kind, 20) ?? 'other', reason: (p.reason as string).slice(0, 1000) }));
  return { status: r.status, problems, model: text(r.model, 200) ?? '', date: text(r.date, 40) ?? '' };
}

/** Whether a comment reads as the one Illustrate wrote before the full record: `model=…; date=…` on one line. */
function isOldComment(comment: string): boolean {
  // Line by line with indexOf: a pattern like /model=.*; date=/ rescans the line from every `model=`.
  return comment.split(/[\n\r\u2028\u2029]/).some((line) => {
    const model = line.indexOf('model=');
    return model >= 0 && line.includes('; date=', model + 'model='.length);
  });
}

/** The value of `name=` in a `model=…; date=…` comment: at its start or after `; `, up to the next `;`. */
function commentField(comment: string, name: string): string {
  const key = `${name}=`;
  const after = comment.indexOf(`; ${key}`);
  const at = comment.startsWith(key) ? 0 : after < 0 ? -1 : after + 2;
  if (at < 0) {
    return '';
  }
  const end = comment.indexOf(';', at + key.length);
  return comment.slice(at + key.length, end < 0 ? undefined : end);
}

/**
 * How an image Illustrate made was made, from its header chunks (PNG, JPEG, WebP); undefined for
 * an image from elsewhere. Files from before the full record have their prompt, model and date only.
 */
export function readProvenance(head: Uint8Array): ImageMetadata | undefined {
  const meta = readMetadata(head);
  if (meta.Illustrate !== undefined) {
    try {
      const j = JSON.parse(meta.Illustrate) as Record<string, unknown>;
      const prompt = text(j.prompt);
      if (prompt !== undefined) {
        const refs = Array.isArray(j.styleReferences) ? j.styleReferences.filter((r): r is string => typeof r === 'string').slice(0, 64) : undefined;
        const edit = j.edit && typeof j.edit === 'object' ? (j.edit as Record<string, unknown>) : undefined;
        return {
          prompt,
          model: text(j.model, 200) ?? '',
          aspectRatio: text(j.aspectRatio, 20) ?? '',
          imageSize: text(j.imageSize, 20) ?? '',
          date: text(j.date, 40) ?? '',
          style: text(j.style),
          styleReferences: refs,
          edit: edit && typeof edit.instruction === 'string' && typeof edit.source === 'string' ? { instruction: edit.instruction.slice(0, 100_000), source: edit.source.slice(0, 100) } : undefined,
          version: text(j.version, 40),
          cost: typeof j.cost === 'number' && Number.isFinite(j.cost) ? j.cost : undefined,
          keptAlt: text(j.keptAlt),
          ...(recordedReview(j.review) ? { review: recordedReview(j.review) } : {}),
          ...(j.transparent === true ? { transparent: true } : {}),
          ...(recordedTwin(j.twinOf) ? { twinOf: recordedTwin(j.twinOf) } : {}),
        };
      }
    } catch {
      // a damaged record: read what the older fields say
    }
  }
  let prompt: string | undefined;
  let comment = meta.Comment ?? '';
  if (meta.Description !== undefined && (meta.Software === 'Illustrate' || isOldComment(comment))) {
    prompt = meta.Description;
  } else {
    const jpeg = /^Illustrate: ([\s\S]*?)\n(model=[^\n]*)/.exec(comment);
    if (jpeg) {
      prompt = jpeg[1];
      comment = jpeg[2];
    }
  }
  if (prompt === undefined) {
    return undefined;
  }
  const field = (name: string): string => commentField(comment, name);
  return { prompt, model: field('model'), aspectRatio: field('aspectRatio'), imageSize: field('imageSize'), date: field('date') };
}

/** A record's `twinOf`, when whole and of a known kind; undefined otherwise. */
function recordedTwin(v: unknown): TwinOf | undefined {
  if (!v || typeof v !== 'object') {
    return undefined;
  }
  const t = v as Record<string, unknown>;
  const path = text(t.path, 4096);
  const source = text(t.source, 100);
  if ((t.kind !== 'dark' && t.kind !== 'translation') || !path || !source) {
    return undefined;
  }
  const lang = text(t.lang, 40);
  return { kind: t.kind, path, source, ...(lang ? { lang } : {}) };
}

/** The image without Illustrate's metadata (PNG text chunks, the JPEG comment, the WebP XMP); other bytes untouched. */
function withoutMetadata(b: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  if (b.length > 16 && latin1Text(b, 0, 4) === 'RIFF' && latin1Text(b, 8, 12) === 'WEBP') {
    parts.push(b.subarray(0, 12));
    for (let i = 12; i + 8 <= b.length; ) {
      const len = readUint32LE(b, i + 4);
      const end = Math.min(b.length, i + 8 + len + (len % 2));
      if (latin1Text(b, i, i + 4) !== 'XMP ') {
        parts.push(b.subarray(i, end));
      }
      i = end;
    }
    const out = concatBytes(parts);
    writeUint32LE(out, 4, out.length - 8);
    return out;
  }
  if (b.length > 8 && b[0] === 0x89) {
    let i = 8;
    parts.push(b.subarray(0, 8));
    while (i + 12 <= b.length) {
      const len = readUint32BE(b, i);
      const type = latin1Text(b, i + 4, i + 8);
      if (type === 'IDAT') {
        break;
      }
      const data = b.subarray(i + 8, i + 8 + len);
      const keyword = type === 'tEXt' || type === 'iTXt' ? latin1Text(data, 0, Math.max(0, data.indexOf(0))) : '';
      const ours = (type === 'tEXt' && keyword === 'Software' && latin1Text(data).endsWith('Illustrate')) || (type === 'iTXt' && ['Description', 'Comment', 'Illustrate'].includes(keyword));
      if (!ours) {
        parts.push(b.subarray(i, i + 12 + len));
      }
      i += 12 + len;
    }
    parts.push(b.subarray(i));
    return concatBytes(parts);
  }
  if (b.length > 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    parts.push(b.subarray(0, 2));
    while (i + 4 <= b.length && b[i] === 0xff && b[i + 1] !== 0xda) {
      const len = (b[i + 2] << 8) | b[i + 3];
      const ours = b[i + 1] === 0xfe && latin1Text(b, i + 4, Math.min(b.length, i + 16)) === 'Illustrate: ';
      if (!ours) {
        parts.push(b.subarray(i, i + 2 + len));
      }
      i += 2 + len;
    }
    parts.push(b.subarray(i));
    return concatBytes(parts);
  }
  return b;
}

/** The same image with `meta` as its metadata in place of what Illustrate wrote before ("Keep this image"). */
export function withMetadata(bytes: Uint8Array, format: ImageFormat, meta: ImageMetadata, size: { width: number; height: number }): Uint8Array {
  const bare = withoutMetadata(bytes);
  if (format === 'webp') {
    return webpWithMetadata(bare, size.width, size.height, meta);
  }
  return joinWithInsert([bare], bare.length, metadataInsert(format, meta));
}

/** The image with its record changed to `meta`; undefined for an image without one, or a format that carries none (GIF). */
function withRecord(bytes: Uint8Array, format: ImageFormat, meta: ImageMetadata | undefined): Uint8Array | undefined {
  const size = pixelSize(bytes);
  if (!meta || !size || (format !== 'png' && format !== 'jpeg' && format !== 'webp')) {
    return undefined;
  }
  return withMetadata(bytes, format, meta, size);
}

/**
 * An image Illustrate made (`meta` is its record), with `alt` kept in the record as an alt text it
 * stands for (so it is not stale for it); undefined for an image without a record or a format that
 * carries none (GIF).
 */
export function withKeptAlt(bytes: Uint8Array, format: ImageFormat, meta: ImageMetadata | undefined, alt: string): Uint8Array | undefined {
  return withRecord(bytes, format, meta && { ...meta, keptAlt: alt });
}

/**
 * An image Illustrate made (`meta` is its record), with `review` kept in the record as its last
 * review; undefined for an image without a record, a format that carries none (GIF), or no review
 * to keep (an unreviewed picture keeps the review it had).
 */
export function withReview(bytes: Uint8Array, format: ImageFormat, meta: ImageMetadata | undefined, review: Verdict): Uint8Array | undefined {
  if (review.status === 'unreviewed') {
    return undefined;
  }
  const kept: RecordedReview = { status: review.status, problems: review.problems.map((p) => ({ kind: p.kind, reason: p.reason })), model: review.model, date: review.date };
  return withRecord(bytes, format, meta && { ...meta, review: kept });
}
