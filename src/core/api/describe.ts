/**
 * Alt text for an image that has none: the image (small), the page's heading and the paragraph
 * before it go to a Gemini text model, through the same exchange, key, endpoint, retries, caps and
 * errors as image generation. The answer is one line of plain text, or a "decorative" verdict.
 */
import * as l10n from '@vscode/l10n';
import { ClientConfig, HttpFetch } from './client';
import { IllustrateError, isRecord } from '../errors';
import { PriceTable, Usage, usageOf } from './pricing';
import { ImageCodec } from '../images/codec';
import { ImageFormat } from '../images/imageFormat';
import { DEFAULT_TEXT_MODEL, IMAGE_TOKENS_LOW, callTextModel, instructionWithImage, isUnsendable, TextCallDeps, textCallCost, TextModelKeys, TextModelReader, textTokensCost, worstTextCallCost } from './textModel';
import { Settings } from '../settings';
import { trimEndOf, trimOf } from '../text';

export const DEFAULT_DESCRIBE_MODEL = DEFAULT_TEXT_MODEL;

/** The most output tokens one describe answer may bill, thinking included (`maxOutputTokens`). */
export const DESCRIBE_MAX_OUTPUT_TOKENS = 1024;
/** The longest side an image is sent at: low resolution reads no more. */
export const DESCRIBE_MAX_WIDTH = 768;

/**
 * Cost of describing `images` images before sending: each the image at low resolution, the
 * instruction with a paragraph of context, and a one-line answer of at most `maxLength` characters.
 */
export function estimateDescribeCost(model: string, maxLength: number, images = 1, prices: PriceTable = {}): number | undefined {
  const input = IMAGE_TOKENS_LOW + Math.ceil(describeInstruction({ paragraph: 'x'.repeat(400) }, 'English', maxLength).length / 4);
  const one = textTokensCost(model, input, Math.ceil(maxLength / 3) + 10, prices);
  return one === undefined ? undefined : images * one;
}

/** The most one describe call with `instruction` can bill, for a budget (`worstTextCallCost`). */
export function worstDescribeCost(model: string, instruction: string, prices: PriceTable = {}): number | undefined {
  return worstTextCallCost(model, instruction, DESCRIBE_MAX_OUTPUT_TOKENS, prices);
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
  return textCallCost(model, usage, prices, () => estimateDescribeCost(model, maxLength, 1, prices));
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

export type DescribeDeps = TextCallDeps;

/** Describes one image: the call, its retries (as image generation's), and the answer cleaned. */
export function describeImage(config: ClientConfig, request: DescribeRequest, signal: AbortSignal, deps: DescribeDeps): Promise<Description> {
  return callTextModel(config, request.model, describeBody(request), describeExpected(), signal, deps, (root) => interpretDescription(root, request));
}

/** The describe call's body: the instruction and the image, at low media resolution, a short answer. */
function describeBody(request: DescribeRequest): unknown {
  return {
    contents: instructionWithImage(request.instruction, request.image),
    generationConfig: { mediaResolution: 'MEDIA_RESOLUTION_LOW', maxOutputTokens: DESCRIBE_MAX_OUTPUT_TOKENS, temperature: 0.2 },
  };
}

function describeExpected(): string {
  return l10n.t('a description. Check "illustrate.baseUrl": it should be the API\'s address, such as https://api.apiyi.com.');
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
export type DescribeKeys = TextModelKeys;

/**
 * Describes images for every host: the model (`illustrate.describeModel`, or the cheapest GA
 * Flash-Lite the endpoint lists), the image made small in the codec's worker (a JPEG at most 768
 * pixels wide), the call (`TextModelReader`).
 */
export class Describer {
  readonly reader: TextModelReader;

  constructor(keys: DescribeKeys, fetch: HttpFetch, codec?: ImageCodec, log?: (line: string) => void) {
    this.reader = new TextModelReader(keys, fetch, codec, log);
  }

  /** The model that will describe, for the plan's estimate: the setting, or the endpoint's cheapest (asked once). */
  model(settings: Settings, signal: AbortSignal): Promise<string> {
    return this.reader.model(settings.describeModel, settings, signal);
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
    const prepared = await this.reader.prepare(bytes, format, { maxWidth: DESCRIBE_MAX_WIDTH, quality: 80 }, signal);
    if (!isUnsendable(prepared)) {
      return prepared;
    }
    if (prepared.unsendable === 'format') {
      throw new IllustrateError('options', l10n.t('{0} images cannot be sent to the model: write this one\'s alt text by hand.', format.toUpperCase()));
    }
    throw new IllustrateError('options', l10n.t('The image is {0} MB; the API takes at most {1} MB per image. Write its alt text by hand, or save it smaller.', prepared.megabytes.toFixed(1), prepared.limit));
  }

  async describe(image: { readonly bytes: Uint8Array; readonly format: ImageFormat }, context: ImageContext, language: string, settings: Settings, signal: AbortSignal): Promise<Description & { readonly model: string }> {
    const model = await this.model(settings, signal);
    const prepared = await this.prepare(image.bytes, image.format, signal);
    const instruction = describeInstruction(context, language, settings.altTextMaxLength);
    this.reader.log?.(`describe: model=${model} image=${prepared.data.length} bytes ${prepared.mimeType} language=${language}`);
    const request = { model, image: prepared, instruction, maxLength: settings.altTextMaxLength, prices: settings.prices };
    const out = await this.reader.call(settings, model, describeBody(request), describeExpected(), signal, (root) => interpretDescription(root, request));
    return { ...out, model };
  }
}
