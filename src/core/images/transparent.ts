/**
 * A picture with a transparent background, for every host. Image models cannot give one (asked for
 * "transparent", they paint a checkerboard), so the picture is rendered twice, on pure white and, by
 * editing that render, on pure black, and its alpha is worked out from the difference of the two
 * (core/images/matting, in the codec's worker). Two image calls, both in the estimate and the cost.
 */
import * as l10n from '@vscode/l10n';
import { GenerateInput, GeneratedImage, Generator, StyleReferenceLoader } from '../api/generator';
import { GenerationOptions, MAX_REFERENCE_BYTES } from '../api/models';
import { estimateCost, formatCost, Usage } from '../api/pricing';
import { ProgressEvent } from '../api/client';
import { ReferenceImage } from '../api/request';
import { IllustrateError } from '../errors';
import { Settings, withStyle } from '../settings';
import { DecodableFormat, jpegHasNoAlpha, OutputFormat, outputFor, OutputSettings } from './codec';
import { MIME_TYPES } from './imageFormat';
import { fingerprint, ImageMetadata } from './metadata';
import { MatteRefusal } from './matting';

/** Added to the prompt of a new picture: its first render, on white. */
export const WHITE_BACKDROP =
  'Show it on a plain, pure white (#FFFFFF) background that fills the whole frame, with white space around the subject: no floor, no cast shadow, no gradient, texture, frame or checkerboard.';

/** The edit that makes the second render: the first one, on black. */
export const ONTO_BLACK =
  'Edit the provided image: change only the background, from pure white (#FFFFFF) to pure black (#000000). Keep every other pixel exactly as it is: the same subject, position, size, outlines, colours, text and lighting. Do not move, resize, redraw, recolour or crop anything, and add no glow, shadow or outline.';

/** For a picture already there (its background unknown): the edit that makes its first render, on white. */
export const ONTO_WHITE =
  'Edit the provided image: change only the background, to plain, pure white (#FFFFFF) filling the whole frame. Keep the subject exactly as it is: the same position, size, outlines, colours, text and lighting. Do not move, resize, redraw or crop anything, and add no shadow or outline.';

/** What the record of a picture made transparent says was done to it. */
const RECORDED_EDIT = 'made the background transparent';

/** The format and weight a transparent picture is written in. */
export interface TransparentOutput {
  readonly format: 'png' | 'webp';
  readonly quality: number;
  readonly maxWidth: number;
}

/**
 * The output for a transparent picture: the format asked for (a link's extension, a flag), PNG
 * when none; JPEG holds no alpha, so asking for it is refused here, before anything is sent.
 */
export function transparentOutput(asked: { readonly format?: OutputFormat; readonly quality: number; readonly maxWidth: number }): TransparentOutput {
  if (asked.format === 'jpeg') {
    throw new IllustrateError('options', jpegHasNoAlpha());
  }
  return { format: asked.format ?? 'png', quality: asked.quality, maxWidth: asked.maxWidth };
}

/**
 * The output of a new transparent picture going to `wanted` (a path; its extension is the link's
 * ask): a JPEG asked for by the path or `override` (--format) is refused before anything is sent;
 * one that only the setting (`illustrate.output.format`) names becomes a PNG.
 */
export function transparentOutputFor(wanted: string | undefined, settings: OutputSettings, override?: OutputFormat): TransparentOutput {
  const encode = { ...outputFor(wanted, settings), ...(override ? { format: override } : {}) };
  const asked = override === 'jpeg' || (override === undefined && wanted !== undefined && /\.jpe?g$/i.test(wanted));
  return transparentOutput(encode.format === 'jpeg' && !asked ? { ...encode, format: undefined } : encode);
}

export interface TransparentRequest {
  /** What the picture shows: a new one is made from it; the prompt recorded in the file (an alt text). */
  readonly prompt: string;
  readonly options: GenerationOptions;
  readonly references?: readonly ReferenceImage[];
  readonly applyStyle?: boolean;
  readonly styleReferences?: StyleReferenceLoader;
  readonly retryRateLimited?: boolean;
  /** The words recorded in the file when they are not `prompt` (a retry's request carries the reviewer's reasons). */
  readonly recordAs?: string;
  /**
   * A picture already there to take the background from, instead of a new one. Its background is
   * unknown, so it is edited onto white first (the model answers at its own size and in its own
   * rendering, and the pair it matts must share both), then that render onto black.
   */
  readonly source?: ReferenceImage;
  readonly output: TransparentOutput;
}

/** The cost of the two calls before they are sent: the first render (a new picture, or an edit of `source`), and the edit onto black. */
export function transparentEstimate(settings: Settings, prompt: string, from: { readonly references?: number; readonly applyStyle?: boolean; readonly source?: boolean }): number | undefined {
  const styled = from.applyStyle !== false && !from.source;
  const first = from.source
    ? estimateCost(settings.model, settings.imageSize, ONTO_WHITE, 1, 1, settings.prices)
    : estimateCost(settings.model, settings.imageSize, withStyle(`${prompt}\n\n${WHITE_BACKDROP}`, styled ? settings.style : ''), (from.references ?? 0) + (styled ? settings.styleReferences.length : 0), 1, settings.prices);
  const second = estimateCost(settings.model, settings.imageSize, ONTO_BLACK, 1, 1, settings.prices);
  return first === undefined || second === undefined ? undefined : first + second;
}

/**
 * The picture with its background taken away: rendered on white (made, or edited from `source`),
 * that render edited onto black, the two matted in the codec's worker and written as PNG or WebP
 * with the record (`transparent`, both calls' cost). Nothing comes back when the two renders do
 * not make one picture (other sizes, no plain backdrop, moved parts): an error says so.
 */
export async function makeTransparent(generator: Generator, request: TransparentRequest, settings: Settings, signal: AbortSignal, onProgress?: (e: ProgressEvent) => void): Promise<GeneratedImage> {
  const { source } = request;
  const prompt = request.recordAs ?? request.prompt;
  const retryRateLimited = request.retryRateLimited;
  // The model keeps an edited picture's own shape when no aspect ratio is asked.
  const white = source
    ? await generator.generate({ prompt: ONTO_WHITE, options: { ...request.options, aspectRatio: '' }, references: [source], applyStyle: false, retryRateLimited, recordAs: prompt }, settings, signal, onProgress)
    : await generator.generate(
        { prompt: `${request.prompt}\n\n${WHITE_BACKDROP}`, options: request.options, references: request.references, applyStyle: request.applyStyle, styleReferences: request.styleReferences, retryRateLimited, recordAs: prompt },
        settings,
        signal,
        onProgress,
      );
  const whiteFormat = decodable(white);
  const black = await generator.generate(
    { prompt: ONTO_BLACK, options: { ...white.options, aspectRatio: source ? '' : white.options.aspectRatio }, references: [await asReference(generator, white, signal)], applyStyle: false, retryRateLimited, recordAs: prompt },
    settings,
    signal,
    onProgress,
  );
  const cost = white.cost === undefined || black.cost === undefined ? undefined : white.cost + black.cost;
  const metadata: ImageMetadata = {
    ...white.metadata,
    date: new Date().toISOString(),
    edit: source ? { instruction: RECORDED_EDIT, source: fingerprint(source.data) } : undefined,
    cost,
    transparent: true,
  };
  const started = Date.now();
  const matted = await generator.matte({ bytes: white.bytes, from: whiteFormat }, { bytes: black.bytes, from: decodable(black) }, request.output.format, request.output, metadata, signal);
  if ('reason' in matted) {
    throw new IllustrateError('matte', refusalMessage(matted, cost));
  }
  return {
    bytes: matted.bytes,
    format: request.output.format,
    width: matted.width,
    height: matted.height,
    usage: sumUsage(white.usage, black.usage),
    cost,
    texts: [...white.texts, ...black.texts],
    thoughts: [...white.thoughts, ...black.thoughts],
    modelParts: [],
    durationMs: white.durationMs + black.durationMs + (Date.now() - started),
    prompt,
    options: white.options,
    metadata,
    receivedBytes: white.receivedBytes + black.receivedBytes,
  };
}

/** What the user is told when the two renders do not make one picture: what happened, that nothing was written, what it cost, what to do. */
function refusalMessage(refusal: MatteRefusal, cost: number | undefined): string {
  switch (refusal.reason) {
    case 'size':
      return l10n.t(
        'The two renders came back at different sizes ({0}×{1} on white, {2}×{3} on black), so they do not line up and no transparent image was written. Try again (the two requests cost {4}).',
        refusal.white.width,
        refusal.white.height,
        refusal.black.width,
        refusal.black.height,
        formatCost(cost),
      );
    case 'noBackdrop':
      return l10n.t(
        'The model did not put the picture on plain white and plain black backgrounds (its edges are neither), so there is no background to take away and nothing was written. Try again, or describe a subject with space around it (the two requests cost {0}).',
        formatCost(cost),
      );
    default:
      return l10n.t(
        'The two renders did not line up: the model moved or redrew part of the picture when it changed the background ({0}% of its pixels disagree), so no transparent image was written. Try again (the two requests cost {1}).',
        Math.round(refusal.implausible * 100),
        formatCost(cost),
      );
  }
}

/** A render the codec can decode (the model's PNG or JPEG). */
function decodable(image: GeneratedImage): DecodableFormat {
  if (image.format !== 'png' && image.format !== 'jpeg') {
    throw new IllustrateError('malformed', l10n.t('The model answered a {0} image, which Illustrate cannot read to work out the transparency. Try again, or another model.', image.format.toUpperCase()));
  }
  return image.format;
}

/** The first render as the edit's input: as it is, or as a JPEG when larger than the API takes (the matte still uses the original). */
async function asReference(generator: Generator, image: GeneratedImage, signal: AbortSignal): Promise<ReferenceImage> {
  let sent: { bytes: Uint8Array; format: string } = image;
  if (image.bytes.length > MAX_REFERENCE_BYTES) {
    sent = await generator.convertBytes(image.bytes, image.format, image.width, image.metadata, { format: 'jpeg', quality: 95, maxWidth: 0 }, signal);
  }
  if (sent.bytes.length > MAX_REFERENCE_BYTES) {
    throw new IllustrateError('tooLarge', l10n.t('The first render is {0} MB, more than the API takes back for the edit onto black ({1} MB). Ask for a smaller size ("illustrate.imageSize") and try again.', (sent.bytes.length / 1048576).toFixed(1), MAX_REFERENCE_BYTES / 1048576));
  }
  return { mimeType: MIME_TYPES[sent.format as 'png'], data: sent.bytes };
}

function sumUsage(a: Usage, b: Usage): Usage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
    thoughtsTokens: (a.thoughtsTokens ?? 0) + (b.thoughtsTokens ?? 0),
    reported: a.reported !== false && b.reported !== false,
  };
}

/**
 * A new picture as the settings ask: with `transparent` (the `illustrate.transparentBackground`
 * setting, the Studio's toggle, `--transparent`), made transparent from two renders; otherwise the
 * one render. A JPEG asked for with transparency is refused here, before anything is bought.
 */
export function makePicture(generator: Generator, input: GenerateInput, settings: Settings, signal: AbortSignal, onProgress?: (e: ProgressEvent) => void, transparent = settings.transparentBackground): Promise<GeneratedImage> {
  if (!transparent) {
    return generator.generate(input, settings, signal, onProgress);
  }
  const output = transparentOutput(input.output ?? { quality: settings.output.quality, maxWidth: settings.output.maxWidth });
  return makeTransparent(
    generator,
    { prompt: input.prompt, options: input.options, references: input.references, applyStyle: input.applyStyle, styleReferences: input.styleReferences, retryRateLimited: input.retryRateLimited, recordAs: input.recordAs, output },
    settings,
    signal,
    onProgress,
  );
}

/** What one new picture is estimated to cost with these settings: one render, or with a transparent background two. */
export function pictureEstimate(settings: Settings, prompt: string, references = 0): number | undefined {
  return settings.transparentBackground
    ? transparentEstimate(settings, prompt, { references })
    : estimateCost(settings.model, settings.imageSize, withStyle(prompt, settings.style), references + settings.styleReferences.length, 1, settings.prices);
}
