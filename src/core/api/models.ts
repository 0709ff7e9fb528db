/** What Illustrate knows about the Gemini image models (see GEMINI-API.md). */
import * as l10n from '@vscode/l10n';

export const ALL_RATIOS = ['1:1', '1:4', '1:8', '2:3', '3:2', '3:4', '4:1', '4:3', '4:5', '5:4', '8:1', '9:16', '16:9', '21:9'] as const;
export const COMMON_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const;
export const ALL_SIZES = ['512', '1K', '2K', '4K'] as const;
export const THINKING_LEVELS = ['minimal', 'medium', 'high'] as const;

export type ImageSize = (typeof ALL_SIZES)[number];
export type ThinkingLevel = (typeof THINKING_LEVELS)[number];

export type ModelStatus = 'ga' | 'preview' | 'deprecated' | 'retired';

/**
 * One image model, as data: everything the checks, the price estimates, the settings' suggestions
 * and the Studio know about it comes from this one table. Sources are in the README's model section.
 */
export interface ModelInfo {
  readonly id: string;
  readonly label: string;
  /** Models of one family take the same options; an id and its aliases are one family. */
  readonly family: string;
  readonly status: ModelStatus;
  /** For `retired`: when Google's endpoint shut it down (gateways may still serve it). */
  readonly retiredOn?: string;
  /** For `deprecated`: when Google's changelog marked it so (it still answers until it is shut down). */
  readonly deprecatedOn?: string;
  /** Google's recommended image model: the default on Google's endpoint. */
  readonly recommended?: boolean;
  /** What Google names as its replacement, used on Google's endpoint instead of a retired id. */
  readonly successor?: string;
  /** The same model under another id (preview ↔ GA): tried once when an endpoint answers 404. */
  readonly aliases: readonly string[];
  readonly ratios: readonly string[];
  /** Empty: the model takes no imageSize at all. */
  readonly sizes: readonly ImageSize[];
  /** Empty: the model takes no thinkingConfig. */
  readonly thinkingLevels: readonly ThinkingLevel[];
  readonly maxReferences: number;
  /** Output tokens of one image by size; `any` for models without sizes. */
  readonly outputTokens: Readonly<Partial<Record<ImageSize | 'any', number>>>;
  /** US dollars per million tokens, for the cost of a finished call from its usage (where published). */
  readonly inputPerMillion?: number;
  readonly outputPerMillion?: number;
  /** US dollars per image by size (list price), and in batch mode where Google publishes one. */
  readonly pricePerImage: Readonly<Partial<Record<ImageSize | 'any', number>>>;
  readonly batchPricePerImage?: Readonly<Partial<Record<ImageSize | 'any', number>>>;
}

type Family = Omit<ModelInfo, 'id' | 'label' | 'status' | 'retiredOn' | 'deprecatedOn' | 'recommended' | 'successor' | 'aliases'>;

const NANO_BANANA_2: Family = {
  family: 'nano-banana-2',
  ratios: ALL_RATIOS,
  sizes: ['512', '1K', '2K', '4K'],
  thinkingLevels: ['minimal', 'high'],
  maxReferences: 14,
  outputTokens: { '512': 747, '1K': 1120, '2K': 1680, '4K': 2520 },
  inputPerMillion: 0.5,
  outputPerMillion: 60,
  pricePerImage: { '512': 0.045, '1K': 0.067, '2K': 0.101, '4K': 0.151 },
  batchPricePerImage: { '512': 0.0225, '1K': 0.0335, '2K': 0.0505, '4K': 0.0755 },
};
const NANO_BANANA_PRO: Family = {
  family: 'nano-banana-pro',
  ratios: COMMON_RATIOS,
  sizes: ['1K', '2K', '4K'],
  thinkingLevels: ['minimal', 'high'],
  maxReferences: 14,
  outputTokens: { '1K': 1120, '2K': 1120, '4K': 2000 },
  inputPerMillion: 2,
  outputPerMillion: 120,
  pricePerImage: { '1K': 0.134, '2K': 0.134, '4K': 0.24 },
  batchPricePerImage: { '1K': 0.067, '2K': 0.067, '4K': 0.12 },
};

/**
 * Nano Banana 2.1 (2026-10-07): 1K-4K (512 refused), thinking minimal/medium/high (medium by
 * default), up to 10 object references, about $0.0336 an image at 1K. Its 2K and 4K prices are not
 * published where Illustrate could check them: unknown until they are (the estimate says so).
 */
const NANO_BANANA_2_1: Family = {
  family: 'nano-banana-2.1',
  ratios: ALL_RATIOS,
  sizes: ['1K', '2K', '4K'],
  thinkingLevels: ['minimal', 'medium', 'high'],
  maxReferences: 10,
  outputTokens: {},
  pricePerImage: { '1K': 0.0336 },
  batchPricePerImage: { '1K': 0.0168 },
};

export const KNOWN_MODELS: readonly ModelInfo[] = [
  { id: 'gemini-nano-banana-2.1', label: 'Nano Banana 2.1', status: 'ga', recommended: true, aliases: [], ...NANO_BANANA_2_1 },
  {
    id: 'gemini-3.1-flash-image',
    label: 'Nano Banana 2',
    status: 'deprecated',
    deprecatedOn: '2026-10-06',
    successor: 'gemini-nano-banana-2.1',
    aliases: ['gemini-3.1-flash-image-preview'],
    ...NANO_BANANA_2,
  },
  {
    id: 'gemini-3-pro-image',
    label: 'Nano Banana Pro',
    status: 'ga',
    aliases: ['gemini-3-pro-image-preview'],
    ...NANO_BANANA_PRO,
  },
  {
    id: 'gemini-3.1-flash-lite-image',
    label: 'Nano Banana 2 Lite',
    status: 'ga',
    aliases: [],
    family: 'nano-banana-2-lite',
    // Google's model page says "14 discrete aspect ratios" but lists ten; the fourteen are offered,
    // and the API's own 400 message explains a ratio it refuses.
    ratios: ALL_RATIOS,
    sizes: ['1K'],
    thinkingLevels: ['minimal', 'high'],
    maxReferences: 14,
    outputTokens: {},
    pricePerImage: { '1K': 0.0336 },
    batchPricePerImage: { '1K': 0.0168 },
  },
  {
    id: 'gemini-3.1-flash-image-preview',
    label: 'Nano Banana 2 (preview id)',
    status: 'retired',
    retiredOn: '2026-06-25',
    successor: 'gemini-3.1-flash-image',
    aliases: ['gemini-3.1-flash-image'],
    ...NANO_BANANA_2,
  },
  {
    id: 'gemini-3-pro-image-preview',
    label: 'Nano Banana Pro (preview id)',
    status: 'retired',
    retiredOn: '2026-06-25',
    successor: 'gemini-3-pro-image',
    aliases: ['gemini-3-pro-image'],
    ...NANO_BANANA_PRO,
  },
  {
    id: 'gemini-2.5-flash-image',
    label: 'Nano Banana (2.5)',
    status: 'retired',
    retiredOn: '2026-10-02',
    successor: 'gemini-3.1-flash-image',
    aliases: [],
    family: 'nano-banana',
    ratios: COMMON_RATIOS,
    sizes: [],
    thinkingLevels: [],
    maxReferences: 3,
    outputTokens: { any: 1290 },
    inputPerMillion: 0.3,
    outputPerMillion: 30,
    pricePerImage: { any: 0.039 },
  },
];

/** Google's limit on one inline reference image. */
export const MAX_REFERENCE_BYTES = 7 * 1024 * 1024;

/** The most reference images any known model takes. */
export const MAX_REFERENCES = Math.max(...KNOWN_MODELS.map((m) => m.maxReferences));

/** The model Illustrate uses when none is set, on a gateway (gateways list the ids they serve; apiyi has no 2.1). */
export const DEFAULT_MODEL = 'gemini-3.1-flash-image';

/** Google's recommended image model: the default on Google's own endpoint. */
export const GOOGLE_DEFAULT_MODEL = KNOWN_MODELS.find((m) => m.recommended)?.id ?? DEFAULT_MODEL;

/** The ids a user can pick today (GA, deprecated ones still answering included). */
export const GA_MODEL_IDS = KNOWN_MODELS.filter((m) => m.status === 'ga' || m.status === 'deprecated').map((m) => m.id);

export function findModel(id: string): ModelInfo | undefined {
  return KNOWN_MODELS.find((m) => m.id === id);
}

/** A model's list price for one image at a size (its only price for models without sizes). */
export function listPrice(model: ModelInfo, imageSize: string): number | undefined {
  return model.pricePerImage[(imageSize || '1K') as ImageSize] ?? model.pricePerImage.any;
}

/**
 * A model's list price where the user's size setting puts it: at that size, or at the model's
 * first size when it does not take that one. Unknown models have no price.
 */
export function quotedPrice(model: ModelInfo | undefined, imageSize: string): { readonly size: string; readonly price: number | undefined } {
  const size = model && model.sizes.length > 0 && !model.sizes.includes(imageSize as ImageSize) ? model.sizes[0] : imageSize || '1K';
  return { size, price: model ? listPrice(model, size) : undefined };
}

export interface GenerationOptions {
  readonly model: string;
  readonly aspectRatio: string;
  readonly imageSize: string;
  readonly thinkingLevel: ThinkingLevel;
  readonly includeText: boolean;
}

/** Returns a user message when the options do not fit the model; unknown models pass unchecked. */
export function checkOptions(options: GenerationOptions, referenceCount = 0): string | undefined {
  const model = findModel(options.model);
  if (!options.model.trim()) {
    return l10n.t('No model is set. Choose one in the setting "illustrate.model".');
  }
  if (!model) {
    return undefined;
  }
  if (options.aspectRatio && !model.ratios.includes(options.aspectRatio)) {
    return l10n.t('{0} does not take the aspect ratio "{1}". Valid: {2}.', model.id, options.aspectRatio, model.ratios.join(', '));
  }
  if (model.sizes.length > 0 && options.imageSize && !(model.sizes as readonly string[]).includes(options.imageSize)) {
    return l10n.t('{0} does not take the image size "{1}". Valid: {2} (upper-case K).', model.id, options.imageSize, model.sizes.join(', '));
  }
  if (model.thinkingLevels.length > 0 && !model.thinkingLevels.includes(options.thinkingLevel)) {
    return l10n.t('{0} does not take the thinking level "{1}". Valid: {2}.', model.id, options.thinkingLevel, model.thinkingLevels.join(', '));
  }
  if (referenceCount > model.maxReferences) {
    return l10n.t('{0} takes at most {1} reference images; {2} were given.', model.id, model.maxReferences, referenceCount);
  }
  return undefined;
}

/** The pixel size a 3.x model answers for a ratio and size, when documented. */
const PIXELS_1K: Readonly<Record<string, readonly [number, number]>> = {
  '1:1': [1024, 1024], '16:9': [1376, 768], '9:16': [768, 1376], '3:2': [1264, 848], '2:3': [848, 1264],
  '4:3': [1200, 896], '3:4': [896, 1200], '5:4': [1152, 928], '4:5': [928, 1152], '21:9': [1584, 672],
  '4:1': [2048, 512], '1:4': [512, 2048], '8:1': [3072, 384], '1:8': [384, 3072],
};
const SIZE_FACTOR: Readonly<Record<string, number>> = { '512': 0.5, '1K': 1, '2K': 2, '4K': 4 };

export function expectedPixels(aspectRatio: string, imageSize: string): { width: number; height: number } | undefined {
  const base = PIXELS_1K[aspectRatio || '1:1'];
  const factor = SIZE_FACTOR[imageSize || '1K'];
  if (!base || !factor) {
    return undefined;
  }
  return { width: Math.round(base[0] * factor), height: Math.round(base[1] * factor) };
}
