/**
 * What every call to a Gemini text model with one image in it shares (alt text, the review): the
 * model (a setting, else the cheapest GA Flash-Lite the endpoint lists, asked once per endpoint),
 * the image made small in the codec's worker, the call through the one exchange (key, endpoint,
 * retries, caps, errors), and its price.
 */
import * as l10n from '@vscode/l10n';
import { ClientConfig, exchange, HttpFetch, readCapped, withRetries } from './client';
import { IllustrateError } from '../errors';
import { errorFromResponse } from './httpErrors';
import { toBase64 } from '../bytes';
import { authHeaders, endpointUrl } from './request';
import { ModelPrice, PriceTable, Usage } from './pricing';
import { listTextModels } from './modelList';
import { MAX_REFERENCE_BYTES } from './models';
import { CodecUnavailable, ImageCodec } from '../images/codec';
import { ImageFormat, MIME_TYPES } from '../images/imageFormat';
import { endpointForKey, Settings } from '../settings';

/** The text models that read images, cheapest first (`../shared/GEMINI-API.md`, late 2026). */
export const TEXT_MODELS: readonly { readonly id: string; readonly ga: boolean; readonly lite: boolean; readonly inputPerMillion: number; readonly outputPerMillion: number }[] = [
  { id: 'gemini-3.1-flash-lite', ga: true, lite: true, inputPerMillion: 0.25, outputPerMillion: 1.5 },
  { id: 'gemini-3.5-flash-lite', ga: true, lite: true, inputPerMillion: 0.3, outputPerMillion: 2.5 },
  { id: 'gemini-3-flash-preview', ga: false, lite: false, inputPerMillion: 0.5, outputPerMillion: 3 },
  { id: 'gemini-3.8-flash', ga: true, lite: false, inputPerMillion: 0.75, outputPerMillion: 3.75 },
  { id: 'gemini-3.6-flash', ga: true, lite: false, inputPerMillion: 1.5, outputPerMillion: 7.5 },
];

/** The text model when neither a setting nor the endpoint's list says another. */
export const DEFAULT_TEXT_MODEL = 'gemini-3.1-flash-lite';

/** The text model for an endpoint: the setting, else the cheapest GA Flash-Lite model it lists, else the table's. */
export function chooseTextModel(setting: string, listed: readonly string[]): string {
  if (setting.trim()) {
    return setting.trim();
  }
  const offered = new Set(listed);
  return TEXT_MODELS.find((m) => m.ga && m.lite && offered.has(m.id))?.id ?? DEFAULT_TEXT_MODEL;
}

/** Tokens an image costs on Gemini 3 models at each media resolution, whatever its pixel size. */
export const IMAGE_TOKENS_LOW = 280;
export const IMAGE_TOKENS_MEDIUM = 560;
/** At high media resolution (the default for images): the most an image is billed should an endpoint ignore the resolution asked for. */
export const IMAGE_TOKENS_HIGH = 1120;

/** The media resolutions Illustrate asks for, and what each costs. */
export type MediaResolution = 'MEDIA_RESOLUTION_LOW' | 'MEDIA_RESOLUTION_MEDIUM';
export const IMAGE_TOKENS: Readonly<Record<MediaResolution, number>> = { MEDIA_RESOLUTION_LOW: IMAGE_TOKENS_LOW, MEDIA_RESOLUTION_MEDIUM: IMAGE_TOKENS_MEDIUM };

/** The longest answer read from a text model (a line of alt text, a verdict). */
const MAX_ANSWER = 256 * 1024;

/** A text model's price: the user's own (`illustrate.prices`), else the table's; undefined when neither knows it. */
export function textModelPrice(model: string, prices: PriceTable = {}): ModelPrice | undefined {
  return prices[model] ?? TEXT_MODELS.find((m) => m.id === model);
}

/** Dollars for `input` and `output` tokens of `model`; undefined when its price is unknown. */
export function textTokensCost(model: string, input: number, output: number, prices: PriceTable = {}): number | undefined {
  const price = textModelPrice(model, prices);
  return price && (input * price.inputPerMillion + output * price.outputPerMillion) / 1e6;
}

/**
 * The most one call with `instruction` and an image can bill, for a budget: the image at high
 * resolution, a token for every byte of the instruction, and an answer of `maxOutputTokens`.
 */
export function worstTextCallCost(model: string, instruction: string, maxOutputTokens: number, prices: PriceTable = {}): number | undefined {
  return textTokensCost(model, IMAGE_TOKENS_HIGH + new TextEncoder().encode(instruction).length, maxOutputTokens, prices);
}

/** Cost of a finished call from its usage, thinking billed as output; `estimate` when the answer carried none. */
export function textCallCost(model: string, usage: Usage, prices: PriceTable, estimate: () => number | undefined): number | undefined {
  if (usage.reported === false) {
    return estimate();
  }
  return textTokensCost(model, usage.promptTokens, usage.outputTokens + (usage.thoughtsTokens ?? 0), prices);
}

/** The image as sent. */
export interface PreparedImage {
  readonly mimeType: string;
  readonly data: Uint8Array;
}

/** Why an image cannot be sent: its format (an SVG, say), or its size past the API's limit. */
export type Unsendable = { readonly unsendable: 'format'; readonly format: ImageFormat } | { readonly unsendable: 'size'; readonly megabytes: number; readonly limit: number };

export interface TextCallDeps {
  readonly fetch: HttpFetch;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  readonly log?: (line: string) => void;
}

/** A request's one user turn: the instruction, then the image. */
export function instructionWithImage(instruction: string, image: PreparedImage): unknown[] {
  return [{ role: 'user', parts: [{ text: instruction }, { inlineData: { mimeType: image.mimeType, data: toBase64(image.data) } }] }];
}

/**
 * One call to a text model, with image generation's retries; `interpret` reads the JSON answer
 * (its IllustrateErrors are not retried unless retryable). `expected` names what was asked for,
 * for an answer that is a web page.
 */
export async function callTextModel<T>(config: ClientConfig, model: string, body: unknown, expected: string, signal: AbortSignal, deps: TextCallDeps, interpret: (root: unknown) => T): Promise<T> {
  const text = JSON.stringify(body);
  const headers = { 'Content-Type': 'application/json', ...authHeaders(config.baseUrl, config.authHeader, config.apiKey) };
  const { value } = await withRetries(config, model, signal, { sleep: deps.sleep, random: deps.random, log: deps.log }, async () =>
    interpret(
      await exchange(
        {
          method: 'POST',
          url: endpointUrl(config.baseUrl, model),
          headers,
          body: text,
          baseUrl: config.baseUrl,
          timeoutMs: config.timeoutMs,
          timeoutAdvice: l10n.t('Try again, or raise "illustrate.requestTimeoutSeconds".'),
          failure: (status, contentType, answer) => errorFromResponse(status, contentType, answer, model, config.apiKey),
          expected,
          read: async (res) => {
            const answer = await readCapped(res.body, MAX_ANSWER);
            try {
              return JSON.parse(answer) as unknown;
            } catch {
              throw new IllustrateError('malformed', l10n.t('The API sent an incomplete or malformed answer. Try again; if it keeps happening, check "illustrate.baseUrl".'));
            }
          },
        },
        signal,
        deps.fetch,
      ),
    ),
  );
  return value;
}

/** Where the key comes from (the Generator's `KeySource`). */
export interface TextModelKeys {
  require(baseUrl: string, signal?: AbortSignal): Promise<string>;
}

/**
 * Calls text models with an image for every host: the model (a setting, or the cheapest GA
 * Flash-Lite the endpoint lists, asked once per endpoint), the image made small in the codec's
 * worker, the call with the user's key on the endpoint it goes to.
 */
export class TextModelReader {
  private readonly listed = new Map<string, Promise<string>>();

  constructor(
    private readonly keys: TextModelKeys,
    private readonly fetch: HttpFetch,
    private readonly codec?: ImageCodec,
    readonly log?: (line: string) => void,
  ) {}

  /** `setting` when set; otherwise the endpoint's cheapest GA Flash-Lite (asked once per endpoint; needs the key). */
  async model(setting: string, settings: Settings, signal: AbortSignal): Promise<string> {
    if (setting) {
      return setting;
    }
    const key = settings.baseUrl;
    let found = this.listed.get(key);
    if (!found) {
      found = (async () => {
        const apiKey = await this.keys.require(settings.baseUrl, signal);
        const routed = endpointForKey(settings, apiKey).settings;
        return chooseTextModel('', await listTextModels(routed.baseUrl, routed.authHeader, apiKey, signal, this.fetch));
      })();
      this.listed.set(key, found);
      found.catch(() => this.listed.delete(key));
    }
    return found;
  }

  /** The image as sent: a small JPEG where the codec can make one, else the file (PNG, JPEG, WebP) if the API takes its size. */
  async prepare(bytes: Uint8Array, format: ImageFormat, small: { readonly maxWidth: number; readonly quality: number }, signal?: AbortSignal): Promise<PreparedImage | Unsendable> {
    if ((format === 'png' || format === 'jpeg' || format === 'gif') && this.codec) {
      try {
        const made = await this.codec.convert(bytes, format, 'jpeg', { quality: small.quality, maxWidth: small.maxWidth }, signal);
        return { mimeType: 'image/jpeg', data: made.bytes };
      } catch (e: unknown) {
        if (!(e instanceof CodecUnavailable)) {
          throw e;
        }
      }
    }
    if (format !== 'png' && format !== 'jpeg' && format !== 'webp') {
      return { unsendable: 'format', format };
    }
    if (bytes.length > MAX_REFERENCE_BYTES) {
      return { unsendable: 'size', megabytes: bytes.length / 1048576, limit: MAX_REFERENCE_BYTES / 1048576 };
    }
    return { mimeType: MIME_TYPES[format], data: bytes };
  }

  /** One call with the user's key, on the endpoint the key goes to (`callTextModel`). */
  async call<T>(settings: Settings, model: string, body: unknown, expected: string, signal: AbortSignal, interpret: (root: unknown) => T): Promise<T> {
    const apiKey = await this.keys.require(settings.baseUrl, signal);
    const routed = endpointForKey(settings, apiKey).settings;
    return callTextModel({ baseUrl: routed.baseUrl, authHeader: routed.authHeader, apiKey, timeoutMs: settings.requestTimeoutSeconds * 1000 }, model, body, expected, signal, { fetch: this.fetch, log: this.log }, interpret);
  }
}

/** Whether `prepare` could not make the image sendable. */
export function isUnsendable(p: PreparedImage | Unsendable): p is Unsendable {
  return 'unsendable' in p;
}
