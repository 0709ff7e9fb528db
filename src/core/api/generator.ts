/**
 * A prompt in, image bytes out, for every host: option checks, the key, the routed HTTP call,
 * metadata and cost. The host passes in its key store, its log and how it reads the workspace's
 * style reference images. No files are written here.
 */
import * as l10n from '@vscode/l10n';
import { HttpFetch, ProgressEvent } from './client';
import { formatBytes } from '../display';
import { cancelled, describeForLog, IllustrateError } from '../errors';
import { ImageFormat, pixelSize } from '../images/imageFormat';
import { CodecInput, CodecUnavailable, Converted, ImageCodec, Matted, OutputFormat } from '../images/codec';
import { MatteRefusal } from '../images/matting';
import { fingerprint, ImageMetadata, joinWithInsert, metadataInsert, webpWithMetadata } from '../images/metadata';
import { VERSION } from '../version';
import { generateRouted, ModelMemory } from './modelRoute';
import { checkOptions, GenerationOptions } from './models';
import { costOfUsage, Usage } from './pricing';
import { ImageRequest, ModelPart, ReferenceImage } from './request';
import { ParsedAnswer } from './response';
import { endpointForKey, Settings, withStyle } from '../settings';

/** Where the key comes from: asks (the editor) or fails with 'noKey' (the command line). */
export interface KeySource {
  require(baseUrl: string, signal?: AbortSignal): Promise<string>;
  /** Told when a Google-shaped key goes to Google's endpoint (`baseUrl`) instead of the default gateway: say so once. */
  keyRouted?(baseUrl: string): void;
}

/** Lines for the host's log; never shown as a message. */
export interface GenerationLog {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/** The bytes of the workspace's style reference images (`illustrate.styleReferences`), checked. */
export type StyleReferenceLoader = (paths: readonly string[]) => Promise<ReferenceImage[]>;

export interface GeneratedImage {
  readonly bytes: Uint8Array;
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
  readonly usage: Usage;
  readonly cost: number | undefined;
  readonly texts: readonly string[];
  readonly thoughts: readonly string[];
  /** The answer's non-thought parts, the final image's bytes included, for an edit. */
  readonly modelParts: readonly ModelPart[];
  readonly durationMs: number;
  readonly prompt: string;
  readonly options: GenerationOptions;
  /** What was written into the file (prompt, model, options, date), to write again after a conversion. */
  readonly metadata: ImageMetadata;
  /** The bytes the model sent (before any conversion), for the user to see the saving. */
  readonly receivedBytes: number;
  /** Set when the file is not what the model sent: its format then. */
  readonly convertedFrom?: ImageFormat;
}

/** "48 KB WebP (the model sent 1.9 MB PNG)" for a converted image; '' otherwise. */
export function weightNote(image: GeneratedImage): string {
  return image.convertedFrom ? l10n.t('{0} {1} (the model sent {2} {3})', formatBytes(image.bytes.length), image.format.toUpperCase(), formatBytes(image.receivedBytes), image.convertedFrom.toUpperCase()) : '';
}

/** The format and weight a caller wants the file in (the link's extension, `illustrate.output.*`). */
export interface OutputRequest {
  readonly format?: OutputFormat;
  readonly quality: number;
  readonly maxWidth: number;
}

export interface GenerateInput {
  readonly prompt: string;
  readonly options: GenerationOptions;
  readonly references?: readonly ReferenceImage[];
  readonly history?: ImageRequest['history'];
  /** false: a rate limit comes back at once as an error, for a caller that paces many requests. */
  readonly retryRateLimited?: boolean;
  /** false: the workspace's `illustrate.style` is not added to this prompt. */
  readonly applyStyle?: boolean;
  /** The run's own reader of the style references (`Generator.styleReferencesOnce`): a fill reads them once. */
  readonly styleReferences?: StyleReferenceLoader;
  /** Convert the model's image to this format and weight (in the host's codec worker). */
  readonly output?: OutputRequest;
  /** For an edit of an existing image: the instruction and the fingerprint of that image, recorded in the new one. */
  readonly edit?: { readonly instruction: string; readonly source: string };
  /** The prompt recorded in the file when it is not the one sent: for an edit, the alt text the picture stands for. */
  readonly recordAs?: string;
  /** For a twin of another image (its dark version): what it was made from, recorded in the new one. */
  readonly twinOf?: ImageMetadata['twinOf'];
}

/** What the metadata records beyond the answer: the style it was made with, an edit. */
export type Provenance = Pick<ImageMetadata, 'style' | 'styleReferences' | 'edit' | 'twinOf'>;

/** A codec's output with `metadata` written in (WebP's XMP, PNG's chunks, JPEG's comment). */
function withRecord(image: Converted, to: OutputFormat, metadata: ImageMetadata): Uint8Array {
  return to === 'webp' ? webpWithMetadata(image.bytes, image.width, image.height, metadata) : joinWithInsert([image.bytes], image.bytes.length, metadataInsert(to, metadata));
}

/** A codec's failure as the message a user sees. */
function codecFailure(e: unknown, to: OutputFormat): IllustrateError {
  if (e instanceof IllustrateError) {
    return e;
  }
  return new IllustrateError('unexpected', l10n.t('Could not convert the image to {0}: {1}. Try again, or link a .png file.', to.toUpperCase(), e instanceof Error ? e.message.slice(0, 200) : 'error'));
}

/** From this many reference images on, a request gets the long timeout. */
const MANY_REFERENCES = 4;

/** Turns a prompt into image bytes: key, option checks, the HTTP call, metadata. No files. */
export class Generator {
  constructor(
    private readonly keys: KeySource,
    private readonly log: GenerationLog,
    private readonly fetch: HttpFetch,
    private readonly loadStyleReferences: StyleReferenceLoader,
    private readonly memory?: ModelMemory,
    private readonly codec?: ImageCodec,
  ) {}

  /**
   * Bytes in the format and weight asked for (the Studio's saved images): converted in the codec's
   * worker with `metadata` written again; the bytes as they are when nothing needs doing or no codec can.
   */
  async convertBytes(bytes: Uint8Array, format: ImageFormat, width: number, metadata: ImageMetadata, output: OutputRequest, signal?: AbortSignal): Promise<{ bytes: Uint8Array; format: ImageFormat }> {
    return (await this.convert(bytes, format, width, metadata, output, signal)) ?? { bytes, format };
  }

  /**
   * The image in the format and weight asked for: converted in the codec's worker (off this
   * thread), its metadata written again. Unchanged when nothing is asked or it already fits.
   */
  async finish(image: GeneratedImage, output: OutputRequest | undefined, signal?: AbortSignal): Promise<GeneratedImage> {
    const converted = output && (await this.convert(image.bytes, image.format, image.width, image.metadata, output, signal));
    return converted ? { ...image, ...converted, convertedFrom: image.format } : image;
  }

  /**
   * The conversion `output` asks of an image of `format` (`width` pixels wide): the new file's
   * bytes with `metadata` written in, or undefined when nothing needs doing, or no codec can run
   * here (then the model's format is written, and the link follows it).
   */
  private async convert(bytes: Uint8Array, format: ImageFormat, width: number, metadata: ImageMetadata, output: OutputRequest, signal?: AbortSignal): Promise<{ bytes: Uint8Array; format: OutputFormat; width: number; height: number } | undefined> {
    const to = output.format ?? (format === 'png' || format === 'jpeg' || format === 'webp' ? format : undefined);
    const shrink = output.maxWidth > 0 && width > output.maxWidth;
    if (!to || (to === format && !shrink) || (format !== 'png' && format !== 'jpeg')) {
      return undefined;
    }
    if (!this.codec) {
      this.log.info(`no image codec here: writing the model's ${format} instead of ${to}`);
      return undefined;
    }
    const started = Date.now();
    let converted: Converted;
    try {
      converted = await this.codec.convert(bytes, format, to, { quality: output.quality, maxWidth: output.maxWidth }, signal);
    } catch (e: unknown) {
      if (e instanceof CodecUnavailable) {
        this.log.warn(`no image codec here (${e.message}): writing the model's ${format} instead of ${to}`);
        return undefined;
      }
      throw codecFailure(e, to);
    }
    const written = withRecord(converted, to, metadata);
    this.log.info(`converted: ${bytes.length} bytes ${format} → ${written.length} bytes ${to} (${converted.width}x${converted.height}, quality ${output.quality}) in ${Date.now() - started} ms`);
    return { bytes: written, format: to, width: converted.width, height: converted.height };
  }

  /**
   * The picture with alpha from two renders of it, on pure white and on pure black (difference
   * matting, in the codec's worker), as `to` with `metadata` written in; a pair that cannot be
   * matted comes back as its refusal. Without a codec nothing can be matted: an error that says so.
   */
  async matte(white: CodecInput, black: CodecInput, to: 'png' | 'webp', output: Pick<OutputRequest, 'quality' | 'maxWidth'>, metadata: ImageMetadata, signal?: AbortSignal): Promise<{ readonly bytes: Uint8Array; readonly width: number; readonly height: number } | MatteRefusal> {
    const started = Date.now();
    let matted: Matted;
    try {
      if (!this.codec) {
        throw new CodecUnavailable('none in this host');
      }
      matted = await this.codec.matte(white, black, to, { quality: output.quality, maxWidth: output.maxWidth }, signal);
    } catch (e: unknown) {
      if (e instanceof CodecUnavailable) {
        this.log.warn(`no image codec here (${e.message}): cannot matte`);
        throw new IllustrateError('unexpected', l10n.t('A transparent background is worked out by the image codec, which cannot run here. Try again in VS Code on the desktop or with the command line tool.'));
      }
      throw codecFailure(e, to);
    }
    if (!matted.report.ok) {
      this.log.warn(`matte refused: ${JSON.stringify(matted.report)}`);
      return matted.report;
    }
    this.log.info(`matted: ${white.bytes.length} + ${black.bytes.length} bytes → ${matted.bytes.length} bytes ${to} (${matted.width}x${matted.height}) in ${Date.now() - started} ms`);
    return { bytes: withRecord(matted, to, metadata), width: matted.width, height: matted.height };
  }

  /**
   * A reader of the style references for one run of many requests: each list of paths is read and
   * checked once, and every request of the run shares the same bytes (and the same refusal).
   */
  styleReferencesOnce(): StyleReferenceLoader {
    const loaded = new Map<string, Promise<ReferenceImage[]>>();
    return (paths) => {
      const key = JSON.stringify(paths);
      let once = loaded.get(key);
      if (!once) {
        once = this.loadStyleReferences(paths);
        loaded.set(key, once);
      }
      return once;
    };
  }

  async generate(input: GenerateInput, chosen: Settings, signal: AbortSignal, onProgress?: (e: ProgressEvent) => void): Promise<GeneratedImage> {
    let settings = chosen;
    // The workspace's style: its words after the prompt, its reference images after the user's.
    const styled = input.applyStyle !== false;
    const load = input.styleReferences ?? this.loadStyleReferences;
    const styleReferences = styled && settings.styleReferences.length ? await load(settings.styleReferences) : [];
    const references = [...(input.references ?? []), ...styleReferences];
    const provenance: Provenance = {
      style: styled ? settings.style : undefined,
      styleReferences: styled ? styleReferences.map((r) => fingerprint(r.data)) : undefined,
      edit: input.edit,
      ...(input.twinOf ? { twinOf: input.twinOf } : {}),
    };
    const problem = checkOptions(input.options, references.length);
    if (problem) {
      throw new IllustrateError('options', problem);
    }
    if (!input.prompt.trim()) {
      throw new IllustrateError('options', l10n.t('The prompt is empty. Describe the image you want.'));
    }
    const apiKey = await this.keys.require(settings.baseUrl, signal);
    if (signal.aborted) {
      throw cancelled();
    }
    const routed = endpointForKey(settings, apiKey);
    if (routed.switched) {
      settings = routed.settings;
      this.keys.keyRouted?.(settings.baseUrl);
    }
    const { options } = input;
    // apiyi bills a request even when the client gives up, and asks for 600 s for 4K or many references.
    const slow = options.imageSize === '4K' || references.length >= MANY_REFERENCES;
    const timeoutSeconds = slow ? Math.max(settings.requestTimeoutSeconds, 600) : settings.requestTimeoutSeconds;
    const started = Date.now();
    this.log.info(`request: model=${options.model} aspectRatio=${options.aspectRatio || 'auto'} imageSize=${options.imageSize || '-'} references=${references.length}`);
    try {
      const outcome = await generateRouted(
        { baseUrl: settings.baseUrl, authHeader: settings.authHeader, apiKey, timeoutMs: timeoutSeconds * 1000, retryRateLimited: input.retryRateLimited },
        { prompt: withStyle(input.prompt, styled ? settings.style : ''), options, references, history: input.history },
        signal,
        { fetch: this.fetch, onProgress, log: (line) => this.log.warn(line), memory: this.memory },
      );
      const image = this.fromAnswer(outcome.answer, input.recordAs ?? input.prompt, { ...options, model: outcome.model }, settings, Date.now() - started, 'standard', provenance);
      this.log.info(`done: HTTP ${outcome.status} in ${outcome.durationMs} ms, ${outcome.attempts} attempt(s)`);
      return await this.finish(image, input.output, signal);
    } catch (e: unknown) {
      this.log.error(`failed after ${Date.now() - started} ms: ${describeForLog(e)}`);
      throw e;
    }
  }

  /**
   * The image of a parsed answer, ready to place: its metadata written in, its pixel size and cost
   * (half price for Google's batch). Frees the answer's buffers.
   */
  fromAnswer(answer: ParsedAnswer, prompt: string, used: GenerationOptions, settings: Settings, durationMs: number, pricing: 'standard' | 'batch' = 'standard', provenance: Provenance = {}): GeneratedImage {
    const standard = costOfUsage(used.model, answer.usage, settings.prices, used.imageSize);
    const cost = standard === undefined ? undefined : pricing === 'batch' ? standard / 2 : standard;
    const metadata: ImageMetadata = { prompt, model: used.model, aspectRatio: used.aspectRatio, imageSize: used.imageSize, date: new Date().toISOString(), ...provenance, version: VERSION, cost };
    const insert = metadataInsert(answer.format, metadata);
    const receivedBytes = answer.image.byteLength;
    const bytes = answer.image.withInsert(insert, joinWithInsert);
    answer.image.release();
    const size = pixelSize(bytes) ?? { width: 0, height: 0 };
    this.log.info(
      `image: ${bytes.length} bytes ${answer.format} (labelled ${answer.mimeLabel || 'none'}), ${size.width}x${size.height}, tokens ${answer.usage.promptTokens}+${answer.usage.outputTokens}${pricing === 'batch' ? ', batch price' : ''}`,
    );
    const mimeType = `image/${answer.format}`;
    return {
      bytes,
      format: answer.format,
      width: size.width,
      height: size.height,
      usage: answer.usage,
      cost,
      texts: answer.texts,
      thoughts: answer.thoughts,
      modelParts: answer.modelParts.map((p) => (p.isFinalImage ? { image: { mimeType, data: bytes }, thoughtSignature: p.thoughtSignature } : p)),
      durationMs,
      prompt,
      options: used,
      metadata,
      receivedBytes,
    };
  }
}
