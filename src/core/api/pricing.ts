import * as l10n from '@vscode/l10n';
import { findModel, KNOWN_MODELS, listPrice } from './models';

/** US dollars per million tokens. Estimates: list prices change, so users can override them. */
export interface ModelPrice {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** Token prices from the model table, for the models that have them. */
export const DEFAULT_PRICES: PriceTable = Object.fromEntries(
  KNOWN_MODELS.filter((m) => m.inputPerMillion !== undefined && m.outputPerMillion !== undefined).map((m) => [
    m.id,
    { inputPerMillion: m.inputPerMillion!, outputPerMillion: m.outputPerMillion! },
  ]),
);

export interface Usage {
  readonly promptTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  /** Thinking tokens, billed as output though not part of the answer. */
  readonly thoughtsTokens?: number;
  /** false: the answer carried no output count (a gateway that sends none), so its cost is the table's estimate. */
  readonly reported?: boolean;
}

/** The usage an answer carries (`usageMetadata`), the one reading of it for every call. */
export function usageOf(raw: unknown): Usage {
  const u = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
  const prompt = count(u.promptTokenCount) ?? 0;
  const output = count(u.candidatesTokenCount);
  const thoughts = count(u.thoughtsTokenCount) ?? 0;
  return { promptTokens: prompt, outputTokens: output ?? 0, thoughtsTokens: thoughts, totalTokens: count(u.totalTokenCount) ?? prompt + (output ?? 0) + thoughts, reported: output !== undefined };
}

export function priceFor(model: string, overrides: PriceTable = {}): ModelPrice | undefined {
  return overrides[model] ?? DEFAULT_PRICES[model];
}

/**
 * Cost of a finished image call from its usage metadata: by tokens where the price is per token,
 * else the model's list price per image at the size asked for; the table's estimate when the answer
 * carried no usage; undefined when nothing is known. The table's output price is the image rate:
 * candidates are priced at it, and thinking (billed at the lower text rate, not in the table) is not.
 */
export function costOfUsage(model: string, usage: Usage, overrides: PriceTable = {}, imageSize = '1K'): number | undefined {
  if (usage.reported === false) {
    return estimateCost(model, imageSize, '', 0, 1, overrides);
  }
  const price = priceFor(model, overrides);
  if (price) {
    return (usage.promptTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) / 1e6;
  }
  const info = findModel(model);
  const perImage = info && listPrice(info, imageSize);
  return perImage === undefined ? undefined : perImage + (usage.promptTokens * (info?.inputPerMillion ?? 0)) / 1e6;
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
  if (!info) {
    return undefined;
  }
  const output = info.outputTokens[(imageSize || '1K') as '1K'] ?? info.outputTokens.any ?? 0;
  const one = costOfUsage(model, { promptTokens: estimatePromptTokens(prompt, referenceCount), outputTokens: output, totalTokens: 0 }, overrides, imageSize);
  return one === undefined ? undefined : one * variants;
}

export function formatCost(cost: number | undefined): string {
  if (cost === undefined) {
    return l10n.t('cost unknown');
  }
  return `≈ $${cost < 0.01 ? cost.toFixed(4) : cost.toFixed(3)}`;
}
