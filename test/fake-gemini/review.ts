/**
 * The stand-in's reviewer: a text model asked for a verdict on one picture (a `responseSchema`
 * in the request). It checks the request as the service would (the schema's shape, JSON output,
 * a media resolution it knows) and answers per scenario, chosen by a marker in the image's prompt
 * (which the review instruction quotes; brackets optional): `[review:fail]`, `[review:malformed]`, `[review:empty]`,
 * `[review:blocked]` (promptFeedback.blockReason), `[review:safety]` (finishReason SAFETY),
 * `[review:odd]` (JSON that is not a verdict), `[review:failonce]` (the first review of those words
 * fails, the next passes: a retry that comes out better); a pass otherwise. A 429 comes from the server's
 * queue (`script('quota')`), as for every call.
 */
import { rec } from './shapes';

export type ReviewScenario = 'pass' | 'fail' | 'failonce' | 'malformed' | 'empty' | 'blocked' | 'safety' | 'odd';
const SCENARIOS: readonly ReviewScenario[] = ['pass', 'fail', 'failonce', 'malformed', 'empty', 'blocked', 'safety', 'odd'];

/** Tokens an image costs at each media resolution (Gemini 3 models; HIGH when none is asked for). */
const IMAGE_TOKENS: Readonly<Record<string, number>> = { MEDIA_RESOLUTION_LOW: 280, MEDIA_RESOLUTION_MEDIUM: 560, MEDIA_RESOLUTION_HIGH: 1120, MEDIA_RESOLUTION_ULTRA_HIGH: 2240 };

/** Whether a text-model call asks for a verdict (a structured answer). */
export function isReviewCall(body: unknown): boolean {
  return rec(rec(rec(body)?.generationConfig)?.responseSchema) !== undefined;
}

/** What the service refuses with 400 in a review call; undefined when it is acceptable. */
export function reviewRequestProblem(body: unknown): string | undefined {
  const gc = rec(rec(body)?.generationConfig);
  if (gc?.responseMimeType !== 'application/json') {
    return '* GenerateContentRequest.generation_config.response_schema: response_mime_type must be application/json when a response schema is set.';
  }
  if (gc.mediaResolution !== undefined && !(String(gc.mediaResolution) in IMAGE_TOKENS)) {
    return `Invalid value at 'generation_config.media_resolution' (type.googleapis.com/google.ai.generativelanguage.v1beta.MediaResolution), "${String(gc.mediaResolution)}"`;
  }
  const schema = rec(gc.responseSchema);
  const props = rec(schema?.properties);
  const items = rec(rec(props?.problems)?.items);
  const itemProps = rec(items?.properties);
  const kinds = rec(itemProps?.kind)?.enum;
  if (schema?.type !== 'OBJECT' || rec(props?.pass)?.type !== 'BOOLEAN' || rec(props?.problems)?.type !== 'ARRAY' || items?.type !== 'OBJECT' || rec(itemProps?.reason)?.type !== 'STRING' || !Array.isArray(kinds) || !kinds.every((k) => typeof k === 'string')) {
    return 'stand-in: a review asks for {pass: BOOLEAN, problems: ARRAY of {kind: STRING enum, reason: STRING}}.';
  }
  return undefined;
}

/** The scenario a review instruction's quoted prompt asks for (`[review:…]`), a pass when none. */
export function reviewScenario(instruction: string): ReviewScenario {
  // Brackets optional: an alt text in markdown can say "(review:fail)" without escaping them.
  const marker = /review:(pass|failonce|fail|malformed|empty|blocked|safety|odd)\b/.exec(instruction)?.[1] as ReviewScenario | undefined;
  return marker && SCENARIOS.includes(marker) ? marker : 'pass';
}

/** The words the picture was made from, as the instruction quotes them (a JSON string on its own line). */
function quotedPrompt(instruction: string): string {
  const line = /^(?:Prompt|Alt text): (".*")$/m.exec(instruction)?.[1];
  try {
    return line ? (JSON.parse(line) as string) : '';
  } catch {
    return '';
  }
}

/** What a failing picture gets wrong: the prompt's quoted text misspelled ("Welcome" read as "Welcom"), else a frame nobody asked for. */
function failedVerdict(instruction: string): { pass: false; problems: { kind: string; reason: string }[] } {
  const prompt = quotedPrompt(instruction);
  const quoted = /["“]([^"“”]{2,60})["”]/.exec(prompt)?.[1];
  if (quoted) {
    const misread = quoted.slice(0, -1);
    return { pass: false, problems: [{ kind: 'text', reason: /\p{Script=Han}/u.test(prompt) ? `图中文字是“${misread}”，应为“${quoted}”：少了最后一个字。` : `The picture reads "${misread}", not "${quoted}": the last letter is missing.` }] };
  }
  return {
    pass: false,
    problems: [{ kind: 'unasked', reason: /\p{Script=Han}/u.test(prompt) ? '图片四周有提示词未要求的浏览器边框，请去掉。' : 'A browser window frame surrounds the picture; the prompt did not ask for one. Remove it.' }],
  };
}

/** The answer to a review call in `scenario`, with usage as Google counts it (the image at the resolution asked for, the text, the answer). */
export function reviewAnswer(body: unknown, prompt: string, scenario: ReviewScenario, usageOr: (counted: Record<string, unknown>) => Record<string, unknown> | undefined): Record<string, unknown> {
  // The text of the turn (promptOf joins its parts with spaces: the image part adds one).
  const instruction = prompt.trim();
  const resolution = String(rec(rec(body)?.generationConfig)?.mediaResolution ?? 'MEDIA_RESOLUTION_HIGH');
  const imageTokens = IMAGE_TOKENS[resolution] ?? 1120;
  const promptText = Math.ceil(instruction.length / 4);
  const text =
    scenario === 'fail'
      ? JSON.stringify(failedVerdict(instruction))
      : scenario === 'malformed'
        ? '{"pass": false, "problems": [{"kind": "text", "reason": "The picture rea'
        : scenario === 'odd'
          ? JSON.stringify({ verdict: 'looks fine', score: 9 })
          : scenario === 'empty'
            ? ''
            : JSON.stringify({ pass: true, problems: [] });
  const answered = Math.ceil(text.length / 4);
  const usage = usageOr({
    promptTokenCount: imageTokens + promptText,
    candidatesTokenCount: answered,
    totalTokenCount: imageTokens + promptText + answered,
    promptTokensDetails: [
      { modality: 'TEXT', tokenCount: promptText },
      { modality: 'IMAGE', tokenCount: imageTokens },
    ],
    candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: answered }],
    serviceTier: 'standard',
  });
  if (scenario === 'blocked') {
    return { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: imageTokens + promptText, totalTokenCount: imageTokens + promptText }, modelVersion: 'fake' };
  }
  if (scenario === 'safety') {
    return {
      candidates: [{ finishReason: 'SAFETY', index: 0, safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }] }],
      usageMetadata: { promptTokenCount: imageTokens + promptText, totalTokenCount: imageTokens + promptText },
      modelVersion: 'fake',
    };
  }
  return { candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }], usageMetadata: usage, modelVersion: 'fake' };
}
