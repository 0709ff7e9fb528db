/**
 * Alt text for an image that has none: the image (small), the page's heading and the paragraph
 * before it go to a Gemini text model, through the same exchange, key, endpoint, retries, caps and
 * errors as image generation. The answer is one line of plain text, or a "decorative" verdict.
 */
import * as l10n from '@vscode/l10n';
import { ClientConfig, exchange, HttpFetch, readCapped, withRetries } from './client';
import { IllustrateError, isRecord } from '../errors';
import { errorFromResponse } from './httpErrors';
import { toBase64 } from '../bytes';
import { authHeaders, endpointUrl } from './request';
import { ModelPrice, PriceTable, Usage, usageOf } from './pricing';
import { listTextModels } from './modelList';
import { MAX_REFERENCE_BYTES } from './models';
import { CodecUnavailable, ImageCodec } from '../images/codec';
import { ImageFormat, MIME_TYPES } from '../images/imageFormat';
import { endpointForKey, Settings } from '../settings';
import { trimEndOf, trimOf } from '../text';

/** The text models that read images, cheapest first (`../shared/GEMINI-API.md`, late 2026). */
export const TEXT_MODELS: readonly { readonly id: string; readonly ga: boolean; readonly lite: boolean; readonly inputPerMillion: number; readonly outputPerMillion: number }[] = [
  { id: 'gemini-3.1-flash-lite', ga: true, lite: true, inputPerMillion: 0.25, outputPerMillion: 1.5 },
  { id: 'gemini-3.5-flash-lite', ga: true, lite: true, inputPerMillion: 0.3, outputPerMillion: 2.5 },
  { id: 'gemini-3-flash-preview', ga: false, lite: false, inputPerMillion: 0.5, outputPerMillion: 3 },
  { id: 'gemini-3.8-flash', ga: true, lite: false, inputPerMillion: 0.75, outputPerMillion: 3.75 },
  { id: 'gemini-3.6-flash', ga: true, lite: false, inputPerMillion: 1.5, outputPerMillion: 7.5 },
];

export const DEFAULT_DESCRIBE_MODEL = 'gemini-3.1-flash-lite';

/** The describe model for an endpoint: the setting, else the cheapest GA Flash-Lite model it lists, else the table's. */
export function chooseDescribeModel(setting: string, listed: readonly string[]): string {
  if (setting.trim()) {
    return setting.trim();
  }
  const offered = new Set(listed);
  return TEXT_MODELS.find((m) => m.ga && m.lite && offered.has(m.id))?.id ?? DEFAULT_DESCRIBE_MODEL;
}

/** Tokens an image costs at low media resolution on Gemini 3 models, whatever its pixel size. */
export const IMAGE_TOKENS_LOW = 280;
/** At high media resolution (the default for images): the most an image is billed should an endpoint ignore the low resolution asked for. */
export const IMAGE_TOKENS_HIGH = 1120;
/** The most output tokens one describe answer may bill, thinking included (`maxOutputTokens`). */
export const DESCRIBE_MAX_OUTPUT_TOKENS = 1024;
/** The longest side an image is sent at: low resolution reads no more. */
export const DESCRIBE_MAX_WIDTH = 768;
const MAX_ANSWER = 256 * 1024;

/** A text model's price: the user's own (`illustrate.prices`), else the table's; undefined when neither knows it. */
export function describePrice(model: string, prices: PriceTable = {}): ModelPrice | undefined {
  return prices[model] ?? TEXT_MODELS.find((m) => m.id === model);
}

/**
 * Cost of describing `images` images before sending: each the image at low resolution, the
 * instruction with a paragraph of context, and a one-line answer of at most `maxLength` characters.
 */
export function estimateDescribeCost(model: string, maxLength: number, images = 1, prices: PriceTable = {}): number | undefined {
  const price = describePrice(model, prices);
  if (!price) {
    return undefined;
  }
  const input = IMAGE_TOKENS_LOW + Math.ceil(describeInstruction({ paragraph: 'x'.repeat(400) }, 'English', maxLength).length / 4);
  const output = Math.ceil(maxLength / 3) + 10;
  return (images * (input * price.inputPerMillion + output * price.outputPerMillion)) / 1e6;
}

/**
 * The most one describe call with `instruction` can bill, for a budget: the image at high
 * resolution, a token for every byte of the instruction, and an answer of `maxOutputTokens`.
 */
export function worstDescribeCost(model: string, instruction: string, prices: PriceTable = {}): number | undefined {
  const price = describePrice(model, prices);
  const input = IMAGE_TOKENS_HIGH + new TextEncoder().encode(instruction).length;
  return price && (input * price.inputPerMillion + DESCRIBE_MAX_OUTPUT_TOKENS * price.outputPerMillion) / 1e6;
}

/** The most describing `targets` with `model` can bill, each call at its worst; undefined when its price is unknown. */
export function worstAltCost(model: string, targets: readonly { readonly context: ImageContext; readonly language: string }[], settings: Pick<Settings, 'altTextMaxLength' | 'prices'>): number | undefined {
  let total = 0;
  for (const t of targets) {
    const one = worstDescribeCost(model, describeInstruction(t.context, t.language, settings.altTextMaxLength), settings.prices);
    if (one === undefined) {
      return undefined;
    }
    total += one;
  }
  return total;
}

/** Cost of a finished describe call from its usage, thinking billed as output; the estimate when the answer carried none. */
export function costOfDescription(model: string, usage: Usage, prices: PriceTable = {}, maxLength = 150): number | undefined {
  if (usage.reported === false) {
    return estimateDescribeCost(model, maxLength, 1, prices);
  }
  const price = describePrice(model, prices);
  return price && (usage.promptTokens * price.inputPerMillion + (usage.outputTokens + (usage.thoughtsTokens ?? 0)) * price.outputPerMillion) / 1e6;
}

/** What the page says around the image, so the description says what the picture is for. */
export interface ImageContext {
  readonly heading?: string;
  readonly paragraph?: string;
}

const MAX_CONTEXT = 800;
const ATX_OPEN = /^\s{0,3}#{1,6}\s/;

/** An ATX heading's text (`## Deploy ##` gives `Deploy`), or undefined when the line is not one. */
function headingText(line: string): string | undefined {
  const open = ATX_OPEN.exec(line);
  if (!open) {
    return undefined;
  }
  // The closing run of `#` and the spaces around it, trimmed from the end, each character looked at once.
  const text = trimEndOf(trimEndOf(trimEndOf(line.slice(open[0].length), /\s/), /#/), /\s/).trimStart();
  // A line break other than `\n` inside (`\r` alone) ends a line in markdown: not one heading.
  return /[\r\u2028\u2029]/.test(text) ? undefined : text;
}

/** The nearest heading above `offset` and the paragraph just before the image's line (each capped). */
export function imageContext(text: string, offset: number): ImageContext {
  const before = text.slice(Math.max(0, offset - 20_000), offset);
  const lines = before.split('\n');
  // The image's own line up to the image, then the lines above it, up to a blank line.
  const paragraph: string[] = [];
  let i = lines.length - 1;
  if (lines[i]?.trim()) {
    paragraph.unshift(lines[i]);
  }
  i--;
  while (i >= 0 && !lines[i].trim()) {
    i--;
  }
  while (i >= 0 && lines[i].trim() && !ATX_OPEN.test(lines[i])) {
    paragraph.unshift(lines[i]);
    i--;
  }
  let heading: string | undefined;
  for (let j = lines.length - 1; j >= 0; j--) {
    const text = headingText(lines[j]);
    if (text !== undefined) {
      heading = text.slice(0, 200);
      break;
    }
  }
  const para = paragraph
    .join(' ')
    // Each part stops at the next opening too, so unclosed `![` or `<img` are read once, not once per opening.
    .replace(/!\[[^[\]]*\]\([^()]*\)|<img\b[^<>]*>/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { heading, paragraph: para ? para.slice(-MAX_CONTEXT) : undefined };
}

/** A page's language, for the alt text: from its script (Chinese, Japanese, Korean, Russian…) or its path (`/zh/`, `i18n/fr/`). */
export function documentLanguage(text: string, path: string): string {
  const sample = text.slice(0, 20_000).replace(/```[\s\S]*?```/g, '');
  const letters = (sample.match(/\p{L}/gu) ?? []).length || 1;
  const count = (re: RegExp): number => (sample.match(re) ?? []).length / letters;
  if (count(/[\u3040-\u30ff]/g) > 0.05) {
    return 'Japanese';
  }
  if (count(/[\uac00-\ud7af]/g) > 0.1) {
    return 'Korean';
  }
  if (count(/\p{Script=Han}/gu) > 0.1) {
    return /(^|\/)(zh[-_]?(tw|hk|hant))(\/|$)/i.test(path) ? 'Traditional Chinese' : 'Simplified Chinese';
  }
  if (count(/\p{Script=Cyrillic}/gu) > 0.3) {
    return 'Russian';
  }
  const code = /(?:^|\/)(?:i18n\/|locales?\/|content\/)?(de|fr|es|pt|pt-br|it|nl|pl|tr|id|vi)(?:\/|$)/i.exec(path)?.[1]?.toLowerCase();
  const names: Record<string, string> = { de: 'German', fr: 'French', es: 'Spanish', pt: 'Portuguese', 'pt-br': 'Brazilian Portuguese', it: 'Italian', nl: 'Dutch', pl: 'Polish', tr: 'Turkish', id: 'Indonesian', vi: 'Vietnamese' };
  return (code && names[code]) || 'English';
}

/** The instruction sent with the image. */
export function describeInstruction(context: ImageContext, language: string, maxLength: number): string {
  const lines = [
    `Write the alt text for this image in a documentation page, for readers who cannot see it.`,
    `Say what the picture shows and what it is for on this page, as one plain sentence in ${language}, at most ${maxLength} characters.`,
    `Do not start with "image of", "picture of", "screenshot of" or similar; no markdown, no quotes.`,
    `If the image is purely decorative and says nothing the text does not, answer only: DECORATIVE`,
  ];
  if (context.heading) {
    lines.push(`Section heading: ${context.heading}`);
  }
  if (context.paragraph) {
    lines.push(`Text before the image: ${context.paragraph}`);
  }
  return lines.join('\n');
}

/** The model's answer as alt text: one line, no lead-in, no quotes or markup, within `maxLength`. */
export function cleanDescription(answer: string, maxLength: number): { text: string; decorative: boolean } {
  let text = answer.replace(/\s+/g, ' ').trim();
  if (/^["'“]?decorative["'”]?\.?$/i.test(text)) {
    return { text: '', decorative: true };
  }
  text = text.replace(/^(alt(ernative)? text|description)\s*:\s*/i, '');
  text = trimOf(text, /[*_`"'“”‘’]/)
    .replace(/^(an?\s+)?(image|picture|photo(graph)?|screenshot|screen shot|illustration|graphic)\s+(of|showing|that shows|depicting)\s+/i, '')
    .trim();
  if (text) {
    text = text[0].toUpperCase() + text.slice(1);
  }
  if (text.length > maxLength) {
    // At a sentence's end if one fits, else at a word.
    const cut = text.slice(0, maxLength + 1);
    const sentence = cut.search(/[.!?。！？](?=[^.!?。！？]*$)/);
    text = sentence > maxLength / 2 ? cut.slice(0, sentence + 1) : trimEndOf(cut.slice(0, Math.max(cut.lastIndexOf(' '), Math.floor(maxLength * 0.8))), /[\s,;:–-]/);
    text = text.slice(0, maxLength);
  }
  return { text, decorative: false };
}

export interface DescribeRequest {
  readonly model: string;
  readonly image: { readonly mimeType: string; readonly data: Uint8Array };
  readonly instruction: string;
  readonly maxLength: number;
  /** The user's own prices (`illustrate.prices`), over the table's. */
  readonly prices?: PriceTable;
}

export interface Description {
  readonly text: string;
  readonly decorative: boolean;
  readonly usage: Usage;
  readonly cost: number | undefined;
}

export interface DescribeDeps {
  readonly fetch: HttpFetch;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  readonly log?: (line: string) => void;
}

/** Describes one image: the call, its retries (as image generation's), and the answer cleaned. */
export async function describeImage(config: ClientConfig, request: DescribeRequest, signal: AbortSignal, deps: DescribeDeps): Promise<Description> {
  const body = JSON.stringify({
    contents: [{ role: 'user', parts: [{ text: request.instruction }, { inlineData: { mimeType: request.image.mimeType, data: toBase64(request.image.data) } }] }],
    generationConfig: { mediaResolution: 'MEDIA_RESOLUTION_LOW', maxOutputTokens: DESCRIBE_MAX_OUTPUT_TOKENS, temperature: 0.2 },
  });
  const headers = { 'Content-Type': 'application/json', ...authHeaders(config.baseUrl, config.authHeader, config.apiKey) };
  const { value } = await withRetries(config, request.model, signal, { sleep: deps.sleep, random: deps.random, log: deps.log }, async () =>
    interpretDescription(
      await exchange(
        {
          method: 'POST',
          url: endpointUrl(config.baseUrl, request.model),
          headers,
          body,
          baseUrl: config.baseUrl,
          timeoutMs: config.timeoutMs,
          timeoutAdvice: l10n.t('Try again, or raise "illustrate.requestTimeoutSeconds".'),
          failure: (status, contentType, text) => errorFromResponse(status, contentType, text, request.model, config.apiKey),
          expected: l10n.t('a description. Check "illustrate.baseUrl": it should be the API\'s address, such as https://api.apiyi.com.'),
          read: async (res) => {
            const text = await readCapped(res.body, MAX_ANSWER);
            try {
              return JSON.parse(text) as unknown;
            } catch {
              throw new IllustrateError('malformed', l10n.t('The API sent an incomplete or malformed answer. Try again; if it keeps happening, check "illustrate.baseUrl".'));
            }
          },
        },
        signal,
        deps.fetch,
      ),
      request,
    ),
  );
  return value;
}

function interpretDescription(root: unknown, request: DescribeRequest): Description {
  if (!isRecord(root)) {
    throw new IllustrateError('malformed', l10n.t('The API answered something that is not a generateContent response. Check "illustrate.baseUrl".'));
  }
  const usage = usageOf(root.usageMetadata);
  const feedback = isRecord(root.promptFeedback) ? root.promptFeedback : {};
  const candidate = Array.isArray(root.candidates) && isRecord(root.candidates[0]) ? root.candidates[0] : undefined;
  if (typeof feedback.blockReason === 'string' || !candidate) {
    throw new IllustrateError('blocked', l10n.t('The model would not describe this image ({0}). Write its alt text by hand.', typeof feedback.blockReason === 'string' ? feedback.blockReason : 'no answer'));
  }
  const content = isRecord(candidate.content) ? candidate.content : {};
  const parts = Array.isArray(content.parts) ? content.parts.filter(isRecord) : [];
  const answer = parts
    .filter((p) => typeof p.text === 'string' && p.thought !== true)
    .map((p) => p.text as string)
    .join(' ');
  const finish = typeof candidate.finishReason === 'string' ? candidate.finishReason : '';
  if (!answer.trim() || (finish && !['STOP', 'MAX_TOKENS', 'FINISH_REASON_UNSPECIFIED'].includes(finish))) {
    throw new IllustrateError('blocked', l10n.t('The model would not describe this image ({0}). Write its alt text by hand.', finish || 'no text'));
  }
  const cleaned = cleanDescription(answer, request.maxLength);
  if (!cleaned.decorative && !cleaned.text) {
    throw new IllustrateError('textOnly', l10n.t('The model answered without a description. Try again, or write the alt text by hand.'));
  }
  return { ...cleaned, usage, cost: costOfDescription(request.model, usage, request.prices, request.maxLength) };
}

/** Where the key comes from (the Generator's `KeySource`). */
export interface DescribeKeys {
  require(baseUrl: string, signal?: AbortSignal): Promise<string>;
}

/**
 * Describes images for every host: the model (the setting, or the cheapest GA Flash-Lite the
 * endpoint lists, asked once per endpoint), the image made small in the codec's worker (a JPEG at
 * most 768 pixels wide), the call.
 */
export class Describer {
  private readonly models = new Map<string, Promise<string>>();

  constructor(
    private readonly keys: DescribeKeys,
    private readonly fetch: HttpFetch,
    private readonly codec?: ImageCodec,
    private readonly log?: (line: string) => void,
  ) {}

  /** The model that will describe, for the plan's estimate: the setting, or the endpoint's cheapest (asked once). */
  async model(settings: Settings, signal: AbortSignal): Promise<string> {
    if (settings.describeModel) {
      return settings.describeModel;
    }
    const key = settings.baseUrl;
    let found = this.models.get(key);
    if (!found) {
      found = (async () => {
        const apiKey = await this.keys.require(settings.baseUrl, signal);
        const routed = endpointForKey(settings, apiKey).settings;
        return chooseDescribeModel('', await listTextModels(routed.baseUrl, routed.authHeader, apiKey, signal, this.fetch));
      })();
      this.models.set(key, found);
      found.catch(() => this.models.delete(key));
    }
    return found;
  }

  /**
   * The model a plan of `images` descriptions will use and their estimated cost. `ask`: find the
   * model the endpoint offers (needs the key); otherwise the setting's, or the default.
   */
  async estimate(settings: Settings, images: number, ask: boolean, signal: AbortSignal): Promise<{ model: string; cost: number | undefined }> {
    const model = ask ? await this.model(settings, signal) : settings.describeModel || DEFAULT_DESCRIBE_MODEL;
    return { model, cost: estimateDescribeCost(model, settings.altTextMaxLength, images, settings.prices) };
  }

  /** The image as sent: a small JPEG where the codec can make one, else the file (PNG, JPEG, WebP) if the API takes its size. */
  async prepare(bytes: Uint8Array, format: ImageFormat, signal?: AbortSignal): Promise<{ mimeType: string; data: Uint8Array }> {
    if ((format === 'png' || format === 'jpeg' || format === 'gif') && this.codec) {
      try {
        const small = await this.codec.convert(bytes, format, 'jpeg', { quality: 80, maxWidth: DESCRIBE_MAX_WIDTH }, signal);
        return { mimeType: 'image/jpeg', data: small.bytes };
      } catch (e: unknown) {
        if (!(e instanceof CodecUnavailable)) {
          throw e;
        }
      }
    }
    if (format !== 'png' && format !== 'jpeg' && format !== 'webp') {
      throw new IllustrateError('options', l10n.t('{0} images cannot be sent to the model: write this one\'s alt text by hand.', format.toUpperCase()));
    }
    if (bytes.length > MAX_REFERENCE_BYTES) {
      throw new IllustrateError('options', l10n.t('The image is {0} MB; the API takes at most {1} MB per image. Write its alt text by hand, or save it smaller.', (bytes.length / 1048576).toFixed(1), MAX_REFERENCE_BYTES / 1048576));
    }
    return { mimeType: MIME_TYPES[format], data: bytes };
  }

  async describe(image: { readonly bytes: Uint8Array; readonly format: ImageFormat }, context: ImageContext, language: string, settings: Settings, signal: AbortSignal): Promise<Description & { readonly model: string }> {
    const model = await this.model(settings, signal);
    const apiKey = await this.keys.require(settings.baseUrl, signal);
    const routed = endpointForKey(settings, apiKey).settings;
    const prepared = await this.prepare(image.bytes, image.format, signal);
    const instruction = describeInstruction(context, language, settings.altTextMaxLength);
    this.log?.(`describe: model=${model} image=${prepared.data.length} bytes ${prepared.mimeType} language=${language}`);
    const out = await describeImage(
      { baseUrl: routed.baseUrl, authHeader: routed.authHeader, apiKey, timeoutMs: settings.requestTimeoutSeconds * 1000 },
      { model, image: prepared, instruction, maxLength: settings.altTextMaxLength, prices: settings.prices },
      signal,
      { fetch: this.fetch, log: this.log },
    );
    return { ...out, model };
  }
}
