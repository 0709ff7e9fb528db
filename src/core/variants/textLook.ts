/**
 * A cheap look at a picture by the describe model: does it hold text a reader would read (labels,
 * titles, captions, words in a diagram)? One call at low resolution, a structured answer
 * (`responseSchema`), the same key, endpoint, retries and errors as alt text.
 */
import * as l10n from '@vscode/l10n';
import { Describer } from '../api/describe';
import { IllustrateError, isRecord } from '../errors';
import { ImageFormat } from '../images/imageFormat';
import { instructionWithImage, textCallCost, worstTextCallCost } from '../api/textModel';
import { PriceTable, usageOf } from '../api/pricing';
import { Settings } from '../settings';
import { printable } from '../escape';

/** The most one look may bill, thinking included. */
export const LOOK_MAX_OUTPUT_TOKENS = 512;
const MAX_TEXTS = 20;

/** The answer's shape, in the OpenAPI subset Gemini's `responseSchema` takes. */
export const TEXT_LOOK_SCHEMA = {
  type: 'OBJECT',
  properties: {
    hasText: { type: 'BOOLEAN' },
    texts: { type: 'ARRAY', items: { type: 'STRING' } },
  },
  required: ['hasText', 'texts'],
  propertyOrdering: ['hasText', 'texts'],
} as const;

/** The instruction: what counts as text, and the words the page gives the picture (a JSON string). */
export function textLookInstruction(alt: string): string {
  return [
    'Look at this picture from a documentation page. Does it hold text a reader would read: words, labels, a title, a caption, button or menu names, words inside a diagram?',
    'Logos that are only a brand mark, single letters used as icons, and numbers alone do not count.',
    `Answer "hasText": true or false, and in "texts" each piece of text you read (at most ${MAX_TEXTS}).`,
    `The page describes the picture as: ${JSON.stringify(alt.slice(0, 500))}`,
  ].join('\n');
}

/** What the look saw. */
export interface TextLook {
  readonly hasText: boolean;
  readonly texts: readonly string[];
  readonly model: string;
  readonly cost: number | undefined;
}

/** The most one look can bill (for the plan and the budget). */
export function worstLookCost(model: string, alt: string, prices: PriceTable = {}): number | undefined {
  return worstTextCallCost(model, textLookInstruction(alt), LOOK_MAX_OUTPUT_TOKENS, prices);
}

/** Looks at one picture: the describe model, the picture made small, the answer read strictly. */
export async function lookForText(describer: Describer, image: { readonly bytes: Uint8Array; readonly format: ImageFormat }, alt: string, settings: Settings, signal: AbortSignal): Promise<TextLook> {
  const model = await describer.model(settings, signal);
  const prepared = await describer.prepare(image.bytes, image.format, signal);
  const instruction = textLookInstruction(alt);
  const body = {
    contents: instructionWithImage(instruction, prepared),
    generationConfig: { responseMimeType: 'application/json', responseSchema: TEXT_LOOK_SCHEMA, mediaResolution: 'MEDIA_RESOLUTION_LOW', maxOutputTokens: LOOK_MAX_OUTPUT_TOKENS, temperature: 0 },
  };
  describer.reader.log?.(`text look: model=${model} image=${prepared.data.length} bytes ${prepared.mimeType}`);
  const expected = l10n.t('an answer about the picture\'s text. Check "illustrate.baseUrl": it should be the API\'s address, such as https://api.apiyi.com.');
  return describer.reader.call(settings, model, body, expected, signal, (root) => {
    const answer = parseLook(root);
    const usage = usageOf(isRecord(root) ? root.usageMetadata : undefined);
    return { ...answer, model, cost: textCallCost(model, usage, settings.prices ?? {}, () => worstLookCost(model, alt, settings.prices)) };
  });
}

/** The answer's `{hasText, texts}`; anything else is an error that says so. */
function parseLook(root: unknown): { hasText: boolean; texts: string[] } {
  const candidate = isRecord(root) && Array.isArray(root.candidates) && isRecord(root.candidates[0]) ? root.candidates[0] : undefined;
  const content = candidate && isRecord(candidate.content) ? candidate.content : undefined;
  const parts = content && Array.isArray(content.parts) ? content.parts.filter(isRecord) : [];
  const text = parts
    .filter((p) => typeof p.text === 'string' && p.thought !== true)
    .map((p) => p.text as string)
    .join('');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed) || typeof parsed.hasText !== 'boolean') {
    throw new IllustrateError('malformed', l10n.t('The describe model did not say whether the picture holds text. Try again, or set "illustrate.describeModel" to another model.'));
  }
  const texts = Array.isArray(parsed.texts) ? parsed.texts.filter((t): t is string => typeof t === 'string').slice(0, MAX_TEXTS).map((t) => printable(t.slice(0, 200))) : [];
  return { hasText: parsed.hasText, texts };
}
