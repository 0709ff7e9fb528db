/**
 * The image codec on Node (the extension host, the command line): one worker thread with its own
 * heap limits, started on first use and ended when idle. Jobs go to it one at a time through
 * core's CodecJobs (the decode guard, the time limit, a new worker after any breach).
 */
import * as path from 'path';
import { ResourceLimits, Worker } from 'worker_threads';
import { CODEC_TIME_LIMIT_MS, CodecJobs, CodecReply, codecCrashed, CodecInput, Converted, DecodableFormat, ImageCodec, Matted, OutputFormat } from '../core/images/codec';

const IDLE_MS = 30_000;

/**
 * The worker's V8 heap: its JavaScript holds little (the pixels live in ArrayBuffers and the
 * codecs' WebAssembly memories, which these limits do not cover; the decode guard's pixel cap bounds those).
 */
export const CODEC_RESOURCE_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };

export interface CodecLimits {
  readonly timeLimitMs: number;
  readonly resourceLimits: ResourceLimits;
}

/** The codec for this host: a worker thread with the .wasm files in `dir` (the bundle's own folder). */
export function createCodec(dir: string, _read?: (relative: string) => Promise<Uint8Array>): ImageCodec | undefined {
  return new WorkerCodec(dir);
}

export class WorkerCodec implements ImageCodec {
  private readonly jobs: CodecJobs;

  /** `dir` holds codecWorker.js and the codecs' .wasm files (the bundle's own folder). */
  constructor(dir: string, limits: Partial<CodecLimits> = {}) {
    const resourceLimits = limits.resourceLimits ?? CODEC_RESOURCE_LIMITS;
    this.jobs = new CodecJobs(
      (events) => {
        const worker = new Worker(path.join(dir, 'codecWorker.js'), { workerData: { wasmDir: path.join(dir, 'wasm') }, resourceLimits });
        worker.unref();
        worker.on('message', (reply: CodecReply) => events.reply(reply));
        // ERR_WORKER_OUT_OF_MEMORY when a heap limit is reached; 'exit' follows, and counts only when alone.
        worker.on('error', (e) => events.failed(codecCrashed(e)));
        worker.on('exit', (code) => events.failed(codecCrashed(new Error(`the image codec's worker exited (${code})`))));
        return {
          post: (request) => worker.postMessage(request, [request.bytes.buffer as ArrayBuffer]),
          terminate: () => void worker.terminate(),
        };
      },
      limits.timeLimitMs ?? CODEC_TIME_LIMIT_MS,
      IDLE_MS,
    );
  }

  stop(): void {
    this.jobs.stop();
  }

  convert(bytes: Uint8Array, from: DecodableFormat, to: OutputFormat, options: { quality: number; maxWidth: number }, signal?: AbortSignal): Promise<Converted> {
    return this.jobs.convert(bytes, from, to, options, signal);
  }

  matte(white: CodecInput, black: CodecInput, to: OutputFormat, options: { quality: number; maxWidth: number }, signal?: AbortSignal): Promise<Matted> {
    return this.jobs.matte(white, black, to, options, signal);
  }
}
