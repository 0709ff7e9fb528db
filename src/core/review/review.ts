/**
 * The review of a picture against the words it was made from (its prompt, style and edit
 * instruction, or the alt text of an image from elsewhere): a text model with image input looks at
 * it and answers in a fixed JSON shape (`responseSchema`), pass or fail with a short reason for each
 * problem. An answer that is not such a verdict (malformed, empty, refused, a call that failed) is
 * "unreviewed", never a pass. Calls go through the same model choice, image preparation, exchange,
 * retries and prices as alt text (`api/textModel`).
 */
import * as l10n from '@vscode/l10n';
import { HttpFetch } from '../api/client';
import { PriceTable, Usage, usageOf } from '../api/pricing';
import { DEFAULT_TEXT_MODEL, IMAGE_TOKENS, instructionWithImage, isUnsendable, MediaResolution, PreparedImage, textCallCost, TextModelKeys, TextModelReader, textTokensCost, worstTextCallCost } from '../api/textModel';
import { formatError, IllustrateError, isRecord } from '../errors';
import { printable } from '../escape';
import { ImageCodec } from '../images/codec';
import { ImageFormat } from '../images/imageFormat';
import { Settings } from '../settings';

/** What a picture is reviewed against. */
export interface ReviewWords {
  /** The prompt it was made from (for an image from elsewhere: its alt text). */
  readonly prompt: string;
  /** The workspace style added to the prompt, when there was one. */
  readonly style?: string;
  /** For an edited picture: the instruction it was changed with. */
  readonly edit?: string;
  /**
   * `alt`: `prompt` is the alt text of an image Illustrate did not make (a screenshot, a photo), so
   * text and parts it does not mention are not problems. Absent: the words it was made from.
   */
  readonly from?: 'prompt' | 'alt';
}

export type ReviewKind = 'text' | 'subject' | 'unasked' | 'defect' | 'other';
export const REVIEW_KINDS: readonly ReviewKind[] = ['text', 'subject', 'unasked', 'defect', 'other'];

export interface ReviewProblem {
  readonly kind: ReviewKind;
  /** Short, for a person to act on; one line, its control characters escaped (`printable`). */
  readonly reason: string;
}

/** A picture the reviewer looked at: pass or fail, each problem with its reason. */
export interface Reviewed {
  readonly status: 'pass' | 'fail';
  /** For a fail, at least one; a pass may carry notes. */
  readonly problems: readonly ReviewProblem[];
  readonly model: string;
  /** What the call cost, in US dollars; undefined when the model's price is unknown. */
  readonly cost: number | undefined;
  /** When it was reviewed (ISO 8601). */
  readonly date: string;
}

/** No verdict: the answer was not one, or the call failed. Never a pass. */
export interface Unreviewed {
  readonly status: 'unreviewed';
  /** Why, for a person (localized). */
  readonly reason: string;
  readonly model?: string;
  /** A call that was answered is billed even when its answer is no verdict. */
  readonly cost?: number;
}

export type Verdict = Reviewed | Unreviewed;

/** The most output tokens one review may bill, thinking included: room for a verdict of five reasons after some thought. */
export const REVIEW_MAX_OUTPUT_TOKENS = 2048;
/** Text in the picture must be legible to the reviewer: medium resolution (560 tokens on Gemini 3 models). */
export const REVIEW_MEDIA_RESOLUTION: MediaResolution = 'MEDIA_RESOLUTION_MEDIUM';
/** The widest the picture is sent (a JPEG); medium resolution reads no more. */
export const REVIEW_MAX_WIDTH = 1024;
/** The most problems kept from one answer, and the longest reason (characters). */
export const MAX_PROBLEMS = 5;
export const MAX_REASON = 200;
/** The longest prompt, style and edit instruction sent with the picture. */
const MAX_WORDS = 4000;
/** Output tokens a verdict usually takes (a pass, or a fail with a reason or two), for the estimate. */
const TYPICAL_OUTPUT_TOKENS = 120;
/** A prompt of usual length, for an estimate made before the prompts are known. */
const TYPICAL_WORDS: ReviewWords = { prompt: 'x'.repeat(300), style: 'x'.repeat(100) };

/** The instruction sent with the picture: what to check, how to answer, then the words as JSON strings. */
export function reviewInstruction(words: ReviewWords): string {
  const alt = words.from === 'alt';
  const lines = alt
    ? [
        'You review a picture in a documentation page against its alt text, the words that say what it shows.',
        'Check only these, and nothing about taste or style:',
        '- text: any text the alt text quotes ("…", “…”, \'…\') or names as a label, title, button or caption appears in the picture exactly as written: same spelling, letters, case and punctuation, nothing cut off.',
        '- subject: the subject and every part the alt text states are in the picture and recognisable.',
        '- defect: no obvious defects, such as extra or missing fingers, impossible shapes or garbled glyphs.',
        'Things the alt text does not mention are not problems.',
      ]
    : [
        'You review a picture an image model made for a documentation page, against the words it was made from.',
        'Check only these, and nothing the words leave open (taste, colours, layout):',
        '- text: every text the prompt quotes ("…", “…”, \'…\') or names as a label, title, button or caption appears in the picture exactly as written: same spelling, letters, case and punctuation, nothing cut off or added.',
        '- subject: the subject and every part, object or element the words state are there and recognisable.',
        '- unasked: no frame or border, watermark, signature, logo, device or browser mock-up, and no text, that the words do not ask for.',
        '- defect: no obvious defects, such as extra or missing fingers or limbs, melted or impossible shapes, garbled or invented glyphs.',
      ];
  lines.push(
    `Answer "pass": true when none of these is wrong. Otherwise "pass": false and one problem per thing wrong, most important first, at most ${MAX_PROBLEMS}, each with its kind (text, subject, unasked, defect, or other) and a reason: one short sentence a person can act on, saying what is wrong and what it should be, at most 150 characters, written in the language of the ${alt ? 'alt text' : 'prompt'}.`,
    'The words, each a JSON string:',
    `${alt ? 'Alt text' : 'Prompt'}: ${JSON.stringify(words.prompt.slice(0, MAX_WORDS))}`,
  );
  if (words.style) {
    lines.push(`Style: ${JSON.stringify(words.style.slice(0, MAX_WORDS))}`);
  }
  if (words.edit) {
    lines.push(`Edit instruction (the picture was made by changing an earlier one this way): ${JSON.stringify(words.edit.slice(0, MAX_WORDS))}`);
  }
  return lines.join('\n');
}

/** The verdict's shape, in the OpenAPI subset Gemini's `responseSchema` takes. */
export const REVIEW_SCHEMA = {
  type: 'OBJECT',
  properties: {
    pass: { type: 'BOOLEAN' },
    problems: {
      type: 'ARRAY',
      items: {
        type: 'OBJECT',
        properties: {
          kind: { type: 'STRING', format: 'enum', enum: [...REVIEW_KINDS] },
          reason: { type: 'STRING' },
        },
        required: ['kind', 'reason'],
        propertyOrdering: ['kind', 'reason'],
      },
    },
  },
  required: ['pass', 'problems'],
  propertyOrdering: ['pass', 'problems'],
} as const;

/** The review call's body: the instruction and the picture, a JSON answer in the verdict's shape. */
export function reviewRequestBody(words: ReviewWords, image: PreparedImage): Record<string, unknown> {
  return {
    contents: instructionWithImage(reviewInstruction(words), image),
    generationConfig: {
      responseMimeType: 'application/json',
      responseSchema: REVIEW_SCHEMA,
      mediaResolution: REVIEW_MEDIA_RESOLUTION,
      maxOutputTokens: REVIEW_MAX_OUTPUT_TOKENS,
      temperature: 0,
    },
  };
}

/** A reason as shown: one line, its controls escaped, at most MAX_REASON characters (whole code points). */
export function cleanReason(text: string): string {
  const line = printable(text.slice(0, MAX_REASON * 8).replace(/\s+/g, ' ').trim());
  const points = Array.from(line.slice(0, MAX_REASON * 2));
  return points.length > MAX_REASON ? `${points.slice(0, MAX_REASON - 1).join('').trimEnd()}…` : line;
}

function unreviewed(reason: string, model?: string, cost?: number): Unreviewed {
  return { status: 'unreviewed', reason, ...(model === undefined ? {} : { model }), ...(cost === undefined ? {} : { cost }) };
}

/** The problems of a verdict, checked: undefined when one is not `{kind, reason}` strings. */
function problemsOf(raw: unknown): ReviewProblem[] | undefined {
  if (raw === undefined) {
    return [];
  }
  if (!Array.isArray(raw)) {
    return undefined;
  }
  const out: ReviewProblem[] = [];
  for (const p of raw.slice(0, 100)) {
    if (!isRecord(p) || typeof p.kind !== 'string' || typeof p.reason !== 'string') {
      return undefined;
    }
    const reason = cleanReason(p.reason);
    if (reason && out.length < MAX_PROBLEMS) {
      // A kind outside the schema (a gateway that does not enforce it) is kept as "other", with its reason.
      out.push({ kind: (REVIEW_KINDS as readonly string[]).includes(p.kind) ? (p.kind as ReviewKind) : 'other', reason });
    }
  }
  return out;
}

export interface VerdictCall {
  readonly model: string;
  readonly words: ReviewWords;
  readonly prices?: PriceTable;
  /** When it was reviewed; now when absent. */
  readonly date?: string;
}

/**
 * The verdict in a generateContent answer, checked strictly: a JSON object with a boolean `pass`
 * and `problems` of `{kind, reason}`; a fail needs a reason. A refusal (a block reason, a finish
 * other than STOP), an empty answer, or anything else is unreviewed, its cost still counted.
 */
export function parseVerdict(root: unknown, call: VerdictCall): Verdict {
  if (!isRecord(root)) {
    return unreviewed(l10n.t('the reviewer\'s answer was not a verdict'), call.model);
  }
  const usage = usageOf(root.usageMetadata);
  const cost = costOfReview(call.model, usage, call.words, call.prices);
  const feedback = isRecord(root.promptFeedback) ? root.promptFeedback : {};
  const candidate = Array.isArray(root.candidates) && isRecord(root.candidates[0]) ? root.candidates[0] : undefined;
  if (typeof feedback.blockReason === 'string' || !candidate) {
    return unreviewed(l10n.t('the reviewer would not look at this picture ({0})', printable(typeof feedback.blockReason === 'string' ? feedback.blockReason.slice(0, 40) : 'no answer')), call.model, cost);
  }
  const finish = typeof candidate.finishReason === 'string' ? candidate.finishReason : '';
  if (finish && !['STOP', 'FINISH_REASON_UNSPECIFIED', 'MAX_TOKENS'].includes(finish)) {
    return unreviewed(l10n.t('the reviewer would not look at this picture ({0})', printable(finish.slice(0, 40))), call.model, cost);
  }
  const content = isRecord(candidate.content) ? candidate.content : {};
  const parts = Array.isArray(content.parts) ? content.parts.filter(isRecord) : [];
  const text = parts
    .filter((p) => typeof p.text === 'string' && p.thought !== true)
    .map((p) => p.text as string)
    .join('')
    .trim();
  if (!text) {
    return unreviewed(l10n.t('the reviewer gave no answer'), call.model, cost);
  }
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return unreviewed(finish === 'MAX_TOKENS' ? l10n.t('the reviewer\'s answer was cut off') : l10n.t('the reviewer\'s answer was not a verdict'), call.model, cost);
  }
  const problems = isRecord(answer) && typeof answer.pass === 'boolean' ? problemsOf(answer.problems) : undefined;
  if (!isRecord(answer) || !problems) {
    return unreviewed(l10n.t('the reviewer\'s answer was not a verdict'), call.model, cost);
  }
  if (answer.pass === false && !problems.length) {
    return unreviewed(l10n.t('the reviewer failed the picture without saying why'), call.model, cost);
  }
  return { status: answer.pass === true ? 'pass' : 'fail', problems, model: call.model, cost, date: call.date ?? new Date().toISOString() };
}

/** Input tokens of one review before sending: the picture at medium resolution and the instruction (~4 characters a token). */
function reviewInputTokens(words: ReviewWords): number {
  return IMAGE_TOKENS[REVIEW_MEDIA_RESOLUTION] + Math.ceil(reviewInstruction(words).length / 4);
}

/**
 * Cost of reviewing before sending: `images` pictures of usual prompts, or each of these words;
 * a verdict of usual length each. Undefined when the model's price is unknown.
 */
export function estimateReviewCost(model: string, images: number | readonly ReviewWords[], prices: PriceTable = {}): number | undefined {
  const list = typeof images === 'number' ? Array.from({ length: images }, () => TYPICAL_WORDS) : images;
  let total = 0;
  for (const words of list) {
    const one = textTokensCost(model, reviewInputTokens(words), TYPICAL_OUTPUT_TOKENS, prices);
    if (one === undefined) {
      return undefined;
    }
    total += one;
  }
  return total;
}

/**
 * The most reviewing with these words can bill, for a budget: each picture at high resolution (an
 * endpoint may ignore the resolution asked for), a token for every byte of the instruction, and an
 * answer of REVIEW_MAX_OUTPUT_TOKENS.
 */
export function worstReviewCost(model: string, words: ReviewWords | readonly ReviewWords[], prices: PriceTable = {}): number | undefined {
  let total = 0;
  for (const w of Array.isArray(words) ? (words as readonly ReviewWords[]) : [words as ReviewWords]) {
    const one = worstTextCallCost(model, reviewInstruction(w), REVIEW_MAX_OUTPUT_TOKENS, prices);
    if (one === undefined) {
      return undefined;
    }
    total += one;
  }
  return total;
}

/** Cost of a finished review from its usage (thinking billed as output); the estimate when the answer carried none. */
export function costOfReview(model: string, usage: Usage, words: ReviewWords, prices: PriceTable = {}): number | undefined {
  return textCallCost(model, usage, prices, () => estimateReviewCost(model, [words], prices));
}

const RANK: Readonly<Record<Verdict['status'], number>> = { pass: 2, fail: 1, unreviewed: 0 };

/** Whether verdict `b` is better than `a`: pass beats fail beats unreviewed; of two fails, fewer problems. */
function better(a: Verdict, b: Verdict): boolean {
  if (RANK[b.status] !== RANK[a.status]) {
    return RANK[b.status] > RANK[a.status];
  }
  return a.status === 'fail' && b.status === 'fail' && b.problems.length < a.problems.length;
}

/**
 * The better of two verdicts (or of two things with one, through `verdictOf`), for a retry: pass
 * beats fail beats unreviewed; of two fails, the one with fewer problems; a tie keeps the first.
 */
export function betterOf(a: Verdict, b: Verdict): Verdict;
export function betterOf<T>(a: T, b: T, verdictOf: (x: T) => Verdict): T;
export function betterOf<T>(a: T, b: T, verdictOf?: (x: T) => Verdict): T {
  const of = verdictOf ?? ((x: T) => x as unknown as Verdict);
  return better(of(a), of(b)) ? b : a;
}

/** What stops a run rather than leaving one picture unreviewed: the key refused or missing, a cancel, the budget. */
function stopsReview(e: unknown): boolean {
  return e instanceof IllustrateError && ['noKey', 'badKey', 'permission', 'cancelled', 'budget'].includes(e.kind);
}

/**
 * Reviews pictures for every host: the model (`illustrate.reviewModel`, else the describe model,
 * else the cheapest GA Flash-Lite the endpoint lists), the picture made small in the codec's worker
 * (a JPEG at most 1024 pixels wide), the call and its verdict.
 */
export class Reviewer {
  readonly reader: TextModelReader;

  constructor(keys: TextModelKeys, fetch: HttpFetch, codec?: ImageCodec, log?: (line: string) => void) {
    this.reader = new TextModelReader(keys, fetch, codec, log);
  }

  /** The model that reviews: the setting, the describe model's, or the endpoint's cheapest (asked once; needs the key). */
  model(settings: Settings, signal: AbortSignal): Promise<string> {
    return this.reader.model(settings.reviewModel || settings.describeModel, settings, signal);
  }

  /**
   * The model a plan of reviews will use and their estimated cost (`images`: a count of usual
   * prompts, or the words of each). `ask`: find the model the endpoint offers (needs the key);
   * otherwise the settings', or the default.
   */
  async estimate(settings: Settings, images: number | readonly ReviewWords[], ask: boolean, signal: AbortSignal): Promise<{ model: string; cost: number | undefined }> {
    const model = ask ? await this.model(settings, signal) : settings.reviewModel || settings.describeModel || DEFAULT_TEXT_MODEL;
    return { model, cost: estimateReviewCost(model, images, settings.prices) };
  }

  /**
   * The verdict on one picture. An answer that is no verdict, a picture that cannot be sent, or a
   * call that failed after its retries is unreviewed; a key missing or refused, a cancel or the
   * budget throws its IllustrateError (the run stops there, as for alt text).
   */
  async review(image: { readonly bytes: Uint8Array; readonly format: ImageFormat }, words: ReviewWords, settings: Settings, signal: AbortSignal): Promise<Verdict> {
    const model = await this.model(settings, signal);
    if (!words.prompt.trim()) {
      return unreviewed(l10n.t('there are no words to review it against'), model);
    }
    try {
      const prepared = await this.reader.prepare(image.bytes, image.format, { maxWidth: REVIEW_MAX_WIDTH, quality: 85 }, signal);
      if (isUnsendable(prepared)) {
        return unreviewed(
          prepared.unsendable === 'format' ? l10n.t('{0} pictures cannot be sent to the reviewer', prepared.format.toUpperCase()) : l10n.t('the picture is {0} MB; the API takes at most {1} MB per image', prepared.megabytes.toFixed(1), prepared.limit),
          model,
        );
      }
      this.reader.log?.(`review: model=${model} image=${prepared.data.length} bytes ${prepared.mimeType}`);
      const expected = l10n.t('a review. Check "illustrate.baseUrl": it should be the API\'s address, such as https://api.apiyi.com.');
      return await this.reader.call(settings, model, reviewRequestBody(words, prepared), expected, signal, (root) => parseVerdict(root, { model, words, prices: settings.prices }));
    } catch (e: unknown) {
      if (stopsReview(e)) {
        throw e;
      }
      this.reader.log?.(`review failed: ${e instanceof IllustrateError ? e.kind : String(e)}`);
      return unreviewed(formatError(e), model);
    }
  }
}
