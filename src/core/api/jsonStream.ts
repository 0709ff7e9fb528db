/**
 * An incremental JSON parser for generateContent answers. Every value is built as JSON.parse would,
 * except the base64 string of an `inlineData.data` field, which is decoded to bytes as it arrives,
 * so a 30 MB answer is never held as one string.
 */

import { concatBytes, fromUtf8, latin1, latin1Text } from '../bytes';
const BASE64 = (() => {
  const table = new Int8Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) {
    table[alphabet.charCodeAt(i)] = i;
  }
  // URL-safe letters too, as some gateways send them.
  table[0x2d] = 62;
  table[0x5f] = 63;
  return table;
})();

/** Two base64 letters (first << 8 | second) to their 12 bits, or -1: half the lookups of BASE64. Made on first use. */
let pairTable: Int16Array | undefined;
function base64Pairs(): Int16Array {
  if (!pairTable) {
    pairTable = new Int16Array(65536).fill(-1);
    for (let a = 0; a < 256; a++) {
      if (BASE64[a] >= 0) {
        for (let b = 0; b < 256; b++) {
          if (BASE64[b] >= 0) {
            pairTable[(a << 8) | b] = (BASE64[a] << 6) | BASE64[b];
          }
        }
      }
    }
  }
  return pairTable;
}

const BLOCK = 1 << 20;
/**
 * Room left free before an image's first byte, so the metadata Illustrate writes after its header
 * can be put in place without copying the image (`ImageData.withInsert`).
 */
const FRONT = 32 * 1024;
const EQUALS = 0x3d;
const DATA_URL = /^data:image\/[a-z0-9.+-]+;base64,$/i;
const MAX_DATA_URL_HEADER = 100;
/** A data URL at the start of a text part, bare or as a markdown image. */
const DATA_URL_TEXT = /^\s*(!\[[^\]\n]{0,200}\]\(\s*<?)?data:image\/[a-z0-9.+-]+;base64,/i;
const MAX_SNIFF = 300;

const enum Decode {
  /** The first bytes: base64, or a `data:image/…;base64,` header some gateways put before it. */
  Start,
  Header,
  Body,
  Padding,
  /** After the terminator of a data URL inside text (the ")" of `![](data:…)`): the rest is not image. */
  Done,
  Invalid,
}

function isBase64Space(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * The hot loop of a download: whole groups of four letters from `from` to `end` into `block` at
 * `at`, two pair-table lookups a group. Stops at a group holding a non-letter (a pair's -1 makes it
 * negative) and returns where it stopped. A function of its own, with no object state, so V8 keeps
 * one optimized copy of it instead of re-optimizing the decoder's method after each collection.
 */
function decodeGroups(pairs: Int16Array, bytes: Uint8Array, from: number, end: number, block: Uint8Array, at: number): number {
  let i = from;
  let o = at;
  while (i < end) {
    const v = (pairs[(bytes[i] << 8) | bytes[i + 1]] << 12) | pairs[(bytes[i + 2] << 8) | bytes[i + 3]];
    if (v < 0) {
      break;
    }
    block[o] = v >> 16;
    block[o + 1] = (v >> 8) & 0xff;
    block[o + 2] = v & 0xff;
    o += 3;
    i += 4;
  }
  return i;
}

/**
 * Decoded bytes of one inlineData part. The base64 text is decoded byte by byte as it arrives,
 * straight into 1 MiB blocks: no string of it is ever made, so memory stays near the image's size.
 * Anything that is not base64 (a stray character, padding in the middle) makes it `invalid`: a
 * broken image is never passed on as a good one.
 */
export class ImageData {
  chunks: Uint8Array[] = [];
  byteLength = 0;
  invalid = false;
  private block: Uint8Array | undefined;
  private used = 0;
  /** Where the current block's bytes start (FRONT for the first block, else 0). */
  private blockStart = 0;
  private acc = 0;
  private sextets = 0;
  private padding = 0;
  private state = Decode.Start;
  private header = '';

  /**
   * @param kept false for image data outside the answer's first candidate: checked for nothing, stored nowhere.
   * @param fromText for a data URL found in a text part: its header is already read, and `stopAt`
   *   (the ")" of a markdown image) ends the base64.
   */
  constructor(
    readonly kept = true,
    readonly fromText?: { readonly stopAt?: number },
  ) {
    if (fromText) {
      this.state = Decode.Body;
    }
  }

  /** Base64 text given as bytes (the usual path). */
  pushBytes(bytes: Uint8Array): void {
    if (!this.kept) {
      return;
    }
    const n = bytes.length;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case Decode.Start:
          if (!isBase64Space(bytes[i])) {
            this.state = bytes[i] === 0x64 /* d */ ? Decode.Header : Decode.Body;
          } else {
            i++;
          }
          break;
        case Decode.Header:
          i = this.headerByte(bytes[i], i);
          break;
        case Decode.Body:
          i = this.body(bytes, i);
          break;
        case Decode.Padding: {
          const c = bytes[i++];
          if (c === EQUALS && this.padding < 2) {
            this.padding++;
          } else if (c === this.fromText?.stopAt) {
            this.state = Decode.Done;
          } else if (!isBase64Space(c)) {
            this.state = Decode.Invalid;
          }
          break;
        }
        default:
          i = n;
      }
    }
    if (this.state === Decode.Invalid) {
      this.invalid = true;
    }
  }

  /** One byte of what may be a `data:image/…;base64,` header; "d" is also a base64 letter. */
  private headerByte(c: number, i: number): number {
    this.header += String.fromCharCode(c);
    if (this.header.length <= 5 && !'data:'.startsWith(this.header)) {
      this.replayHeader();
    } else if (c === 0x2c) {
      this.state = DATA_URL.test(this.header) ? Decode.Body : Decode.Invalid;
      this.header = '';
    } else if (this.header.length > MAX_DATA_URL_HEADER) {
      this.state = Decode.Invalid;
    }
    return i + 1;
  }

  /** The bytes taken for a header were base64 after all. */
  private replayHeader(): void {
    const text = this.header;
    this.header = '';
    this.state = Decode.Body;
    this.pushBytes(latin1(text));
  }

  private body(bytes: Uint8Array, from: number): number {
    // The hot loop of a download: state in locals, four letters and three bytes at a time where it can.
    const n = bytes.length;
    let acc = this.acc;
    let sextets = this.sextets;
    let block = this.block;
    let used = this.used;
    let written = 0;
    let i = from;
    let stop = n;
    while (i < n) {
      if (sextets === 0 && block !== undefined) {
        // Whole groups of four letters that fit the block; a pair with a non-letter (-1) makes the group negative.
        const end = i + 4 * Math.min((n - i) >> 2, ((block.length - used) / 3) | 0);
        const start = i;
        i = decodeGroups(base64Pairs(), bytes, i, end, block, used);
        used += ((i - start) >> 2) * 3;
        written += ((i - start) >> 2) * 3;
        if (i >= n) {
          break;
        }
      }
      const ch = bytes[i];
      const v = BASE64[ch];
      if (v < 0) {
        if (ch === EQUALS) {
          this.state = Decode.Padding;
          this.padding = 1;
          stop = i + 1;
          break;
        }
        if (ch === this.fromText?.stopAt) {
          this.state = Decode.Done;
          break;
        }
        if (!isBase64Space(ch)) {
          this.state = Decode.Invalid;
          break;
        }
        i++;
        continue;
      }
      i++;
      acc = (acc << 6) | v;
      if (++sextets === 4) {
        // The slow path (a letter split by a chunk or a space, or a full block): one byte at a time.
        this.used = used;
        this.byteLength += written;
        written = 0;
        this.out((acc >> 16) & 0xff);
        this.out((acc >> 8) & 0xff);
        this.out(acc & 0xff);
        block = this.block;
        used = this.used;
        acc = 0;
        sextets = 0;
      }
    }
    this.acc = acc;
    this.sextets = sextets;
    this.used = used;
    this.byteLength += written;
    return stop;
  }

  /** Base64 text given as a string (from JSON escapes such as "\/"). */
  push(base64: string): void {
    // A character beyond ASCII is never base64: it becomes a byte the decoder rejects.
    this.pushBytes(latin1(base64.replace(/[^\x00-\x7f]/g, '\x80')));
  }

  finish(): void {
    if (this.state === Decode.Header && 'data:'.startsWith(this.header)) {
      this.replayHeader();
    }
    if (this.state === Decode.Header) {
      this.state = Decode.Invalid;
    }
    const whole = this.padding === 0 ? this.sextets !== 1 : this.sextets + this.padding === 4;
    if (this.state === Decode.Invalid || !whole) {
      this.invalid = true;
    } else if (this.sextets === 2) {
      this.out((this.acc >> 4) & 0xff);
    } else if (this.sextets === 3) {
      this.out((this.acc >> 10) & 0xff);
      this.out((this.acc >> 2) & 0xff);
    }
    this.acc = 0;
    this.sextets = 0;
    if (this.block && this.used > this.blockStart) {
      this.chunks.push(this.block.subarray(this.blockStart, this.used));
    }
    this.block = undefined;
    this.used = 0;
  }

  /**
   * The image's bytes with `insert` (Illustrate's metadata) at its offset, as one array. An image
   * in one block is not copied: its header moves into the room left before it, the metadata after
   * it. The image's own chunks are spent by this (call it once, then release).
   */
  withInsert(insert: { readonly offset: number; readonly bytes: Uint8Array } | undefined, join: (chunks: readonly Uint8Array[], total: number, insert?: { offset: number; bytes: Uint8Array }) => Uint8Array): Uint8Array {
    const only = this.chunks.length === 1 ? this.chunks[0] : undefined;
    if (only && this.firstInBlock && insert && insert.offset <= only.length && insert.bytes.length <= only.byteOffset) {
      const buffer = new Uint8Array(only.buffer, 0, only.byteOffset + only.length);
      const start = only.byteOffset - insert.bytes.length;
      buffer.copyWithin(start, only.byteOffset, only.byteOffset + insert.offset);
      buffer.set(insert.bytes, start + insert.offset);
      this.chunks = [];
      return buffer.subarray(start);
    }
    return join(this.chunks, this.byteLength, insert);
  }

  /** The first chunk starts its block after the free room (it is always so: kept for clarity of the check). */
  private get firstInBlock(): boolean {
    return this.chunks[0]?.byteOffset === FRONT;
  }

  /** Frees the bytes of an image that will not be used. */
  release(): void {
    this.chunks = [];
    this.byteLength = 0;
    this.block = undefined;
    this.used = 0;
    this.blockStart = 0;
  }

  /** The first `n` bytes, for sniffing the format (copies those bytes only). */
  head(n: number): Uint8Array {
    const out = new Uint8Array(Math.min(n, this.byteLength));
    let got = 0;
    for (const c of this.chunks) {
      if (got >= out.length) {
        break;
      }
      const take = c.subarray(0, out.length - got);
      out.set(take, got);
      got += take.length;
    }
    return out.subarray(0, got);
  }

  /** The last `n` bytes, for checking that the image is complete (copies those bytes only). */
  tail(n: number): Uint8Array {
    const out = new Uint8Array(Math.min(n, this.byteLength));
    let end = out.length;
    for (let i = this.chunks.length - 1; i >= 0 && end > 0; i--) {
      const c = this.chunks[i];
      const take = c.subarray(Math.max(0, c.length - end));
      out.set(take, end - take.length);
      end -= take.length;
    }
    return out.subarray(end);
  }

  private out(byte: number): void {
    if (!this.block || this.used === this.block.length) {
      if (this.block) {
        this.chunks.push(this.block.subarray(this.blockStart));
      }
      // The first block leaves room in front for the metadata (see withInsert).
      this.blockStart = this.block || this.chunks.length ? 0 : FRONT;
      this.block = new Uint8Array(BLOCK);
      this.used = this.blockStart;
    }
    this.block[this.used++] = byte;
    this.byteLength++;
  }
}

export class JsonStreamError extends Error {}

type Frame = { kind: 'object'; value: Record<string, unknown>; key: string | undefined } | { kind: 'array'; value: unknown[] };

const enum State {
  Value,
  AfterValue,
  Key,
  Colon,
  String,
  Escape,
  Literal,
  Done,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MAX_DEPTH = 64;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Where an answer sits inside a larger document: keys, and `'*'` for any element of an array. */
export type AnswerPath = readonly string[];

export class JsonStreamParser {
  /**
   * @param at where the generateContent answer is: `[]` for an answer on its own, `['response']`
   *   for a line of a batch's results file, `['response', 'inlinedResponses', 'inlinedResponses', '*', 'response']`
   *   for a batch operation's inline results. Image data anywhere else is not kept.
   */
  constructor(private readonly at: AnswerPath = []) {}

  private state = State.Value;
  private stack: Frame[] = [];
  private root: unknown;
  private hasRoot = false;
  private stringIsKey = false;
  private stringRaw: Uint8Array[] = [];
  private stringImage: ImageData | undefined;
  /** The decoded start of a candidate's text part, while it may still be a data URL image. */
  private sniff: string | undefined;
  private escape = '';
  private literal = '';
  /** Called when an object that holds an inlineData image closes, so unused images can be freed early. */
  onImagePart: ((part: Record<string, unknown>) => void) | undefined;

  write(chunk: Uint8Array): void {
    const buf = chunk;
    let i = 0;
    const n = buf.length;
    while (i < n) {
      switch (this.state) {
        case State.String: {
          const q = buf.indexOf(QUOTE, i);
          const b = buf.indexOf(BACKSLASH, i);
          if (b !== -1 && (q === -1 || b < q)) {
            this.stringBytes(buf.subarray(i, b));
            this.escape = '\\';
            this.state = State.Escape;
            i = b + 1;
          } else if (q !== -1) {
            this.stringBytes(buf.subarray(i, q));
            i = q + 1;
            this.endString();
          } else {
            this.stringBytes(buf.subarray(i));
            i = n;
          }
          break;
        }
        case State.Escape: {
          this.escape += String.fromCharCode(buf[i++]);
          if (this.escape.length === 2 && this.escape[1] !== 'u') {
            this.endEscape();
          } else if (this.escape.length === 6) {
            this.endEscape();
          }
          break;
        }
        case State.Literal: {
          const c = buf[i];
          if (c === 0x2c || c === 0x7d || c === 0x5d || isSpace(c)) {
            this.endLiteral();
          } else {
            this.literal += String.fromCharCode(c);
            if (this.literal.length > 64) {
              throw new JsonStreamError('literal too long');
            }
            i++;
          }
          break;
        }
        default:
          this.structural(buf[i++]);
      }
    }
  }

  /** The parsed value; throws when the text ended early. */
  end(): unknown {
    if (this.state === State.Literal && this.stack.length === 0) {
      this.endLiteral();
    }
    if (this.state !== State.Done) {
      throw new JsonStreamError('the answer ended before its JSON was complete');
    }
    return this.root;
  }

  private structural(c: number): void {
    if (isSpace(c)) {
      return;
    }
    switch (this.state) {
      case State.Value:
        return this.startValue(c);
      case State.Key:
        if (c === QUOTE) {
          this.startString(true);
          return;
        }
        if (c === 0x7d && this.top()?.kind === 'object' && Object.keys(this.top()!.value).length === 0) {
          return this.closeContainer();
        }
        throw new JsonStreamError('expected a key');
      case State.Colon:
        if (c !== 0x3a) {
          throw new JsonStreamError('expected ":"');
        }
        this.state = State.Value;
        return;
      case State.AfterValue: {
        const top = this.top();
        if (c === 0x2c && top) {
          this.state = top.kind === 'object' ? State.Key : State.Value;
          return;
        }
        if ((c === 0x7d && top?.kind === 'object') || (c === 0x5d && top?.kind === 'array')) {
          return this.closeContainer();
        }
        throw new JsonStreamError(`unexpected "${String.fromCharCode(c)}"`);
      }
      case State.Done:
        throw new JsonStreamError('text after the end of the JSON');
      default:
        throw new JsonStreamError('parser state');
    }
  }

  private startValue(c: number): void {
    if (c === QUOTE) {
      return this.startString(false);
    }
    if (c === 0x7b || c === 0x5b) {
      if (this.stack.length >= MAX_DEPTH) {
        throw new JsonStreamError('nested too deeply');
      }
      const frame: Frame = c === 0x7b ? { kind: 'object', value: {}, key: undefined } : { kind: 'array', value: [] };
      this.stack.push(frame);
      this.state = c === 0x7b ? State.Key : State.Value;
      return;
    }
    if (c === 0x5d && this.top()?.kind === 'array' && (this.top()!.value as unknown[]).length === 0) {
      return this.closeContainer();
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e) {
      this.literal = String.fromCharCode(c);
      this.state = State.Literal;
      return;
    }
    throw new JsonStreamError(`unexpected "${String.fromCharCode(c)}"`);
  }

  private startString(isKey: boolean): void {
    this.stringIsKey = isKey;
    this.stringRaw = [];
    this.stringImage = !isKey && this.atImageData() ? new ImageData(this.inFirstCandidate()) : undefined;
    this.sniff = !isKey && this.atCandidateText() ? '' : undefined;
    this.state = State.String;
  }

  private atImageData(): boolean {
    const n = this.stack.length;
    const top = this.stack[n - 1];
    const parent = this.stack[n - 2];
    return (
      top?.kind === 'object' &&
      top.key === 'data' &&
      parent?.kind === 'object' &&
      (parent.key === 'inlineData' || parent.key === 'inline_data')
    );
  }

  /**
   * Whether the string being read is `candidates[0].content.parts[i].inlineData.data`: only that
   * is the answer's image. Image data anywhere else (a gateway echoing the request) is skipped.
   */
  private inFirstCandidate(): boolean {
    return this.stack.length === this.at.length + 7 && this.inFirstCandidatePart();
  }

  /** Whether the string being read is `candidates[0].content.parts[i].text`. */
  private atCandidateText(): boolean {
    const b = this.at.length;
    return this.stack.length === b + 6 && this.inFirstCandidatePart() && this.keyAt(b + 5) === 'text';
  }

  /** Whether the stack starts with the answer's path, then `candidates[0].content.parts[i]`. */
  private inFirstCandidatePart(): boolean {
    const s = this.stack;
    const b = this.at.length;
    for (let i = 0; i < b; i++) {
      if (this.at[i] === '*' ? s[i]?.kind !== 'array' : this.keyAt(i) !== this.at[i]) {
        return false;
      }
    }
    const candidates = s[b + 1];
    return (
      this.keyAt(b) === 'candidates' && candidates?.kind === 'array' && candidates.value.length === 0 && this.keyAt(b + 2) === 'content' && this.keyAt(b + 3) === 'parts' && s[b + 4]?.kind === 'array'
    );
  }

  private keyAt(i: number): string | undefined {
    const frame = this.stack[i];
    return frame?.kind === 'object' ? frame.key : undefined;
  }

  /**
   * Some gateways put the image in a text part, as `data:image/…;base64,…` or `![](data:…)`. The
   * start of each text part is checked; once it is such a URL, the rest is decoded as the image.
   */
  private sniffText(text: string): void {
    this.sniff = (this.sniff ?? '') + text;
    const m = DATA_URL_TEXT.exec(this.sniff);
    if (m) {
      const image = new ImageData(true, { stopAt: m[1] ? 0x29 : undefined });
      image.push(this.sniff.slice(m[0].length));
      this.stringImage = image;
      this.stringRaw = [];
      this.sniff = undefined;
    } else {
      const first = this.sniff.trimStart()[0];
      if (this.sniff.length > MAX_SNIFF || (first !== undefined && first !== 'd' && first !== '!')) {
        this.sniff = undefined;
      }
    }
  }

  private stringBytes(bytes: Uint8Array): void {
    if (bytes.length === 0) {
      return;
    }
    if (this.stringImage) {
      this.stringImage.pushBytes(bytes);
      return;
    }
    this.stringRaw.push(bytes.slice());
    if (this.sniff !== undefined) {
      this.sniffText(latin1Text(bytes));
    }
  }

  private endEscape(): void {
    const seq = this.escape;
    this.state = State.String;
    if (this.stringImage) {
      this.stringImage.push(this.decodeEscape(seq));
    } else {
      const ch = this.decodeEscape(seq);
      this.stringRaw.push(latin1(seq));
      if (this.sniff !== undefined) {
        this.sniffText(ch);
      }
    }
  }

  private decodeEscape(seq: string): string {
    try {
      return JSON.parse(`"${seq}"`) as string;
    } catch {
      throw new JsonStreamError('bad escape in a string');
    }
  }

  private endString(): void {
    if (this.stringImage) {
      const image = this.stringImage;
      image.finish();
      this.stringImage = undefined;
      this.state = State.AfterValue;
      return this.addValue(image);
    }
    let text: string;
    try {
      text = JSON.parse(`"${fromUtf8(concatBytes(this.stringRaw))}"`) as string;
    } catch {
      throw new JsonStreamError('bad string');
    }
    this.stringRaw = [];
    if (this.stringIsKey) {
      const top = this.top();
      if (top?.kind === 'object') {
        top.key = text;
      }
      this.state = State.Colon;
      return;
    }
    this.state = State.AfterValue;
    this.addValue(text);
  }

  private endLiteral(): void {
    let value: unknown;
    try {
      value = JSON.parse(this.literal);
    } catch {
      throw new JsonStreamError(`bad literal "${this.literal.slice(0, 20)}"`);
    }
    this.literal = '';
    this.state = State.AfterValue;
    this.addValue(value);
  }

  private addValue(value: unknown): void {
    const top = this.top();
    if (!top) {
      this.root = value;
      this.hasRoot = true;
      this.state = State.Done;
      return;
    }
    if (top.kind === 'array') {
      top.value.push(value);
    } else if (top.key !== undefined) {
      top.value[top.key] = value;
      top.key = undefined;
    }
    this.state = State.AfterValue;
  }

  private closeContainer(): void {
    const frame = this.stack.pop()!;
    if (frame.kind === 'object' && this.onImagePart) {
      const inline = frame.value.inlineData ?? frame.value.inline_data;
      const data = typeof inline === 'object' && inline !== null ? (inline as Record<string, unknown>).data : frame.value.text;
      if (data instanceof ImageData && data.kept) {
        this.onImagePart(frame.value);
      }
    }
    this.addValue(frame.value);
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  get done(): boolean {
    return this.hasRoot && this.state === State.Done;
  }
}
