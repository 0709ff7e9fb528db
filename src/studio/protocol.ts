/**
 * The one message protocol between the Image Studio webview and the extension, with the
 * validation every message from the webview goes through. No vscode and no DOM imports: both
 * sides (and the unit tests) use it.
 */

import type { GenerationOptions, ModelInfo } from '../core/api/models';
import { MAX_REFERENCES } from '../core/api/models';
import type { PriceTable } from '../core/api/pricing';

export const MAX_VARIANTS = 4;
export const MAX_PROMPT = 20_000;

/** The composer's options are the generation options. */
export type ComposeOptions = GenerationOptions;

export type ImageAction = 'insert' | 'save' | 'copyLink' | 'reveal';

/**
 * From the webview to the extension. Any message may carry a `requestId`; once the extension has
 * handled it, it answers `done` with `replyTo` set to that id, so the sender knows which request a
 * reply answers without polling.
 */
export type WebviewMessage = WebviewRequest & { readonly requestId?: string };

export type WebviewRequest =
  | { readonly type: 'ready' }
  | {
      readonly type: 'generate';
      readonly prompt: string;
      readonly options: ComposeOptions;
      readonly variants: number;
      readonly references: readonly string[];
      /** An image to edit: it goes back to the model as its own earlier answer. */
      readonly editOf?: string;
      /** false: the workspace's style (`illustrate.style`, `illustrate.styleReferences`) is left out of this request. */
      readonly applyStyle?: boolean;
      /** true: each variant with a transparent background (two image calls: on white, then on black); never for an edit. */
      readonly transparent?: boolean;
      /** true: each variant, once made, gets its dark-mode twin (one more image edit each). */
      readonly dark?: boolean;
    }
  | { readonly type: 'cancel' }
  | { readonly type: 'pickReferences' }
  /** Runs "Illustrate: Choose Model…" (the endpoint's models); the pick comes back as `model`. */
  | { readonly type: 'chooseModel' }
  | { readonly type: 'dropReferences'; readonly uris: readonly string[] }
  | { readonly type: 'removeReference'; readonly id: string }
  | { readonly type: 'image'; readonly action: ImageAction; readonly imageId: string }
  | { readonly type: 'regenerate'; readonly entryId: string }
  | { readonly type: 'deleteEntry'; readonly entryId: string };

export interface StyleView {
  readonly text: string;
  /** The style reference images' file names. */
  readonly references: readonly string[];
}

/** What the composer needs of a model: a view of the model table's entry. */
export type ModelView = Pick<ModelInfo, 'id' | 'label' | 'ratios' | 'sizes' | 'maxReferences'>;

export interface ReferenceView {
  readonly id: string;
  readonly name: string;
  readonly src: string;
  readonly bytes: number;
}

/** A variant's verdict as the Studio shows it: pass, or fail with its reasons, or not reviewed and why. */
export interface ReviewView {
  readonly status: 'pass' | 'fail' | 'unreviewed';
  readonly reasons: readonly string[];
}

export interface ImageView {
  readonly id: string;
  readonly src: string;
  readonly width: number;
  readonly height: number;
  readonly format: string;
  readonly bytes: number;
  readonly tokens: number;
  readonly cost: string;
  readonly texts: readonly string[];
  readonly thoughts: readonly string[];
  readonly savedAs?: string;
  /** "9 KB WEBP" when the saved file is not what the model sent. */
  readonly savedWeight?: string;
  readonly review?: ReviewView;
  /** Its dark-mode twin, made with it (the Studio's "Dark-mode twin" switch). */
  readonly dark?: TwinView;
  /** Why its twin could not be made (the variant is kept as it is). */
  readonly darkError?: string;
}

/** A variant's dark twin as the Studio shows it: a small preview under its variant. */
export interface TwinView {
  readonly src: string;
  readonly width: number;
  readonly height: number;
  readonly format: string;
  readonly bytes: number;
  readonly cost: string;
}

export interface EntryView {
  readonly id: string;
  readonly date: string;
  readonly prompt: string;
  readonly options: ComposeOptions;
  readonly references: readonly string[];
  readonly images: readonly ImageView[];
  readonly errors: readonly string[];
  readonly tokens: number;
  readonly cost: string;
  readonly durationMs: number;
  readonly editOf?: string;
}

/** From the extension to the webview. */
export type ExtensionMessage =
  | {
      readonly type: 'init';
      readonly models: readonly ModelView[];
      readonly defaults: ComposeOptions;
      readonly prompt: string;
      readonly prices: PriceTable;
      readonly history: readonly EntryView[];
      readonly references: readonly ReferenceView[];
      /** The workspace's style, shown in the composer with a switch to leave it out. */
      readonly style: StyleView;
      /** `illustrate.transparentBackground`: the transparency switch's starting position. */
      readonly transparent?: boolean;
      /** `illustrate.variants.dark`: the dark-twin switch's starting position. */
      readonly dark?: boolean;
    }
  | { readonly type: 'references'; readonly references: readonly ReferenceView[] }
  | { readonly type: 'model'; readonly model: string }
  | { readonly type: 'started'; readonly entryId: string; readonly variants: number; readonly prompt: string }
  | { readonly type: 'progress'; readonly entryId: string; readonly index: number; readonly text: string }
  | { readonly type: 'variant'; readonly entryId: string; readonly index: number; readonly image: ImageView }
  | { readonly type: 'variantFailed'; readonly entryId: string; readonly index: number; readonly message: string }
  /** A variant's dark twin was made (`image.dark`) or could not be (`image.darkError`): the variant as it is now. */
  | { readonly type: 'darkTwin'; readonly image: ImageView }
  | { readonly type: 'finished'; readonly entryId: string }
  | { readonly type: 'history'; readonly history: readonly EntryView[] }
  | { readonly type: 'imageSaved'; readonly imageId: string; readonly savedAs: string; readonly savedWeight?: string }
  /** A variant's review came back (`illustrate.review` is not off). */
  | { readonly type: 'reviewed'; readonly imageId: string; readonly review: ReviewView }
  | { readonly type: 'notice'; readonly level: 'info' | 'error'; readonly message: string }
  /** The request with this id has been handled (`ok: false`: its failure was shown as a notice). */
  | { readonly type: 'done'; readonly replyTo: string; readonly ok: boolean };

function rec(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function id(v: unknown): string | undefined {
  return typeof v === 'string' && ID.test(v) ? v : undefined;
}

function shortString(v: unknown, max: number): string | undefined {
  return typeof v === 'string' && v.length <= max ? v : undefined;
}

function options(v: unknown): ComposeOptions | undefined {
  const o = rec(v);
  if (!o) {
    return undefined;
  }
  const model = shortString(o.model, 200)?.trim();
  const aspectRatio = shortString(o.aspectRatio, 16);
  const imageSize = shortString(o.imageSize, 16);
  if (!model || aspectRatio === undefined || imageSize === undefined || (o.thinkingLevel !== 'minimal' && o.thinkingLevel !== 'high') || typeof o.includeText !== 'boolean') {
    return undefined;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(model) || !/^(\d{1,2}:\d{1,2})?$/.test(aspectRatio) || !/^[A-Za-z0-9]*$/.test(imageSize)) {
    return undefined;
  }
  return { model, aspectRatio, imageSize, thinkingLevel: o.thinkingLevel, includeText: o.includeText };
}

/** The message if it is one the webview may send, well formed; undefined otherwise. */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  const m = rec(raw);
  const request = m && parseRequest(m);
  if (!m || !request) {
    return undefined;
  }
  if (m.requestId === undefined) {
    return request;
  }
  const requestId = id(m.requestId);
  return requestId ? { ...request, requestId } : undefined;
}

function parseRequest(m: Record<string, unknown>): WebviewRequest | undefined {
  if (typeof m.type !== 'string') {
    return undefined;
  }
  switch (m.type) {
    case 'ready':
    case 'cancel':
    case 'pickReferences':
    case 'chooseModel':
      return { type: m.type };
    case 'generate': {
      const prompt = shortString(m.prompt, MAX_PROMPT);
      const opts = options(m.options);
      const variants = m.variants;
      const refs = Array.isArray(m.references) && m.references.length <= MAX_REFERENCES ? m.references.map(id) : undefined;
      const editOf = m.editOf === undefined ? undefined : id(m.editOf);
      if ([m.applyStyle, m.transparent, m.dark].some((flag) => flag !== undefined && typeof flag !== 'boolean')) {
        return undefined;
      }
      if (!prompt?.trim() || !opts || typeof variants !== 'number' || !Number.isInteger(variants) || variants < 1 || variants > MAX_VARIANTS) {
        return undefined;
      }
      if (!refs || refs.some((r) => r === undefined) || (m.editOf !== undefined && !editOf)) {
        return undefined;
      }
      return { type: 'generate', prompt, options: opts, variants, references: refs as string[], editOf, ...(m.applyStyle === false ? { applyStyle: false } : {}), ...(m.transparent === true && !editOf ? { transparent: true } : {}), ...(m.dark === true ? { dark: true } : {}) };
    }
    case 'dropReferences': {
      const uris = Array.isArray(m.uris) && m.uris.length <= MAX_REFERENCES ? m.uris.map((u) => shortString(u, 4096)) : undefined;
      if (!uris || uris.some((u) => u === undefined || !/^[a-z][a-z0-9+.-]*:/i.test(u))) {
        return undefined;
      }
      return { type: 'dropReferences', uris: uris as string[] };
    }
    case 'removeReference': {
      const rid = id(m.id);
      return rid ? { type: 'removeReference', id: rid } : undefined;
    }
    case 'image': {
      const imageId = id(m.imageId);
      const action = m.action;
      if (!imageId || (action !== 'insert' && action !== 'save' && action !== 'copyLink' && action !== 'reveal')) {
        return undefined;
      }
      return { type: 'image', action, imageId };
    }
    case 'regenerate':
    case 'deleteEntry': {
      const entryId = id(m.entryId);
      return entryId ? { type: m.type, entryId } : undefined;
    }
    default:
      return undefined;
  }
}
