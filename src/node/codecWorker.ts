/**
 * The image codec's worker thread: decodes the model's PNG or JPEG, scales it down when asked,
 * and encodes WebP, JPEG or PNG with jSquash (WebAssembly builds of libwebp, MozJPEG and the PNG
 * codec). It runs off the extension host's thread, so encoding a 4K image blocks nothing. The
 * .wasm files come from the extension's (or the command's) own folder, never from elsewhere.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { parentPort, workerData } from 'worker_threads';
import decodeJpeg, { init as initJpegDecode } from '@jsquash/jpeg/decode.js';
import encodeJpeg, { init as initJpegEncode } from '@jsquash/jpeg/encode.js';
import decodePng, { init as initPng } from '@jsquash/png/decode.js';
import encodePng from '@jsquash/png/encode.js';
import resize, { initResize } from '@jsquash/resize';
import encodeWebp, { init as initWebp } from '@jsquash/webp/encode.js';
import { CodecRequest, CodecReply } from '../core/images/codec';

// The decoders build ImageData, which Node lacks.
const g = globalThis as { ImageData?: unknown };
g.ImageData ??= class ImageData {
  constructor(
    readonly data: Uint8ClampedArray,
    readonly width: number,
    readonly height: number,
  ) {}
};

const wasmDir = (workerData as { wasmDir: string }).wasmDir;
/** Node's WebAssembly (its types are not in this project's lib). */
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object> } }).WebAssembly;
const compile = async (name: string): Promise<never> => (await wasm.compile(await fs.readFile(path.join(wasmDir, name)))) as never;

let ready: Promise<void> | undefined;
function init(): Promise<void> {
  ready ??= (async () => {
    const [png, jpegDec, jpegEnc, webp, scale] = await Promise.all([compile('squoosh_png_bg.wasm'), compile('mozjpeg_dec.wasm'), compile('mozjpeg_enc.wasm'), compile('webp_enc_simd.wasm'), compile('squoosh_resize_bg.wasm')]);
    await Promise.all([initPng(png), initJpegDecode(jpegDec), initJpegEncode(jpegEnc), initWebp(webp), initResize(scale)]);
  })();
  return ready;
}

async function convert(request: CodecRequest): Promise<Extract<CodecReply, { bytes: Uint8Array }>> {
  await init();
  const input = request.bytes.buffer.slice(request.bytes.byteOffset, request.bytes.byteOffset + request.bytes.byteLength) as ArrayBuffer;
  let image = request.from === 'png' ? await decodePng(input) : await decodeJpeg(input);
  if (request.maxWidth > 0 && image.width > request.maxWidth) {
    const height = Math.max(1, Math.round((image.height * request.maxWidth) / image.width));
    image = await resize(image, { width: request.maxWidth, height });
  }
  const out = request.to === 'webp' ? await encodeWebp(image, { quality: request.quality }) : request.to === 'jpeg' ? await encodeJpeg(image, { quality: request.quality }) : await encodePng(image);
  return { id: request.id, bytes: new Uint8Array(out), width: image.width, height: image.height };
}

parentPort?.on('message', (request: CodecRequest) => {
  convert(request).then(
    (reply) => parentPort?.postMessage(reply, [reply.bytes.buffer as ArrayBuffer]),
    (e: unknown) => parentPort?.postMessage({ id: request.id, error: e instanceof Error ? e.message : String(e) } satisfies CodecReply),
  );
});
