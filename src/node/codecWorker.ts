/**
 * The image codec's worker thread on Node: reads the codecs' .wasm from the bundle's own folder,
 * then converts each request (core/images/encoder). Off the extension host's thread, so encoding
 * a 4K image blocks nothing.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { parentPort, workerData } from 'worker_threads';
import { CodecReply, CodecRequest } from '../core/images/codec';
import { convertImage, initEncoder, WASM_FILES } from '../core/images/encoder';

const wasmDir = (workerData as { wasmDir: string }).wasmDir;
/** Node's WebAssembly (its types are not in this project's lib). */
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object> } }).WebAssembly;

let ready: Promise<void> | undefined;
function init(): Promise<void> {
  ready ??= (async () => {
    const modules = await Promise.all(WASM_FILES.map(async (name) => [name, await wasm.compile(await fs.readFile(path.join(wasmDir, name)))] as const));
    await initEncoder(Object.fromEntries(modules) as Record<(typeof WASM_FILES)[number], object>);
  })();
  return ready;
}

parentPort?.on('message', (request: CodecRequest) => {
  init()
    .then(() => convertImage(request))
    .then(
      (reply) => parentPort?.postMessage(reply, [reply.bytes.buffer as ArrayBuffer]),
      (e: unknown) => parentPort?.postMessage({ id: request.id, error: e instanceof Error ? e.message : String(e) } satisfies CodecReply),
    );
});
