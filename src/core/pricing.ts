import { findModel } from './models';

/** US dollars per million tokens. Estimates: list prices change, so users can override them. */
export interface ModelPrice {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

export const DEFAULT_PRICES: PriceTable = {
  'gemini-3.1-flash-image-preview': { inputPerMillion: 0.5, outputPerMillion: 60 },
  'gemini-3.1-flash-image': { inputPerMillion: 0.5, outputPerMillion: 60 },
  'gemini-3-pro-image-preview': { inputPerMillion: 2, outputPerMillion: 120 },
  'gemini-3-pro-image': { inputPerMillion: 2, outputPerMillion: 120 },
  // $0.039 per image at 1290 tokens.
  'gemini-2.5-flash-image': { inputPerMillion: 0.3, outputPerMillion: 30 },
};

export interface Usage {
  readonly promptTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
}

export function priceFor(model: string, overrides: PriceTable = {}): ModelPrice | undefined {
  return overrides[model] ?? DEFAULT_PRICES[model];
}

/** Cost of a finished call from its usage metadata; undefined when the model has no known price. */
export function costOfUsage(model: string, usage: Usage, overrides: PriceTable = {}): number | undefined {
  const price = priceFor(model, overrides);
  if (!price) {
    return undefined;
  }
  return (usage.promptTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) / 1e6;
}

/** Rough number of prompt tokens before sending: ~4 characters a token, ~258 a reference image. */
export function estimatePromptTokens(prompt: string, referenceCount: number): number {
  return Math.ceil(prompt.length / 4) + referenceCount * 258;
}

/** Cost estimate before sending, for `variants` parallel requests. */
export function estimateCost(
  model: string,
  imageSize: string,
  prompt: string,
  referenceCount: number,
  variants: number,
  overrides: PriceTable = {},
): number | undefined {
  const info = findModel(model);
  const price = priceFor(model, overrides);
  if (!info || !price) {
    return undefined;
  }
  const output = info.outputTokens[(imageSize || '1K') as '1K'] ?? info.outputTokens.any ?? info.outputTokens['1K'];
  if (output === undefined) {
    return undefined;
  }
  const one = costOfUsage(model, { promptTokens: estimatePromptTokens(prompt, referenceCount), outputTokens: output, totalTokens: 0 }, overrides);
  return one === undefined ? undefined : one * variants;
}

export function formatCost(cost: number | undefined): string {
  if (cost === undefined) {
    return 'cost unknown';
  }
  return `≈ $${cost < 0.01 ? cost.toFixed(4) : cost.toFixed(3)}`;
}
