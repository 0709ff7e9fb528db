/**
 * Decompression bombs: a small file whose header claims a huge image is refused from its header,
 * before anything is decoded, with a message saying what to do; the codec's worker is stopped when
 * a job runs over its time limit and started again for the next one.
 */
import * as assert from 'assert';
import * as path from 'path';
import { deflateSync } from 'zlib';
import { IllustrateError } from '../../src/core/errors';
import { CodecJobs, codecCrashed, CodecRequest, CodecWorkerEvents, StartCodecWorker } from '../../src/core/images/codec';
import { decodableSize, MAX_DECODE_PIXELS, MAX_DECODE_SIDE } from '../../src/core/images/decodeGuard';
import { decodeGifFirstFrame } from '../../src/core/images/gif';
import { WorkerCodec } from '../../src/node/codec';
import { makePng } from '../fake-gemini/images';

const DIST = path.resolve(__dirname, '../../../dist');

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    }
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG whose IHDR says `side`×`side` (1-bit grey) and whose IDAT is every row, all zero, deflated: a few KB that decode to side² RGBA pixels. */
function pngBomb(side: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((1 + Math.ceil(side / 8)) * side);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw, { level: 9 })), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A GIF of a `width`×`height` screen and one frame as large, whose LZW data is a clear code and the end: 34 bytes. */
function gifBomb(width: number, height: number, frame = { width, height }): Buffer {
  const b: number[] = [...Buffer.from('GIF89a', 'latin1')];
  const u16 = (n: number): void => void b.push(n & 0xff, n >> 8);
  u16(width);
  u16(height);
  b.push(0x80, 0, 0); // a global table of 2 colours, background 0, no aspect
  b.push(0, 0, 0, 255, 255, 255);
  b.push(0x2c);
  u16(0);
  u16(0);
  u16(frame.width);
  u16(frame.height);
  b.push(0); // no local table, not interlaced
  b.push(2, 1, 0x2c, 0); // LZW minimum size 2; one sub-block: clear (4) then end (5), 3 bits each
  b.push(0x3b);
  return Buffer.from(b);
}

/** The header of a PNG (signature and IHDR) that says `width`×`height`. */
function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr)]);
}

/** The start of a JPEG: an APP0 segment, then a frame header (`sof`: 0xc0 baseline, 0xc2 progressive) that says `width`×`height`. */
function jpegHeader(width: number, height: number, sof = 0xc0): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0', 'latin1'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const frame = Buffer.from([0xff, sof, 0x00, 0x11, 8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, frame]);
}

/** An extended WebP's header (VP8X) that says `width`×`height`. */
function webpHeader(width: number, height: number): Buffer {
  const b = Buffer.alloc(30);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(22, 4);
  b.write('WEBPVP8X', 8, 'latin1');
  b.writeUInt32LE(10, 16);
  b.writeUIntLE(width - 1, 24, 3);
  b.writeUIntLE(height - 1, 27, 3);
  return b;
}

function refusal(width: number, height: number): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof IllustrateError, String(e));
    assert.strictEqual(e.kind, 'tooLarge');
    assert.ok(e.message.includes(`${width}×${height} pixels`), e.message);
    assert.match(e.message, /at most 24 megapixels and 16384 pixels a side.*Scale it down and save it again/);
    return true;
  };
}

const unreadable = (e: unknown): boolean => e instanceof IllustrateError && /cannot read the size of this image from its header/.test(e.message);

describe('the decode guard reads the size from the header', () => {
  it('passes the largest images the API answers, and refuses one pixel more than the caps, in every format', () => {
    assert.strictEqual(MAX_DECODE_PIXELS, 24_000_000);
    assert.strictEqual(MAX_DECODE_SIDE, 16384);
    assert.deepStrictEqual(decodableSize(pngHeader(12288, 1536), 'png'), { width: 12288, height: 1536 });
    assert.deepStrictEqual(decodableSize(pngHeader(4096, 4096), 'png'), { width: 4096, height: 4096 });
    assert.deepStrictEqual(decodableSize(pngHeader(6000, 4000), 'png'), { width: 6000, height: 4000 });
    assert.deepStrictEqual(decodableSize(pngHeader(16384, 2), 'png'), { width: 16384, height: 2 });
    assert.deepStrictEqual(decodableSize(jpegHeader(6336, 2688), 'jpeg'), { width: 6336, height: 2688 });
    assert.deepStrictEqual(decodableSize(webpHeader(12288, 1536), 'webp'), { width: 12288, height: 1536 });
    assert.throws(() => decodableSize(pngHeader(16385, 2), 'png'), refusal(16385, 2));
    assert.throws(() => decodableSize(pngHeader(6001, 4000), 'png'), refusal(6001, 4000));
    assert.throws(() => decodableSize(pngHeader(0x7fffffff, 0x7fffffff), 'png'), refusal(0x7fffffff, 0x7fffffff));
    assert.throws(() => decodableSize(jpegHeader(60000, 60000, 0xc2), 'jpeg'), refusal(60000, 60000));
    assert.throws(() => decodableSize(webpHeader(16000, 16000), 'webp'), refusal(16000, 16000));
    assert.throws(() => decodableSize(gifBomb(6324, 6324), 'gif'), refusal(6324, 6324));
    // A small screen does not let a large first frame through (the decoder allocates for it).
    assert.throws(() => decodableSize(gifBomb(10, 10, { width: 20000, height: 1 }), 'gif'), refusal(20000, 1));
  });

  it('refuses a header whose size it cannot read: truncated, another first chunk, no frame, another format than claimed', () => {
    assert.throws(() => decodableSize(pngHeader(100, 100).subarray(0, 20), 'png'), unreadable);
    const textFirst = Buffer.concat([pngHeader(1, 1).subarray(0, 8), pngChunk('tEXt', Buffer.alloc(13, 0x41)), pngHeader(1, 1).subarray(8)]);
    assert.throws(() => decodableSize(textFirst, 'png'), unreadable);
    assert.throws(() => decodableSize(Buffer.concat([jpegHeader(10, 10).subarray(0, 22), Buffer.from([0xff, 0xd9])]), 'jpeg'), unreadable);
    assert.throws(() => decodableSize(jpegHeader(10, 0), 'jpeg'), unreadable);
    assert.throws(() => decodableSize(gifBomb(10, 10).subarray(0, 22), 'gif'), unreadable);
    assert.throws(() => decodableSize(pngHeader(10, 10), 'jpeg'), unreadable);
    assert.throws(() => decodableSize(webpHeader(10, 10), 'png'), unreadable);
    assert.throws(() => decodableSize(Buffer.alloc(0), 'png'), unreadable);
  });

  it('the GIF decoder holds its screen and its frame to the same caps', () => {
    assert.throws(() => decodeGifFirstFrame(gifBomb(10, 10, { width: 20000, height: 1 })), refusal(20000, 1));
    assert.throws(() => decodeGifFirstFrame(gifBomb(5000, 5000, { width: 1, height: 1 })), refusal(5000, 5000));
    assert.deepStrictEqual(decodeGifFirstFrame(gifBomb(4, 3))?.data.length, 4 * 3 * 4);
  });
});

describe('decompression bombs are refused from the header, before decoding', function () {
  this.timeout(15_000);
  const codec = new WorkerCodec(DIST);
  after(() => codec.stop());

  it('a PNG whose IHDR says 16000×16000 (a few KB of zeros) is refused, as describe would send it and as a conversion', async () => {
    const bomb = pngBomb(16000);
    assert.ok(bomb.length < 100_000, `${bomb.length} bytes`);
    const before = process.memoryUsage().rss;
    await assert.rejects(codec.convert(bomb, 'png', 'jpeg', { quality: 80, maxWidth: 768 }), refusal(16000, 16000));
    await assert.rejects(codec.convert(bomb, 'png', 'webp', { quality: 80, maxWidth: 0 }), refusal(16000, 16000));
    assert.ok(process.memoryUsage().rss - before < 200 * 1048576, 'nothing was decoded');
  });

  it('a 34-byte GIF whose screen is 6324×6324 is refused by the codec and by the GIF decoder itself', async () => {
    const bomb = gifBomb(6324, 6324);
    assert.strictEqual(bomb.length, 34);
    const before = process.memoryUsage().rss;
    await assert.rejects(codec.convert(bomb, 'gif', 'jpeg', { quality: 80, maxWidth: 768 }), refusal(6324, 6324));
    assert.throws(() => decodeGifFirstFrame(bomb), refusal(6324, 6324));
    assert.ok(process.memoryUsage().rss - before < 200 * 1048576, 'nothing was decoded');
  });
});

/** Workers that behave as `behave` says, and the record of what was started, sent and ended. */
function fakeWorkers(behave: (request: CodecRequest, events: CodecWorkerEvents, worker: number) => void): { log: string[]; start: StartCodecWorker } {
  const log: string[] = [];
  let started = 0;
  const start: StartCodecWorker = (events) => {
    const n = ++started;
    log.push(`start ${n}`);
    return {
      post: (request) => {
        log.push(`job ${request.id} to ${n}`);
        behave(request, events, n);
      },
      terminate: () => log.push(`end ${n}`),
    };
  };
  return { log, start };
}

const answer = (request: CodecRequest, events: CodecWorkerEvents): void => void setImmediate(() => events.reply({ id: request.id, bytes: new Uint8Array([request.id]), width: 4, height: 4 }));
const small = makePng(4, 4);
const options = { quality: 80, maxWidth: 0 };

describe('the codec’s jobs: one at a time, within a time limit, a new worker after any breach', () => {
  it('a job over the time limit is stopped with a clear message, its worker ended, and the next job works on a new one', async () => {
    const { log, start } = fakeWorkers((request, events, worker) => worker > 1 && answer(request, events));
    const jobs = new CodecJobs(start, 50);
    const hung = jobs.convert(small, 'png', 'webp', options);
    const next = jobs.convert(small, 'png', 'webp', options);
    await assert.rejects(hung, (e: unknown) => e instanceof IllustrateError && e.kind === 'tooLarge' && /took more than 0\.05 seconds, so Illustrate stopped it\. Try again, or scale the image down\./.test(e.message));
    assert.deepStrictEqual((await next).bytes, new Uint8Array([2]));
    assert.deepStrictEqual(log, ['start 1', 'job 1 to 1', 'end 1', 'start 2', 'job 2 to 2']);
  });

  it('a worker that runs out of memory fails its job with a clear message; the next job starts a new worker', async () => {
    const { log, start } = fakeWorkers((request, events, worker) => (worker === 1 ? setImmediate(() => events.failed(codecCrashed(Object.assign(new Error('heap'), { code: 'ERR_WORKER_OUT_OF_MEMORY' })))) : answer(request, events)));
    const jobs = new CodecJobs(start, 60_000);
    await assert.rejects(jobs.convert(small, 'png', 'jpeg', options), (e: unknown) => e instanceof IllustrateError && e.kind === 'tooLarge' && /ran out of memory on this image/.test(e.message));
    assert.deepStrictEqual((await jobs.convert(small, 'png', 'jpeg', options)).bytes, new Uint8Array([2]));
    assert.deepStrictEqual(log, ['start 1', 'job 1 to 1', 'end 1', 'start 2', 'job 2 to 2']);
  });

  it('jobs go one at a time; a failed conversion ends its worker too; a bomb starts none', async () => {
    const { log, start } = fakeWorkers((request, events, worker) => (worker === 1 ? setImmediate(() => events.reply({ id: request.id, error: 'unreachable' })) : answer(request, events)));
    const jobs = new CodecJobs(start, 60_000);
    await assert.rejects(jobs.convert(pngBomb(20000), 'png', 'webp', options), refusal(20000, 20000));
    assert.deepStrictEqual(log, []);
    const both = [jobs.convert(small, 'png', 'webp', options), jobs.convert(small, 'png', 'webp', options)];
    await assert.rejects(both[0], /unreachable/);
    assert.deepStrictEqual((await both[1]).bytes, new Uint8Array([2]));
    assert.deepStrictEqual(log, ['start 1', 'job 1 to 1', 'end 1', 'start 2', 'job 2 to 2']);
  });
});

describe('the codec’s worker thread: a time limit and heap limits, a new thread after a breach', function () {
  this.timeout(60_000);

  it('a conversion over the time limit is stopped with a clear message, and the next one works', async () => {
    const codec = new WorkerCodec(DIST, { timeLimitMs: 2000 });
    try {
      // Noise to JPEG at quality 100: tens of seconds of work in the worker.
      const slow = makePng(4096, 4096, { noise: true });
      await assert.rejects(codec.convert(slow, 'png', 'jpeg', { quality: 100, maxWidth: 0 }), (e: unknown) => e instanceof IllustrateError && /took more than 2 seconds, so Illustrate stopped it/.test(e.message));
      const out = await codec.convert(makePng(64, 48), 'png', 'webp', options);
      assert.deepStrictEqual([out.width, out.height], [64, 48]);
    } finally {
      codec.stop();
    }
  });

  it('a worker over its heap limit fails its job with a clear message, not a hang; the next job starts a new worker', async () => {
    const codec = new WorkerCodec(DIST, { resourceLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 } });
    try {
      for (let i = 0; i < 2; i++) {
        await assert.rejects(codec.convert(small, 'png', 'webp', options), (e: unknown) => e instanceof IllustrateError && e.kind === 'tooLarge' && /ran out of memory on this image and was stopped/.test(e.message));
      }
    } finally {
      codec.stop();
    }
  });
});
