/**
 * The image codec on Node (the extension host, the command line): one worker thread, started on
 * first use and ended when idle; cancel ends it (and whatever it was encoding) at once.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import { cancelled } from '../core/api/client';
import { CodecReply, Converted, DecodableFormat, ImageCodec, OutputFormat, ownCopy, PendingConversions } from '../core/images/codec';

const IDLE_MS = 30_000;

/** The codec for this host: a worker thread with the .wasm files in `dir` (the bundle's own folder). */
export function createCodec(dir: string, _read?: (relative: string) => Promise<Uint8Array>): ImageCodec | undefined {
  return new WorkerCodec(dir);
}

export class WorkerCodec implements ImageCodec {
  private worker: Worker | undefined;
  private readonly pending = new PendingConversions();
  private idle: ReturnType<typeof setTimeout> | undefined;

  /** `dir` holds codecWorker.js and the codecs' .wasm files (the bundle's own folder). */
  constructor(private readonly dir: string) {}

  private start(): Worker {
    if (this.worker) {
      return this.worker;
    }
    const worker = new Worker(path.join(this.dir, 'codecWorker.js'), { workerData: { wasmDir: path.join(this.dir, 'wasm') } });
    worker.unref();
    worker.on('message', (reply: CodecReply) => {
      this.pending.settle(reply);
      this.scheduleIdle();
    });
    worker.on('error', (e) => this.pending.failAll(e));
    worker.on('exit', () => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.pending.failAll(new Error('the image codec stopped'));
      }
    });
    this.worker = worker;
    return worker;
  }

  private scheduleIdle(): void {
    clearTimeout(this.idle);
    if (!this.pending.size) {
      this.idle = setTimeout(() => this.stop(), IDLE_MS);
      this.idle.unref?.();
    }
  }

  stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  convert(bytes: Uint8Array, from: DecodableFormat, to: OutputFormat, options: { quality: number; maxWidth: number }, signal?: AbortSignal): Promise<Converted> {
    if (signal?.aborted) {
      return Promise.reject(cancelled());
    }
    clearTimeout(this.idle);
    const worker = this.start();
    return this.pending.start(
      signal,
      () => {
        // Whatever the worker is encoding is dropped with it; the next request starts a new one.
        this.stop();
        this.pending.failAll(cancelled());
      },
      (id) => {
        const copy = ownCopy(bytes);
        worker.postMessage({ id, bytes: copy, from, to, quality: options.quality, maxWidth: options.maxWidth }, [copy.buffer as ArrayBuffer]);
      },
    );
  }
}
