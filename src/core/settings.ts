/**
 * Illustrate's settings as one typed, read-only object, from whatever holds them (VS Code's
 * configuration, a workspace's settings.json for the command-line tool): unknown or out-of-range
 * values map to the default or the nearest allowed value.
 */
import { DEFAULT_MODEL, GenerationOptions, GOOGLE_DEFAULT_MODEL, MAX_REFERENCES, THINKING_LEVELS, ThinkingLevel } from './api/models';
import { isGoogleEndpoint } from './api/modelRoute';
import { outputSettings, OutputSettings } from './images/codec';
import { PriceTable } from './api/pricing';
import { AuthHeaderStyle } from './api/request';

/** Google's own endpoint for the Gemini API. */
export const GOOGLE_BASE_URL = 'https://generativelanguage.googleapis.com';

export const DEFAULTS = {
  baseUrl: 'https://api.apiyi.com',
  authHeader: 'auto' as AuthHeaderStyle,
  model: DEFAULT_MODEL,
  aspectRatio: '16:9',
  imageSize: '1K',
  thinkingLevel: 'minimal' as ThinkingLevel,
  includeText: false,
  requestTimeoutSeconds: 360,
  destination: 'images/',
  fileName: '${promptSlug}',
  historyLimit: 200,
  fillConcurrency: 4,
  style: '',
  styleReferences: [] as readonly string[],
};

/** The longest style text sent with a prompt (a workspace setting: read as untrusted input). */
export const MAX_STYLE = 2000;

export interface Settings {
  readonly baseUrl: string;
  /** The user set the endpoint (not left at the default): a key then goes there, whatever its shape. */
  readonly endpointChosen: boolean;
  /** A model is set; otherwise `model` is the endpoint's default (Google's recommended model on Google's endpoint). */
  readonly modelChosen: boolean;
  readonly authHeader: AuthHeaderStyle;
  readonly model: string;
  readonly aspectRatio: string;
  readonly imageSize: string;
  readonly thinkingLevel: ThinkingLevel;
  readonly includeText: boolean;
  readonly requestTimeoutSeconds: number;
  readonly destination: string;
  readonly fileName: string;
  /** The user's own price overrides (never a workspace's: a repository must not fake the cost shown before spending). */
  readonly prices: PriceTable;
  readonly historyLimit: number;
  /** Most requests Fill Missing Images runs at once (fewer while the server rate-limits). */
  readonly fillConcurrency: number;
  /** A look every prompt of the workspace shares ("flat vector, brand blue #1F6FEB"); '' for none. */
  readonly style: string;
  /** Workspace-relative images sent as references with every prompt, for one look across a site. */
  readonly styleReferences: readonly string[];
  /** `illustrate.output.*`: the format of new links, the encoder's quality, the widest image written. */
  readonly output: OutputSettings;
  /** `illustrate.describeModel`, the user's own only: the text model that writes alt text ('' = the cheapest GA Flash-Lite the endpoint lists). */
  readonly describeModel: string;
  /** `illustrate.altTextMaxLength`: the longest alt text written, in characters. */
  readonly altTextMaxLength: number;
  /** `illustrate.review`: each new picture looked at against its words (`report`), made once more when it fails (`retry`), or not (`off`). */
  readonly review: ReviewMode;
  /** `illustrate.reviewModel`, the user's own only: the text model that reviews pictures ('' = the describe model). */
  readonly reviewModel: string;
  /** `illustrate.transparentBackground`: new pictures made on white and on black and matted into a PNG or WebP with alpha (two image calls each). */
  readonly transparentBackground: boolean;
  /** `illustrate.variants.dark`: Fill and the generate commands make each new picture's dark twin too. */
  readonly darkTwins: boolean;
  /** `illustrate.variants.darkSuffix`: what a dark twin's name adds before the extension (`logo.dark.png`). */
  readonly darkSuffix: string;
}

/** What happens after a picture is made: no review, a review reported, or a failed picture made once more. */
export type ReviewMode = 'off' | 'report' | 'retry';
export const REVIEW_MODES: readonly ReviewMode[] = ['off', 'report', 'retry'];

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() ? value.trim() : fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** A number within the schema's range: a workspace cannot set a 0.05 s timeout or a history of 1. */
function inRange(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

function prices(value: unknown): PriceTable {
  const out: Record<string, { inputPerMillion: number; outputPerMillion: number }> = {};
  if (typeof value !== 'object' || value === null) {
    return out;
  }
  for (const [model, p] of Object.entries(value as Record<string, unknown>)) {
    if (typeof p === 'object' && p !== null) {
      const rec = p as Record<string, unknown>;
      if (typeof rec.inputPerMillion === 'number' && typeof rec.outputPerMillion === 'number') {
        out[model] = { inputPerMillion: rec.inputPerMillion, outputPerMillion: rec.outputPerMillion };
      }
    }
  }
  return out;
}

/** At most `max` non-empty strings of at most `length` characters; anything else is dropped. */
function stringList(value: unknown, max: number, length: number): readonly string[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value
    .filter((v): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= length)
    .map((v) => v.trim())
    .slice(0, max);
}

/**
 * The settings from two readers: `user` for the endpoint, price, describe-model and review-model settings, which
 * only the user's own settings may set (a workspace must not redirect the key, fake a cost or choose
 * what is bought), and `any` for the rest. `user` answers undefined for a setting the user left at its default.
 */
export function settingsFrom(any: (key: string) => unknown, user: (key: string) => unknown): Settings {
  const aspectRatio = any('aspectRatio');
  const imageSize = any('imageSize');
  const baseUrl = str(user('baseUrl'), '');
  const model = str(any('model'), '');
  return {
    baseUrl: baseUrl || DEFAULTS.baseUrl,
    endpointChosen: baseUrl !== '',
    model: model || defaultModelFor(baseUrl || DEFAULTS.baseUrl),
    modelChosen: model !== '',
    authHeader: oneOf(user('authHeader'), ['auto', 'bearer', 'x-goog-api-key'], DEFAULTS.authHeader),
    aspectRatio: typeof aspectRatio === 'string' ? aspectRatio.trim() : DEFAULTS.aspectRatio,
    // Any string is passed on for unknown models; known models are checked before sending.
    imageSize: typeof imageSize === 'string' ? imageSize.trim() : DEFAULTS.imageSize,
    thinkingLevel: oneOf(any('thinkingLevel'), THINKING_LEVELS, DEFAULTS.thinkingLevel),
    includeText: any('includeText') === true,
    requestTimeoutSeconds: inRange(any('requestTimeoutSeconds'), 10, 1800, DEFAULTS.requestTimeoutSeconds),
    destination: str(any('destination'), DEFAULTS.destination),
    fileName: str(any('fileName'), DEFAULTS.fileName),
    prices: prices(user('prices')),
    historyLimit: Math.floor(inRange(any('historyLimit'), 1, 10_000, DEFAULTS.historyLimit)),
    fillConcurrency: Math.floor(inRange(any('fillConcurrency'), 1, 16, DEFAULTS.fillConcurrency)),
    styleReferences: stringList(any('styleReferences'), MAX_REFERENCES, 1000),
    output: outputSettings(any('output.format'), any('output.quality'), any('output.maxWidth')),
    // It chooses what alt text buys: the user's, like the prices (a repository's would be shown as "cost unknown" and billed).
    describeModel: str(user('describeModel'), '').slice(0, 100),
    altTextMaxLength: Math.floor(inRange(any('altTextMaxLength'), 40, 500, 150)),
    review: oneOf(any('review'), REVIEW_MODES, 'report'),
    // Like the describe model: what a review buys is the user's choice, never a repository's.
    reviewModel: str(user('reviewModel'), '').slice(0, 100),
    transparentBackground: any('transparentBackground') === true,
    darkTwins: any('variants.dark') === true,
    darkSuffix: darkSuffix(any('variants.darkSuffix')),
    style: typeof any('style') === 'string' ? (any('style') as string).replace(/\s+/g, ' ').trim().slice(0, MAX_STYLE) : DEFAULTS.style,
  };
}

/** The generation options the settings ask for. */
/** What a twin's name may add: a dot, a dash or an underscore, then letters, digits, dots, dashes or underscores (at most 32); `.dark` otherwise. */
function darkSuffix(value: unknown): string {
  return typeof value === 'string' && /^[._-][\w.-]{1,31}$/.test(value) && !value.includes('..') ? value : '.dark';
}

export function optionsFromSettings(settings: Settings): GenerationOptions {
  return {
    model: settings.model,
    aspectRatio: settings.aspectRatio,
    imageSize: settings.imageSize,
    thinkingLevel: settings.thinkingLevel,
    includeText: settings.includeText,
  };
}

/** The prompt as sent: the user's words, then the workspace's style. */
export function withStyle(prompt: string, style: string): string {
  return style ? `${prompt}\n\nStyle: ${style}` : prompt;
}

/** The model used when none is set: Google's recommended one on Google's endpoint, else the gateways' common default. */
export function defaultModelFor(baseUrl: string): string {
  return isGoogleEndpoint(baseUrl) ? GOOGLE_DEFAULT_MODEL : DEFAULT_MODEL;
}

/** A Google AI Studio key: "AIza" and 35 more characters. */
export function isGoogleKey(key: string): boolean {
  return /^AIza[0-9A-Za-z_-]{35}$/.test(key.trim());
}

/**
 * Where a key goes: the endpoint the user chose, always; with the endpoint left at its default
 * (a gateway), a Google-shaped key goes to Google's own endpoint instead, never to a third party
 * nobody chose. `switched` says the default was left for Google's.
 */
export function endpointForKey(settings: Settings, key: string): { readonly settings: Settings; readonly switched: boolean } {
  if (settings.endpointChosen || !isGoogleKey(key) || /googleapis\.com/i.test(settings.baseUrl)) {
    return { settings, switched: false };
  }
  const model = settings.modelChosen ? settings.model : defaultModelFor(GOOGLE_BASE_URL);
  return { settings: { ...settings, baseUrl: GOOGLE_BASE_URL, authHeader: 'auto', model }, switched: true };
}
