/**
 * The browser twin of node/codec: the image codec in a Web Worker started from the extension's
 * own worker script (read through workspace.fs, run from a blob: URL), with the codecs' .wasm sent
 * to it. A host that cannot start a worker has no codec: the model's format is written there, and
 * the log says why.
 */
import { cancelled } from '../core/api/client';
import { CodecReply, CodecUnavailable, Converted, DecodableFormat, ImageCodec, OutputFormat, ownCopy, PendingConversions } from '../core/images/codec';
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
  private worker: Promise<BrowserWorker> | undefined;
  private readonly pending = new PendingConversions();

  constructor(
    private readonly read: (relative: string) => Promise<Uint8Array>,
    private readonly g: BrowserGlobals,
  ) {}

  private start(): Promise<BrowserWorker> {
    this.worker ??= (async () => {
      const [script, ...wasm] = await Promise.all([this.read('web/codecWorker.js'), ...WASM_FILES.map((name) => this.read(`wasm/${name}`))]);
      const url = this.g.URL.createObjectURL(new this.g.Blob([script], { type: 'text/javascript' }));
      const WorkerClass = this.g.Worker as new (url: string) => BrowserWorker;
      // Not revoked at once: VS Code's web extension host loads a nested worker's script later (importScripts).
      const worker = new WorkerClass(url);
      worker.onmessage = (e) => this.pending.settle(e.data);
      worker.onerror = (ev) => this.fail(new CodecUnavailable(`the browser could not run the image codec: ${String((ev as { message?: string }).message ?? 'error').slice(0, 200)}`));
      worker.postMessage({ type: 'init', wasm: Object.fromEntries(WASM_FILES.map((name, i) => [name, wasm[i]])) });
      return worker;
    })().catch((e: unknown) => {
      this.worker = undefined;
      throw new CodecUnavailable(e instanceof Error ? e.message : String(e));
    });
    return this.worker;
  }

  private fail(e: unknown): void {
    this.pending.failAll(e);
    const worker = this.worker;
    this.worker = undefined;
    void worker?.then((w) => w.terminate(), () => undefined);
  }

  async convert(bytes: Uint8Array, from: DecodableFormat, to: OutputFormat, options: { quality: number; maxWidth: number }, signal?: AbortSignal): Promise<Converted> {
    if (signal?.aborted) {
      throw cancelled();
    }
    const worker = await this.start();
    return this.pending.start(
      signal,
      () => this.fail(cancelled()),
      (id) => {
        const copy = ownCopy(bytes);
        worker.postMessage({ type: 'convert', id, bytes: copy, from, to, quality: options.quality, maxWidth: options.maxWidth }, [copy.buffer]);
      },
    );
  }
}
