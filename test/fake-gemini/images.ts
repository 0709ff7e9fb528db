/**
 * Real image files for the stand-in server: PNGs that decode to a gradient (or incompressible
 * noise, for the benchmark) and baseline JPEGs, at the pixel sizes GEMINI-API.md documents.
 */
import { randomBytes } from 'crypto';
import { deflateSync } from 'zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    t[n] = c >>> 0;
  }
  return t;
})();

function crc(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, tail]);
}

/** A PNG of width × height. `noise` makes its pixel data incompressible, like a real photo. */
export function makePng(width: number, height: number, options: { noise?: boolean; noiseFraction?: number; tint?: number } = {}): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour RGB
  const row = width * 3 + 1;
  let idat: Buffer;
  if (options.noise) {
    // Rows of random bytes stored without compression: decodable, and as large as a real answer.
    // A share of the rows is random (incompressible, like a photo), the rest flat, so the file
    // has a real answer's size: about 40% of the raw pixels by default (4K 16:9 ≈ 20 MB).
    const fraction = options.noiseFraction ?? 0.4;
    const raw = Buffer.alloc(row * height);
    for (let y = 0; y < height; y++) {
      if ((y * 7919) % 1000 < fraction * 1000) {
        randomBytes(row - 1).copy(raw, y * row + 1);
      }
    }
    idat = deflateSync(raw, { level: 1 });
  } else {
    const raw = Buffer.alloc(row * height);
    const tint = options.tint ?? 0;
    for (let y = 0; y < height; y++) {
      const base = y * row;
      raw[base] = 0;
      const g = Math.floor((y / height) * 255);
      for (let x = 0; x < width; x++) {
        const i = base + 1 + x * 3;
        raw[i] = Math.floor((x / width) * 255);
        raw[i + 1] = g;
        raw[i + 2] = tint;
      }
    }
    idat = deflateSync(raw, { level: 1 });
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

function segment(marker: number, data: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, data]);
}

/**
 * A valid baseline greyscale JPEG of width × height, mid grey: every 8×8 block is "DC difference 0,
 * end of block", coded with one-symbol Huffman tables (two bits a block).
 */
export function makeJpeg(width: number, height: number): Buffer {
  const soi = Buffer.from([0xff, 0xd8]);
  const app0 = segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]));
  const dqt = segment(0xdb, Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]));
  const sof = Buffer.alloc(9);
  sof[0] = 8;
  sof.writeUInt16BE(height, 1);
  sof.writeUInt16BE(width, 3);
  sof[5] = 1; // one component
  sof[6] = 1; // id
  sof[7] = 0x11; // sampling 1×1
  sof[8] = 0; // quant table 0
  const sof0 = segment(0xc0, sof);
  const counts = Buffer.alloc(16);
  counts[0] = 1; // one code of length 1
  const dhtDc = segment(0xc4, Buffer.concat([Buffer.from([0x00]), counts, Buffer.from([0x00])]));
  const dhtAc = segment(0xc4, Buffer.concat([Buffer.from([0x10]), counts, Buffer.from([0x00])]));
  const sos = segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0]));
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const bits = blocks * 2;
  const scan = Buffer.alloc(Math.ceil(bits / 8), 0);
  const used = bits % 8;
  if (used) {
    scan[scan.length - 1] = (1 << (8 - used)) - 1; // pad the last byte with 1 bits
  }
  const eoi = Buffer.from([0xff, 0xd9]);
  return Buffer.concat([soi, app0, dqt, sof0, dhtDc, dhtAc, sos, scan, eoi]);
}

/** A WebP header of the given size (VP8X), enough for format sniffing and pixel size. */
export function makeWebp(width: number, height: number): Buffer {
  const vp8x = Buffer.alloc(10);
  vp8x.writeUIntLE(width - 1, 4, 3);
  vp8x.writeUIntLE(height - 1, 7, 3);
  const chunkHead = Buffer.from('VP8X\x0a\x00\x00\x00', 'latin1');
  const body = Buffer.concat([Buffer.from('WEBP', 'ascii'), chunkHead, vp8x]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}
