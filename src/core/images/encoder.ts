/**
 * The conversion itself, shared by the codec's workers (a Node worker thread, a browser Web
 * Worker): jSquash's WebAssembly builds of the PNG codec, MozJPEG, libwebp and a resizer, each
 * handed an already compiled module (the host reads the .wasm from the extension's own folder).
 * Runs only inside a worker, never on the extension host's thread, and decodes nothing the decode
 * guard has not passed.
 */
import decodeJpeg, { init as initJpegDecode } from '@jsquash/jpeg/decode.js';
import encodeJpeg, { init as initJpegEncode } from '@jsquash/jpeg/encode.js';
import decodePng, { init as initPng } from '@jsquash/png/decode.js';
import encodePng from '@jsquash/png/encode.js';
import resize, { initResize } from '@jsquash/resize';
import encodeWebp, { init as initWebp } from '@jsquash/webp/encode.js';
import { CodecReply, CodecRequest, DecodableFormat } from './codec';
import { decodableSize } from './decodeGuard';
import { decodeGifFirstFrame } from './gif';
import { mattePair } from './matting';

/** The .wasm files a worker needs, by name (copied beside the worker by the build). */
export const WASM_FILES = ['squoosh_png_bg.wasm', 'mozjpeg_dec.wasm', 'mozjpeg_enc.wasm', 'webp_enc_simd.wasm', 'squoosh_resize_bg.wasm'] as const;

// The decoders build ImageData, which Node's workers lack.
const g = globalThis as { ImageData?: unknown };
g.ImageData ??= class ImageData {
  constructor(
    readonly data: Uint8ClampedArray,
    readonly width: number,
    readonly height: number,
  ) {}
};

/** Hands each codec its compiled module; `modules` holds one per name of WASM_FILES. */
export async function initEncoder(modules: Readonly<Record<(typeof WASM_FILES)[number], object>>): Promise<void> {
  const m = modules as unknown as Record<string, never>;
  await Promise.all([initPng(m['squoosh_png_bg.wasm']), initJpegDecode(m['mozjpeg_dec.wasm']), initJpegEncode(m['mozjpeg_enc.wasm']), initWebp(m['webp_enc_simd.wasm']), initResize(m['squoosh_resize_bg.wasm'])]);
}

/**
 * Decodes, scales down when asked, encodes. JPEG is baseline: MozJPEG's progressive mode (its
 * default) takes twice as long in WebAssembly for files about 8% smaller.
 */
export async function convertImage(request: CodecRequest): Promise<Extract<CodecReply, { bytes: Uint8Array }>> {
  let image = await decode(request.bytes, request.from);
  if (request.black) {
    // A matte: the picture on white (`bytes`) and on black, to one picture with alpha.
    if (request.to === 'jpeg') {
      throw new Error('a JPEG holds no alpha');
    }
    const matted = mattePair(image, await decode(request.black.bytes, request.black.from));
    if (!matted.ok) {
      return { id: request.id, bytes: new Uint8Array(0), width: image.width, height: image.height, refused: matted };
    }
    image = imageData(matted.data, image.width, image.height);
  }
  if (request.maxWidth > 0 && image.width > request.maxWidth) {
    const height = Math.max(1, Math.round((image.height * request.maxWidth) / image.width));
    image = await resize(image, { width: request.maxWidth, height });
  }
  const out = request.to === 'webp' ? await encodeWebp(image, { quality: request.quality }) : request.to === 'jpeg' ? await encodeJpeg(image, { quality: request.quality, progressive: false }) : await encodePng(image);
  return { id: request.id, bytes: new Uint8Array(out), width: image.width, height: image.height };
}

type Decoded = Awaited<ReturnType<typeof decodePng>>;

/** Pixels as the codecs take them. */
function imageData(data: Uint8ClampedArray, width: number, height: number): Decoded {
  return new (g.ImageData as new (data: Uint8ClampedArray, width: number, height: number) => Decoded)(data, width, height);
}

/** An image's pixels; the host checked its size already, and the worker checks again before any codec allocates for it. */
async function decode(bytes: Uint8Array, from: DecodableFormat): Promise<Decoded> {
  decodableSize(bytes, from);
  if (from === 'gif') {
    const frame = decodeGifFirstFrame(bytes);
    if (!frame) {
      throw new Error('not a GIF image Illustrate can read');
    }
    return imageData(frame.data, frame.width, frame.height);
  }
  const input = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return from === 'png' ? await decodePng(input) : await decodeJpeg(input);
}
