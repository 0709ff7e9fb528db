/**
 * The image codec on Node (the extension host, the command line): one worker thread, started on
 * first use and ended when idle; cancel ends it (and whatever it was encoding) at once.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import { cancelled } from '../core/api/client';
import { CodecReply, ImageCodec, OutputFormat } from '../core/images/codec';

const IDLE_MS = 30_000;

/** The codec for this host: a worker thread with the .wasm files in `dir`. */
export function createCodec(dir: string, _read?: (relative: string) => Promise<Uint8Array>): ImageCodec | undefined {
  return new WorkerCodec(dir);
}

export class WorkerCodec implements ImageCodec {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: { bytes: Uint8Array; width: number; height: number }) => void; reject: (e: unknown) => void }>();
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
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (waiting) {
        if ('error' in reply) {
          waiting.reject(new Error(reply.error));
        } else {
          waiting.resolve({ bytes: reply.bytes, width: reply.width, height: reply.height });
        }
      }
      this.scheduleIdle();
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', () => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.fail(new Error('the image codec stopped'));
      }
    });
    this.worker = worker;
    return worker;
  }

  private fail(e: unknown): void {
    for (const p of this.pending.values()) {
      p.reject(e);
    }
    this.pending.clear();
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

  convert(bytes: Uint8Array, from: 'png' | 'jpeg', to: OutputFormat, options: { quality: number; maxWidth: number }, signal?: AbortSignal): Promise<{ bytes: Uint8Array; width: number; height: number }> {
    if (signal?.aborted) {
      return Promise.reject(cancelled());
    }
    clearTimeout(this.idle);
    const id = this.nextId++;
    const worker = this.start();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        // Whatever the worker is encoding is dropped with it; the next request starts a new one.
        this.pending.delete(id);
        this.stop();
        this.fail(cancelled());
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (r) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(r);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      // A copy of its own to hand over (a Buffer's slice shares memory with its pool).
      const copy = new Uint8Array(bytes.byteLength);
      copy.set(bytes);
      worker.postMessage({ id, bytes: copy, from, to, quality: options.quality, maxWidth: options.maxWidth }, [copy.buffer]);
    });
  }
}
