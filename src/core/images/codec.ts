/**
 * Image conversion: the format a link names (or the setting), the bytes written beside the bytes
 * the model sent. The encoding itself runs in a host's worker (a worker thread on Node) behind
 * `ImageCodec`; core only decides what to ask and puts the metadata back.
 */
import * as l10n from '@vscode/l10n';
import { cancelled, IllustrateError } from '../errors';
import { decodableSize } from './decodeGuard';
import { ImageFormat } from './imageFormat';
import { MatteRefusal } from './matting';

/** What a codec makes; AVIF is not offered (see README: its encoder alone is 3.5 MB of WebAssembly). */
export type OutputFormat = 'png' | 'jpeg' | 'webp';

/** What a codec reads: the model's PNG and JPEG, and a GIF's first frame (to describe it). */
export type DecodableFormat = 'png' | 'jpeg' | 'gif';

export interface CodecRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly from: DecodableFormat;
  readonly to: OutputFormat;
  readonly quality: number;
  /** 0: no limit. */
  readonly maxWidth: number;
  /**
   * For a matte: the same picture on pure black (`bytes` is it on pure white). The reply is the
   * picture with the alpha their difference gives, in `to` (PNG or WebP), or why it could not be.
   */
  readonly black?: { readonly bytes: Uint8Array; readonly from: DecodableFormat };
}

export type CodecReply =
  | { readonly id: number; readonly bytes: Uint8Array; readonly width: number; readonly height: number; readonly refused?: MatteRefusal }
  | { readonly id: number; readonly error: string };

/** What a conversion gives back. */
export interface Converted {
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** What a matte gives back: the image (no bytes when refused), and whether the pair could be matted. */
export interface Matted extends Converted {
  readonly report: { readonly ok: true } | MatteRefusal;
}

/** One image for the codec: its bytes and the format they are in. */
export interface CodecInput {
  readonly bytes: Uint8Array;
  readonly from: DecodableFormat;
}

/**
 * How long one conversion may run in the worker before it is stopped: a backstop for a file that
 * costs time rather than memory. The slowest real one measured, noise at the pixel cap to JPEG at
 * quality 100, took 71 s on a busy 2-core machine (a 4K answer, 53 s).
 */
export const CODEC_TIME_LIMIT_MS = 180_000;

/** One worker as a host started it. */
export interface CodecWorker {
  /** Sends a request (its bytes are the worker's from then on). */
  post(request: CodecRequest): void;
  terminate(): void;
}

/** What a worker tells its codec: a reply, or that it failed or ended (the job it had fails with `error`). */
export interface CodecWorkerEvents {
  reply(reply: CodecReply): void;
  failed(error: unknown): void;
}

/** Starts a worker; a rejection fails the job that needed it (CodecUnavailable: none can run here). */
export type StartCodecWorker = (events: CodecWorkerEvents) => CodecWorker | Promise<CodecWorker>;

interface Job {
  readonly request: CodecRequest;
  readonly resolve: (r: Matted) => void;
  readonly reject: (e: unknown) => void;
}

/** A worker, once started, and the events that still count (those of a worker ended since do not). */
interface Started {
  readonly worker: Promise<CodecWorker>;
}

/** The worker is gone while converting: out of memory (a Node worker's resource limits), or otherwise. */
export function codecCrashed(e: unknown): IllustrateError {
  if ((e as { code?: unknown } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new IllustrateError('tooLarge', l10n.t('The image codec ran out of memory on this image and was stopped. Scale the image down and try again, or write its alt text by hand.'));
  }
  return new IllustrateError('unexpected', l10n.t('The image codec stopped while converting this image. Try again; if it keeps happening, scale the image down.'), {}, e);
}

/**
 * The conversions of one codec, for both hosts: each image passes the decode guard, then goes to
 * the worker one at a time, within `timeLimitMs`. A job over it, a worker that crashes or runs
 * out of memory, a failed conversion or a cancel ends the worker (whatever state its WebAssembly
 * is in goes with it); the next job starts a new one. An idle worker is ended after `idleMs`.
 */
export class CodecJobs {
  private nextId = 1;
  private readonly queue: Job[] = [];
  private running: { readonly job: Job; timer?: ReturnType<typeof setTimeout> } | undefined;
  private started: Started | undefined;
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly start: StartCodecWorker,
    readonly timeLimitMs: number = CODEC_TIME_LIMIT_MS,
    private readonly idleMs?: number,
  ) {}

  /** Refused at once when the header is over the decode guard's caps; rejects with 'cancelled' when `signal` aborts. */
  convert(bytes: Uint8Array, from: DecodableFormat, to: OutputFormat, options: { readonly quality: number; readonly maxWidth: number }, signal?: AbortSignal): Promise<Converted> {
    return this.submit({ bytes, from }, undefined, to, options, signal);
  }

  /**
   * The picture with alpha from its renders on white and on black (difference matting, in the
   * worker): PNG or WebP; each render passes the decode guard first. A pair that cannot be matted
   * comes back with its reason in `report` and no bytes.
   */
  matte(white: CodecInput, black: CodecInput, to: OutputFormat, options: { readonly quality: number; readonly maxWidth: number }, signal?: AbortSignal): Promise<Matted> {
    if (to === 'jpeg') {
      return Promise.reject(new IllustrateError('options', jpegHasNoAlpha()));
    }
    return this.submit(white, black, to, options, signal);
  }

  private submit(input: CodecInput, black: CodecInput | undefined, to: OutputFormat, options: { readonly quality: number; readonly maxWidth: number }, signal?: AbortSignal): Promise<Matted> {
    if (signal?.aborted) {
      return Promise.reject(cancelled());
    }
    try {
      decodableSize(input.bytes, input.from);
      if (black) {
        decodableSize(black.bytes, black.from);
      }
    } catch (e: unknown) {
      return Promise.reject(e);
    }
    // The black render goes by copy (the request's own buffer is the one handed over).
    const request: CodecRequest = { id: this.nextId++, bytes: ownCopy(input.bytes), from: input.from, to, quality: options.quality, maxWidth: options.maxWidth, black };
    return new Promise<Matted>((resolve, reject) => {
      const abort = (): void => this.cancel(job);
      const job: Job = {
        request,
        resolve: (r) => {
          signal?.removeEventListener('abort', abort);
          resolve(r);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', abort);
          reject(e);
        },
      };
      signal?.addEventListener('abort', abort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Ends the worker; whatever is running or waiting fails as cancelled. */
  stop(): void {
    clearTimeout(this.idle);
    this.endWorker();
    const jobs = [...(this.running ? [this.running.job] : []), ...this.queue.splice(0)];
    if (this.running) {
      clearTimeout(this.running.timer);
      this.running = undefined;
    }
    for (const job of jobs) {
      job.reject(cancelled());
    }
  }

  private pump(): void {
    if (this.running) {
      return;
    }
    const job = this.queue.shift();
    clearTimeout(this.idle);
    if (!job) {
      if (this.idleMs !== undefined && this.started) {
        this.idle = setTimeout(() => this.endWorker(), this.idleMs);
        (this.idle as { unref?: () => void }).unref?.();
      }
      return;
    }
    const run: NonNullable<CodecJobs['running']> = { job };
    this.running = run;
    const started = this.started ?? this.startWorker();
    started.worker.then(
      (worker) => {
        if (this.running !== run) {
          return;
        }
        run.timer = setTimeout(() => this.finish(run, true, (j) => j.reject(timedOut(this.timeLimitMs))), this.timeLimitMs);
        worker.post(job.request);
      },
      (e: unknown) => this.finish(run, false, (j) => j.reject(e)),
    );
  }

  private startWorker(): Started {
    const events: CodecWorkerEvents = {
      reply: (reply) => {
        if (this.started !== started || this.running?.job.request.id !== reply.id) {
          return;
        }
        if ('error' in reply) {
          // A failed conversion may leave the codecs' WebAssembly in any state: the worker goes with it.
          this.finish(this.running, true, (j) => j.reject(new Error(reply.error)));
        } else {
          this.finish(this.running, false, (j) => j.resolve({ bytes: reply.bytes, width: reply.width, height: reply.height, report: reply.refused ?? { ok: true } }));
        }
      },
      failed: (e) => {
        if (this.started !== started) {
          return;
        }
        this.endWorker();
        if (this.running) {
          this.finish(this.running, false, (j) => j.reject(e));
        }
      },
    };
    const worker = Promise.resolve().then(() => this.start(events));
    const started: Started = { worker };
    worker.catch(() => {
      if (this.started === started) {
        this.started = undefined;
      }
    });
    this.started = started;
    return started;
  }

  private endWorker(): void {
    const started = this.started;
    this.started = undefined;
    started?.worker.then(
      (w) => w.terminate(),
      () => undefined,
    );
  }

  /** The running job is settled by `settle` (`end`: its worker is ended first), and the next one starts. */
  private finish(run: NonNullable<CodecJobs['running']>, end: boolean, settle: (job: Job) => void): void {
    if (this.running !== run) {
      return;
    }
    clearTimeout(run.timer);
    this.running = undefined;
    if (end) {
      this.endWorker();
    }
    settle(run.job);
    this.pump();
  }

  private cancel(job: Job): void {
    if (this.running?.job === job) {
      // Whatever the worker is encoding is dropped with it; the next job starts a new one.
      this.finish(this.running, true, (j) => j.reject(cancelled()));
      return;
    }
    const at = this.queue.indexOf(job);
    if (at >= 0) {
      this.queue.splice(at, 1);
      job.reject(cancelled());
    }
  }
}

function timedOut(limitMs: number): IllustrateError {
  return new IllustrateError('tooLarge', l10n.t('Converting the image took more than {0} seconds, so Illustrate stopped it. Try again, or scale the image down.', limitMs / 1000));
}

/** The bytes copied into a buffer of their own, to hand to a worker (a Buffer's slice shares its pool). */
export function ownCopy(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

/** The host cannot run the codec (no worker could be started): the model's format is written instead. */
export class CodecUnavailable extends Error {}

/** Converts image bytes off the host's main thread; rejects with 'cancelled' when `signal` aborts. */
export interface ImageCodec {
  convert(bytes: Uint8Array, from: DecodableFormat, to: OutputFormat, options: { readonly quality: number; readonly maxWidth: number }, signal?: AbortSignal): Promise<Converted>;
  /** `CodecJobs.matte`: the picture with alpha from its renders on white and on black. */
  matte(white: CodecInput, black: CodecInput, to: OutputFormat, options: { readonly quality: number; readonly maxWidth: number }, signal?: AbortSignal): Promise<Matted>;
}

/** Why no JPEG can be transparent, and what to ask for instead. */
export function jpegHasNoAlpha(): string {
  return l10n.t('A JPEG cannot hold a transparent background: ask for a .png or .webp file instead.');
}

/** `illustrate.output.*`, clamped. */
export interface OutputSettings {
  /** 'auto': the model's format for a new link; a link's own extension always wins. */
  readonly format: 'auto' | OutputFormat | 'avif';
  readonly quality: number;
  readonly maxWidth: number;
}

export const OUTPUT_DEFAULTS: OutputSettings = { format: 'auto', quality: 80, maxWidth: 0 };

/** The settings from raw values: an unknown format is 'auto', quality 1-100, width 0 or 64-16384. */
export function outputSettings(format: unknown, quality: unknown, maxWidth: unknown): OutputSettings {
  const f = typeof format === 'string' && ['auto', 'png', 'jpeg', 'webp', 'avif'].includes(format) ? (format as OutputSettings['format']) : OUTPUT_DEFAULTS.format;
  const q = typeof quality === 'number' && Number.isFinite(quality) ? Math.round(Math.min(100, Math.max(1, quality))) : OUTPUT_DEFAULTS.quality;
  const w = typeof maxWidth === 'number' && Number.isFinite(maxWidth) && maxWidth > 0 ? Math.round(Math.min(16384, Math.max(64, maxWidth))) : 0;
  return { format: f, quality: q, maxWidth: w };
}

/**
 * The format to write: the one the link's extension names (`.webp`, `.jpg`), else the setting's for
 * a new link; undefined keeps the model's. AVIF cannot be made: undefined, and the caller says why.
 */
export function wantedFormat(linkFormat: ImageFormat | 'avif' | undefined, settings: OutputSettings): OutputFormat | 'avif' | undefined {
  if (linkFormat === 'png' || linkFormat === 'jpeg' || linkFormat === 'webp' || linkFormat === 'avif') {
    return linkFormat;
  }
  return settings.format === 'auto' ? undefined : settings.format;
}

/**
 * What to ask the generator for a file at `wanted` (a link's target; none for a new link): the
 * link's format, else the setting's, at the setting's quality and width. An `.avif` link is refused
 * before anything is sent.
 */
export function outputFor(wanted: string | undefined, settings: OutputSettings): { readonly format?: OutputFormat; readonly quality: number; readonly maxWidth: number } {
  const ext = wanted ? /\.([a-z0-9]+)$/i.exec(wanted)?.[1]?.toLowerCase() : undefined;
  const linkFormat = ext === 'png' ? 'png' : ext === 'jpg' || ext === 'jpeg' ? 'jpeg' : ext === 'webp' ? 'webp' : ext === 'avif' ? 'avif' : undefined;
  const format = wanted ? (linkFormat ?? (settings.format === 'auto' ? undefined : settings.format)) : wantedFormat(undefined, settings);
  if (format === 'avif') {
    throw new IllustrateError('options', l10n.t('Illustrate cannot write AVIF images yet. Link a .webp, .jpg or .png file instead.'));
  }
  return { format, quality: settings.quality, maxWidth: settings.maxWidth };
}
