/** What Illustrate knows about the Gemini image models (see GEMINI-API.md). */

export const ALL_RATIOS = ['1:1', '1:4', '1:8', '2:3', '3:2', '3:4', '4:1', '4:3', '4:5', '5:4', '8:1', '9:16', '16:9', '21:9'] as const;
export const COMMON_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const;
export const ALL_SIZES = ['512', '1K', '2K', '4K'] as const;
export const THINKING_LEVELS = ['minimal', 'high'] as const;

export type ImageSize = (typeof ALL_SIZES)[number];
export type ThinkingLevel = (typeof THINKING_LEVELS)[number];

export interface ModelInfo {
  readonly id: string;
  readonly label: string;
  readonly ratios: readonly string[];
  /** Empty: the model takes no imageSize at all. */
  readonly sizes: readonly ImageSize[];
  readonly maxReferences: number;
  readonly thinking: boolean;
  /** Output tokens of one image by size; `any` for models without sizes. */
  readonly outputTokens: Readonly<Partial<Record<ImageSize | 'any', number>>>;
}

const FLASH_31: Omit<ModelInfo, 'id' | 'label'> = {
  ratios: ALL_RATIOS,
  sizes: ['512', '1K', '2K', '4K'],
  maxReferences: 14,
  thinking: true,
  outputTokens: { '512': 747, '1K': 1120, '2K': 1680, '4K': 2520 },
};
const PRO_3: Omit<ModelInfo, 'id' | 'label'> = {
  ratios: COMMON_RATIOS,
  sizes: ['1K', '2K', '4K'],
  maxReferences: 14,
  thinking: true,
  outputTokens: { '1K': 1120, '2K': 1120, '4K': 2000 },
};

export const KNOWN_MODELS: readonly ModelInfo[] = [
  { id: 'gemini-3.1-flash-image-preview', label: 'Nano Banana 2 (preview id)', ...FLASH_31 },
  { id: 'gemini-3.1-flash-image', label: 'Nano Banana 2', ...FLASH_31 },
  { id: 'gemini-3-pro-image-preview', label: 'Nano Banana Pro (preview id)', ...PRO_3 },
  { id: 'gemini-3-pro-image', label: 'Nano Banana Pro', ...PRO_3 },
  {
    id: 'gemini-2.5-flash-image',
    label: 'Nano Banana',
    ratios: COMMON_RATIOS,
    sizes: [],
    maxReferences: 3,
    thinking: false,
    outputTokens: { any: 1290 },
  },
];

export const GA_MODEL_IDS = ['gemini-3.1-flash-image', 'gemini-3-pro-image'];

export function findModel(id: string): ModelInfo | undefined {
  return KNOWN_MODELS.find((m) => m.id === id);
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
    return 'No model is set. Choose one in the setting "illustrate.model".';
  }
  if (!model) {
    return undefined;
  }
  if (options.aspectRatio && !model.ratios.includes(options.aspectRatio)) {
    return `${model.id} does not take the aspect ratio "${options.aspectRatio}". Valid: ${model.ratios.join(', ')}.`;
  }
  if (model.sizes.length > 0 && options.imageSize && !(model.sizes as readonly string[]).includes(options.imageSize)) {
    return `${model.id} does not take the image size "${options.imageSize}". Valid: ${model.sizes.join(', ')} (upper-case K).`;
  }
  if (referenceCount > model.maxReferences) {
    return `${model.id} takes at most ${model.maxReferences} reference images; ${referenceCount} were given.`;
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
