import { bytesEqual, readUint32LE } from '../bytes';
import * as l10n from '@vscode/l10n';
import { IllustrateError, isRecord } from '../errors';
import { ImageFormat, sniffFormat } from '../images/imageFormat';
import { ImageData, JsonStreamError, JsonStreamParser } from './jsonStream';
import { ModelPart } from './request';
import { Usage, usageOf } from './pricing';

export interface ParsedAnswer {
  readonly image: ImageData;
  readonly format: ImageFormat;
  /** What the API claimed the type was; kept for the log, never trusted. */
  readonly mimeLabel: string;
  readonly texts: readonly string[];
  readonly thoughts: readonly string[];
  readonly usage: Usage;
  readonly finishReason: string;
  /** The non-thought parts of the answer, for sending back in an edit (image bytes filled by the caller). */
  readonly modelParts: readonly (ModelPart & { readonly isFinalImage?: boolean })[];
  readonly modelVersion?: string;
}

/** Why Google blocked a request, in words (a function each: the words are read in the user's language when needed). */
const BLOCK_REASONS: Readonly<Record<string, () => string>> = {
  SAFETY: () => l10n.t('it was flagged by the safety filter'),
  IMAGE_SAFETY: () => l10n.t('the image was flagged by the safety filter'),
  PROHIBITED_CONTENT: () => l10n.t('it asks for prohibited content'),
  IMAGE_PROHIBITED_CONTENT: () => l10n.t('the image would show prohibited content'),
  RECITATION: () => l10n.t('it would recite protected material'),
  IMAGE_RECITATION: () => l10n.t('the image would copy protected material'),
  BLOCKLIST: () => l10n.t('it contains a blocked term'),
  SPII: () => l10n.t('it asks for sensitive personal information'),
  LANGUAGE: () => l10n.t('its language is not supported'),
  OTHER: () => l10n.t('of an unspecified reason'),
  IMAGE_OTHER: () => l10n.t('of an unspecified reason'),
  NO_IMAGE: () => l10n.t('the model produced no image'),
};

/** Keeps only the image that can still be the final one, so drafts are freed as soon as possible. */
class FinalImagePicker {
  final: ImageData | undefined;
  fallback: ImageData | undefined;

  consider(part: Record<string, unknown>): void {
    const inline = (part.inlineData ?? part.inline_data) as Record<string, unknown> | undefined;
    const data = (inline ? inline.data : part.text) as ImageData;
    if (part.thought !== true) {
      this.final?.release();
      this.fallback?.release();
      this.final = data;
      this.fallback = undefined;
    } else if (this.final) {
      data.release();
    } else {
      this.fallback?.release();
      this.fallback = data;
    }
  }
}

/** The image an answer's parts hold (the last non-thought image, else a thought one); the others are freed. */
export function pickFinalImage(parts: unknown): ImageData | undefined {
  const picker = new FinalImagePicker();
  if (Array.isArray(parts)) {
    for (const part of parts) {
      if (isRecord(part)) {
        const inline = isRecord(part.inlineData) ? part.inlineData : isRecord(part.inline_data) ? part.inline_data : undefined;
        const data = inline ? inline.data : part.text;
        if (data instanceof ImageData && data.kept) {
          picker.consider(part);
        }
      }
    }
  }
  return picker.final ?? picker.fallback;
}

/** Feeds a streamed answer body through the parser and interprets it. */
export async function parseAnswerStream(body: AsyncIterable<Uint8Array>, onChunk?: (bytes: number) => void, stop?: () => void): Promise<ParsedAnswer> {
  const parser = new JsonStreamParser();
  const picker = new FinalImagePicker();
  parser.onImagePart = (part) => picker.consider(part);
  let root: unknown;
  const chunks = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done) {
        break;
      }
      parser.write(next.value);
      onChunk?.(next.value.length);
      if (parser.done) {
        // The answer is whole: what is left is the body's end (whitespace at most), read in the
        // background so the connection is reused, instead of waiting one more turn for it.
        void drain(chunks, stop);
        break;
      }
    }
    root = parser.end();
  } catch (e: unknown) {
    picker.final?.release();
    picker.fallback?.release();
    if (e instanceof JsonStreamError) {
      throw new IllustrateError('malformed', l10n.t('The API sent an incomplete or malformed answer, and no image was saved. Try again; if it keeps happening, check "illustrate.baseUrl".'));
    }
    // Network failures and size limits are the caller's to name; anything else is a bug.
    throw e;
  }
  try {
    return interpretAnswer(root, picker.final ?? picker.fallback);
  } catch (e: unknown) {
    picker.final?.release();
    picker.fallback?.release();
    throw e;
  }
}

/** After a whole answer, the body's end may hold this much whitespace, for this long, before the rest is cut off. */
const MAX_TRAILING_BYTES = 4096;
const MAX_TRAILING_MS = 5000;

/** Reads what is left of a body and drops it; a server that keeps sending is cut off (`stop`). */
async function drain(chunks: AsyncIterator<Uint8Array>, stop: (() => void) | undefined): Promise<void> {
  const timer = setTimeout(() => stop?.(), MAX_TRAILING_MS);
  (timer as { unref?: () => void }).unref?.();
  let extra = 0;
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done) {
        break;
      }
      extra += next.value.length;
      if (extra > MAX_TRAILING_BYTES) {
        stop?.();
        break;
      }
    }
  } catch {
    // the answer is already whole
  } finally {
    clearTimeout(timer);
  }
}

const PNG_END = new Uint8Array([0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** Whether the image's last bytes are its format's end: a PNG's IEND chunk, a JPEG's EOI marker, a WebP's RIFF length. */
export function isComplete(format: ImageFormat, byteLength: number, head: Uint8Array, tail: Uint8Array): boolean {
  switch (format) {
    case 'png':
      return bytesEqual(tail.subarray(Math.max(0, tail.length - PNG_END.length)), PNG_END);
    case 'jpeg': {
      // Some encoders pad after the end marker; FF D9 occurs nowhere else in the last bytes of a JPEG.
      const t = tail;
      for (let i = t.length - 2; i >= 0; i--) {
        if (t[i] === 0xff && t[i + 1] === 0xd9) {
          return true;
        }
        if (t[i + 1] !== 0x00) {
          return false;
        }
      }
      return false;
    }
    case 'webp':
      return head.length >= 8 && readUint32LE(head, 4) + 8 <= byteLength;
    default:
      return true;
  }
}

export function interpretAnswer(root: unknown, image: ImageData | undefined): ParsedAnswer {
  if (!isRecord(root)) {
    throw new IllustrateError('malformed', l10n.t('The API answered something that is not a generateContent response. Check "illustrate.baseUrl".'));
  }
  const usage = usageOf(root.usageMetadata);
  const candidates = Array.isArray(root.candidates) ? root.candidates.filter(isRecord) : [];
  const feedback = isRecord(root.promptFeedback) ? root.promptFeedback : {};
  if (candidates.length === 0 && isOpenAiShaped(root)) {
    throw new IllustrateError(
      'malformed',
      l10n.t('The endpoint answered in OpenAI\'s chat format, not with a Gemini generateContent answer: it is an OpenAI-compatible address. Set "illustrate.baseUrl" to the gateway\'s Gemini-native address (the one that serves /v1beta/models/…:generateContent).'),
    );
  }
  if (candidates.length === 0 || typeof feedback.blockReason === 'string') {
    if (typeof feedback.blockReason === 'string') {
      const why = BLOCK_REASONS[feedback.blockReason]?.() ?? l10n.t('of "{0}"', feedback.blockReason);
      throw new IllustrateError('blocked', l10n.t('The prompt was blocked because {0} ({1}). Rephrase the prompt and try again.', why, feedback.blockReason));
    }
    throw new IllustrateError('malformed', l10n.t('The API answered with no result at all. Try again; if it keeps happening, check "illustrate.baseUrl".'));
  }
  const candidate = candidates[0];
  const finishReason = typeof candidate.finishReason === 'string' ? candidate.finishReason : '';
  const finishMessage = typeof candidate.finishMessage === 'string' ? candidate.finishMessage : '';
  const content = isRecord(candidate.content) ? candidate.content : {};
  const parts = Array.isArray(content.parts) ? content.parts.filter(isRecord) : [];

  const texts: string[] = [];
  const thoughts: string[] = [];
  let linked: string | undefined;
  const modelParts: (ModelPart & { isFinalImage?: boolean })[] = [];
  let mimeLabel = '';
  for (const part of parts) {
    const signature = typeof part.thoughtSignature === 'string' ? part.thoughtSignature : undefined;
    if (typeof part.text === 'string') {
      (part.thought === true ? thoughts : texts).push(part.text);
      if (part.thought !== true) {
        modelParts.push({ text: part.text, thoughtSignature: signature });
      }
    }
    const inline = part.inlineData ?? part.inline_data;
    if (isRecord(inline) && inline.data === image && image) {
      mimeLabel = String(inline.mimeType ?? inline.mime_type ?? '');
      modelParts.push({ thoughtSignature: signature, isFinalImage: true });
    } else if (image && part.text === image) {
      mimeLabel = 'a data URL in a text part';
      modelParts.push({ thoughtSignature: signature, isFinalImage: true });
    }
    linked ??= linkedImage(part);
  }

  // A block on the candidate wins over any image: what was blocked is never saved.
  const blocked = finishReason in BLOCK_REASONS;
  if (!blocked && image?.invalid) {
    throw new IllustrateError('malformed', l10n.t('The API sent image data that is not valid base64, so nothing was saved. Try again; if it keeps happening, check "illustrate.baseUrl".'));
  }
  if (!blocked && (!image || image.byteLength === 0) && linked) {
    // A link to the gateway's storage: downloading what an answer points at would let any gateway make Illustrate fetch anything.
    throw new IllustrateError(
      'malformed',
      l10n.t('The gateway answered with a link to the image ({0}) instead of the image itself, and Illustrate does not download images from links. Use the gateway\'s option or address that returns the image inline (inlineData), or another gateway.', linked),
    );
  }
  if (blocked || !image || image.byteLength === 0) {
    const refusal = texts.join(' ').trim();
    if (finishReason && finishReason !== 'STOP' && finishReason !== 'FINISH_REASON_UNSPECIFIED') {
      if (finishReason === 'MAX_TOKENS') {
        throw new IllustrateError('textOnly', l10n.t('The model ran out of output tokens before it drew the image. Try a shorter prompt or a smaller size.'));
      }
      const why = BLOCK_REASONS[finishReason]?.() ?? l10n.t('of "{0}"', finishReason);
      const explain = finishMessage || refusal;
      throw new IllustrateError(
        'blocked',
        l10n.t('No image: the request was blocked because {0} ({1}).{2} Rephrase the prompt and try again.', why, finishReason, explain ? l10n.t(' The model said: "{0}"', short(explain)) : ''),
      );
    }
    if (refusal) {
      throw new IllustrateError('textOnly', l10n.t('The model answered with text instead of an image: "{0}" Rephrase the prompt and try again.', short(refusal)));
    }
    throw new IllustrateError('textOnly', l10n.t('The model answered without an image. Try again, or rephrase the prompt.'));
  }
  if (image.invalid) {
    throw new IllustrateError('malformed', l10n.t('The API sent image data that is not valid base64, so nothing was saved. Try again; if it keeps happening, check "illustrate.baseUrl".'));
  }
  const format = sniffFormat(image.head(16));
  if (!format) {
    throw new IllustrateError('malformed', l10n.t('The API sent image data that is not a PNG, JPEG or WebP image, so nothing was saved. Try again.'));
  }
  if (!isComplete(format, image.byteLength, image.head(16), image.tail(64))) {
    throw new IllustrateError('malformed', l10n.t('The {0} image arrived incomplete (its end is missing), so nothing was saved. Try again.', format.toUpperCase()));
  }
  return {
    image,
    format,
    mimeLabel,
    texts,
    thoughts,
    usage,
    finishReason,
    modelParts,
    modelVersion: typeof root.modelVersion === 'string' ? root.modelVersion : undefined,
  };
}

/** An OpenAI chat-completions answer (directly, or inside a proxy's envelope). */
function isOpenAiShaped(root: Record<string, unknown>): boolean {
  const inner = [root, root.responseObject, isRecord(root.responseObject) ? root.responseObject.upstream : undefined];
  return inner.some((o) => isRecord(o) && (Array.isArray(o.choices) || o.object === 'chat.completion'));
}

/** The host of an image part that is a link (`{"url": …}`, `fileData.fileUri`), for the message; never fetched. */
function linkedImage(part: Record<string, unknown>): string | undefined {
  const file = isRecord(part.fileData) ? part.fileData : isRecord(part.file_data) ? part.file_data : undefined;
  const url = typeof part.url === 'string' ? part.url : file && typeof (file.fileUri ?? file.file_uri) === 'string' ? String(file.fileUri ?? file.file_uri) : undefined;
  if (!url) {
    return undefined;
  }
  try {
    return new URL(url).host || url.slice(0, 80);
  } catch {
    return url.slice(0, 80);
  }
}

function short(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > 240 ? `${clean.slice(0, 239)}…` : clean;
}
