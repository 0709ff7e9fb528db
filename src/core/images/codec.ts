/**
 * Image conversion: the format a link names (or the setting), the bytes written beside the bytes
 * the model sent. The encoding itself runs in a host's worker (a worker thread on Node) behind
 * `ImageCodec`; core only decides what to ask and puts the metadata back.
 */
import * as l10n from '@vscode/l10n';
import { cancelled } from '../api/client';
import { IllustrateError } from '../errors';
import { ImageFormat } from './imageFormat';

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
}

export type CodecReply = { readonly id: number; readonly bytes: Uint8Array; readonly width: number; readonly height: number } | { readonly id: number; readonly error: string };

/** What a conversion gives back. */
export interface Converted {
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * The requests a codec's worker is working on, for both hosts' codecs: each gets an id, its reply
 * settles it, and cancel (its signal) ends the worker through `onAbort` and fails the rest.
 */
export class PendingConversions {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Converted) => void; reject: (e: unknown) => void }>();

  get size(): number {
    return this.pending.size;
  }

  /** Registers a request and `send`s it under its id; rejects with 'cancelled' when `signal` aborts. */
  start(signal: AbortSignal | undefined, onAbort: () => void, send: (id: number) => void): Promise<Converted> {
    const id = this.nextId++;
    return new Promise<Converted>((resolve, reject) => {
      const abort = (): void => {
        this.pending.delete(id);
        onAbort();
        reject(cancelled());
      };
      signal?.addEventListener('abort', abort, { once: true });
      this.pending.set(id, {
        resolve: (r) => {
          signal?.removeEventListener('abort', abort);
          resolve(r);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', abort);
          reject(e);
        },
      });
      send(id);
    });
  }

  /** A worker's reply: its request resolved, or rejected with the worker's message. */
  settle(reply: CodecReply): void {
    const waiting = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (!waiting) {
      return;
    }
    if ('error' in reply) {
      waiting.reject(new Error(reply.error));
    } else {
      waiting.resolve({ bytes: reply.bytes, width: reply.width, height: reply.height });
    }
  }

  /** Every request still waiting fails with `e` (the worker ended, or was ended). */
  failAll(e: unknown): void {
    for (const p of this.pending.values()) {
      p.reject(e);
    }
    this.pending.clear();
  }
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
