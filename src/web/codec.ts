/**
 * The browser twin of node/codec: the image codec in a Web Worker started from the extension's
 * own worker script (read through workspace.fs, run from a blob: URL), with the codecs' .wasm sent
 * to it. Jobs go to it one at a time through core's CodecJobs (the decode guard, the time limit,
 * terminate() and a new worker after any breach); a browser gives a worker no memory limit. A host
 * that cannot start a worker has no codec: the model's format is written there, and the log says why.
 */
import { CodecJobs, CodecReply, CodecUnavailable, CodecWorker, CodecWorkerEvents, CodecInput, Converted, DecodableFormat, ImageCodec, Matted, OutputFormat } from '../core/images/codec';
import { WASM_FILES } from '../core/images/encoder';

interface BrowserWorker {
  onmessage: ((e: { data: CodecReply }) => void) | null;
  onerror: ((e: unknown) => void) | null;
  postMessage(message: unknown, transfer?: unknown[]): void;
  terminate(): void;
}
interface BrowserGlobals {
  Worker?: new (url: string) => BrowserWorker;
  Blob: new (parts: unknown[], options: { type: string }) => unknown;
  URL: { createObjectURL(blob: unknown): string };
}

/** `read` gives a file of the extension's dist folder (the worker script, the .wasm files). */
export function createCodec(_dir: string, read?: (relative: string) => Promise<Uint8Array>): ImageCodec | undefined {
  const g = globalThis as unknown as BrowserGlobals;
  return read && typeof g.Worker === 'function' ? new WebWorkerCodec(read, g) : undefined;
}

class WebWorkerCodec implements ImageCodec {
  private readonly jobs: CodecJobs;

  constructor(read: (relative: string) => Promise<Uint8Array>, g: BrowserGlobals) {
    this.jobs = new CodecJobs((events) =>
      this.startWorker(read, g, events).catch((e: unknown) => {
        throw e instanceof CodecUnavailable ? e : new CodecUnavailable(e instanceof Error ? e.message : String(e));
      }),
    );
  }

  private async startWorker(read: (relative: string) => Promise<Uint8Array>, g: BrowserGlobals, events: CodecWorkerEvents): Promise<CodecWorker> {
    const [script, ...wasm] = await Promise.all([read('web/codecWorker.js'), ...WASM_FILES.map((name) => read(`wasm/${name}`))]);
    const url = g.URL.createObjectURL(new g.Blob([script], { type: 'text/javascript' }));
    const WorkerClass = g.Worker as new (url: string) => BrowserWorker;
    // Not revoked at once: VS Code's web extension host loads a nested worker's script later (importScripts).
    const worker = new WorkerClass(url);
    worker.onmessage = (e) => events.reply(e.data);
    worker.onerror = (ev) => events.failed(new CodecUnavailable(`the browser could not run the image codec: ${String((ev as { message?: string }).message ?? 'error').slice(0, 200)}`));
    worker.postMessage({ type: 'init', wasm: Object.fromEntries(WASM_FILES.map((name, i) => [name, wasm[i]])) });
    return {
      post: (request) => worker.postMessage({ type: 'convert', ...request }, [request.bytes.buffer]),
      terminate: () => worker.terminate(),
    };
  }

  convert(bytes: Uint8Array, from: DecodableFormat, to: OutputFormat, options: { quality: number; maxWidth: number }, signal?: AbortSignal): Promise<Converted> {
    return this.jobs.convert(bytes, from, to, options, signal);
  }

  matte(white: CodecInput, black: CodecInput, to: OutputFormat, options: { quality: number; maxWidth: number }, signal?: AbortSignal): Promise<Matted> {
    return this.jobs.matte(white, black, to, options, signal);
  }
}
