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
export function makePng(width: number, height: number, options: { noise?: boolean; noiseFraction?: number; tint?: number; dark?: boolean } = {}): Buffer {
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
    // A dark twin: the same gradient, its every channel at most 40 (a picture for a dark page).
    const scale = options.dark ? 40 : 255;
    for (let y = 0; y < height; y++) {
      const base = y * row;
      raw[base] = 0;
      const g = Math.floor((y / height) * scale);
      for (let x = 0; x < width; x++) {
        const i = base + 1 + x * 3;
        raw[i] = Math.floor((x / width) * scale);
        raw[i + 1] = g;
        raw[i + 2] = options.dark ? Math.min(tint, 40) : tint;
      }
    }
    idat = deflateSync(raw, { level: 1 });
  }
  return pngOf(ihdr, idat);
}

function pngOf(ihdr: Buffer, idat: Buffer): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** An RGB PNG (no alpha, as the model sends) of RGBA pixels whose alpha is ignored. */
export function rgbPng(pixels: { readonly data: Uint8Array | Uint8ClampedArray; readonly width: number; readonly height: number }): Buffer {
  const { width, height, data } = pixels;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const row = width * 3 + 1;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 4;
      const to = y * row + 1 + x * 3;
      raw[to] = data[from];
      raw[to + 1] = data[from + 1];
      raw[to + 2] = data[from + 2];
    }
  }
  return pngOf(ihdr, deflateSync(raw, { level: 1 }));
}

/** RGBA pixels, 8 bits a channel, as a file holds them. */
export interface Rgba {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/** A picture as drawn, before any file: colour 0-255 and alpha 0-1 as real numbers, 4 a pixel. */
export interface TruePicture {
  readonly data: Float64Array;
  readonly width: number;
  readonly height: number;
}

/**
 * A known picture with true transparency, at any size: a clear backdrop, an opaque orange disc in
 * the middle with a feathered edge, a half-transparent blue panel, green bars (like text) and a
 * soft magenta glow whose alpha falls off to nothing. The corners are clear, the centre opaque.
 * `shift` moves everything right by that many pixels (a render that did not line up).
 */
export function sprite(width: number, height: number, shift = 0): TruePicture {
  const data = new Float64Array(width * height * 4);
  const s = Math.min(width, height);
  const feather = 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const px = x - shift;
      // Layers from the back, each over what is below it (straight alpha).
      let a = 0;
      let r = 0;
      let g = 0;
      let b = 0;
      const over = (la: number, lr: number, lg: number, lb: number): void => {
        const out = la + a * (1 - la);
        if (out > 0) {
          r = (lr * la + r * a * (1 - la)) / out;
          g = (lg * la + g * a * (1 - la)) / out;
          b = (lb * la + b * a * (1 - la)) / out;
        }
        a = out;
      };
      const glow = Math.hypot(px - 0.8 * width, y - 0.2 * height) / (0.14 * s);
      if (glow < 1) {
        over((1 - glow) * (1 - glow), 220, 40, 200);
      }
      if (px >= 0.12 * width && px < 0.42 * width && y >= 0.12 * height && y < 0.38 * height) {
        over(0.5, 30, 90, 220);
      }
      const edge = 0.28 * s - Math.hypot(px - width / 2, y - height / 2);
      if (edge > -feather) {
        over(Math.min(1, (edge + feather) / (2 * feather)), 240, 120, 20);
      }
      if (px >= 0.6 * width && px < 0.9 * width && y >= 0.72 * height && y < 0.86 * height && Math.floor(px / 7) % 2 === 0) {
        over(1, 40, 170, 80);
      }
      data.set([r, g, b, a], (y * width + x) * 4);
    }
  }
  return { data, width, height };
}

/** `picture` composed over an opaque backdrop of `colour`, rounded to 8 bits once, as a PNG of it holds it. */
export function composeOver(picture: TruePicture, colour: readonly [number, number, number]): Rgba {
  const data = new Uint8ClampedArray(picture.data.length);
  for (let i = 0; i < data.length; i += 4) {
    const a = picture.data[i + 3];
    for (let c = 0; c < 3; c++) {
      data[i + c] = a * picture.data[i + c] + (1 - a) * colour[c];
    }
    data[i + 3] = 255;
  }
  return { data, width: picture.width, height: picture.height };
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
