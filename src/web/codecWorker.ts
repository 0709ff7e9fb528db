/**
 * The image codec's Web Worker in the browser (the web build): it is sent the codecs' compiled
 * .wasm (read by the extension from its own folder through workspace.fs), then converts each
 * request (core/images/encoder). Nothing is fetched from elsewhere.
 */
import { CodecReply, CodecRequest } from '../core/images/codec';
import { convertImage, initEncoder, WASM_FILES } from '../core/images/encoder';

interface WorkerScope {
  onmessage: ((e: { data: unknown }) => void) | null;
  postMessage(message: unknown, transfer?: unknown[]): void;
}
const scope = globalThis as unknown as WorkerScope;
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object> } }).WebAssembly;

let ready: Promise<void> | undefined;

scope.onmessage = (e) => {
  const message = e.data as { type: 'init'; wasm: Record<string, Uint8Array> } | ({ type: 'convert' } & CodecRequest);
  if (message.type === 'init') {
    const files = message.wasm;
    ready = (async () => {
      const modules = await Promise.all(WASM_FILES.map(async (name) => [name, await wasm.compile(files[name])] as const));
      await initEncoder(Object.fromEntries(modules) as Record<(typeof WASM_FILES)[number], object>);
    })();
    return;
  }
  (ready ?? Promise.reject(new Error('the codec was not initialised')))
    .then(() => convertImage(message))
    .then(
      (reply) => scope.postMessage(reply, [reply.bytes.buffer]),
      (err: unknown) => scope.postMessage({ id: message.id, error: err instanceof Error ? err.message : String(err) } satisfies CodecReply),
    );
};
