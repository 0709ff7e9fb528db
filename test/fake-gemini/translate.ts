/**
 * The stand-in's side of translated pictures: an image edit that asks for every text to be put
 * into a language (recorded: the language, its tag, and the words the page gave, for a test to
 * assert), and the describe model's cheap look "does this picture hold text?" (a structured
 * answer: `hasText` and the texts read). A look says there is no text when the words the
 * instruction quotes carry the marker `look:notext`; otherwise it reads two labels.
 */
import { rec } from './shapes';

/** What a translation edit asked for. */
export interface AskedTranslation {
  readonly language: string;
  readonly lang: string;
  /** Each `- alt text "…" is "…"` / `- caption "…" is "…"` line, as [source, translation]. */
  readonly words: readonly (readonly [string, string])[];
  readonly instruction: string;
}

/** The translation an image request's instruction asks for; undefined when it is no translation. */
export function translationAsked(prompt: string): AskedTranslation | undefined {
  const m = /translate every piece of text in it into (.+?) \(([^()\n]+)\)\./.exec(prompt);
  if (!m) {
    return undefined;
  }
  const words: [string, string][] = [];
  for (const line of prompt.split('\n').map((l) => l.trim())) {
    const w = /^- (?:alt text|caption) (".*") is (".*")$/.exec(line);
    if (w) {
      try {
        words.push([JSON.parse(w[1]) as string, JSON.parse(w[2]) as string]);
      } catch {
        // not two JSON strings: not recorded
      }
    }
  }
  return { language: m[1], lang: m[2], words, instruction: prompt };
}

/** Whether a text-model call is the look for text (its schema asks for `hasText`). */
export function isTextLookCall(body: unknown): boolean {
  return rec(rec(rec(rec(rec(body)?.generationConfig)?.responseSchema)?.properties)?.hasText) !== undefined;
}

/** The look's answer, with usage as Google counts it (the image at low resolution, the text, the answer). */
export function textLookAnswer(prompt: string, usageOr: (counted: Record<string, unknown>) => Record<string, unknown> | undefined): Record<string, unknown> {
  const text = /look:notext/.test(prompt) ? JSON.stringify({ hasText: false, texts: [] }) : JSON.stringify({ hasText: true, texts: ['Start', 'Deploy'] });
  const promptText = Math.ceil(prompt.length / 4);
  const answered = Math.ceil(text.length / 4);
  const usage = usageOr({
    promptTokenCount: 280 + promptText,
    candidatesTokenCount: answered,
    totalTokenCount: 280 + promptText + answered,
    promptTokensDetails: [
      { modality: 'TEXT', tokenCount: promptText },
      { modality: 'IMAGE', tokenCount: 280 },
    ],
    candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: answered }],
    serviceTier: 'standard',
  });
  return { candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }], usageMetadata: usage, modelVersion: 'fake' };
}
