/**
 * The Image Studio's state in the browser, and `reduce`: the one place it changes in answer to the
 * extension's messages. Pure (no DOM, no VS Code API), so it is unit-tested in Node.
 */
import * as l10n from '@vscode/l10n';
import { estimateCost, formatCost, PriceTable } from '../core/api/pricing';
import type { ComposeOptions, EntryView, ExtensionMessage, ImageView, ModelView, ReferenceView, StyleView } from '../studio/protocol';

export const CUSTOM = '__custom__';

/** What the composer keeps across reloads (the webview's saved state). */
export interface Composer {
  readonly prompt: string;
  /** Until the extension's defaults arrive, no options: nothing is assumed about the settings. */
  readonly options: ComposeOptions | undefined;
  readonly customModel: string;
  readonly variants: number;
  readonly editOf?: { readonly id: string; readonly src: string };
  readonly search: string;
  /** false: this request leaves the workspace's style out (it is on unless switched off). */
  readonly applyStyle?: boolean;
  /** The transparency switch as the user set it; undefined: as `illustrate.transparentBackground` says. */
  readonly transparent?: boolean;
  /** The dark-twin switch as the user set it; undefined: as `illustrate.variants.dark` says. */
  readonly dark?: boolean;
}

export interface Slot {
  readonly image?: ImageView;
  readonly error?: string;
  readonly progress?: string;
}

export interface Run {
  readonly entryId: string;
  readonly prompt: string;
  readonly started: number;
  readonly slots: readonly Slot[];
  readonly done: boolean;
}

export interface StudioState {
  readonly composer: Composer;
  readonly models: readonly ModelView[];
  readonly prices: PriceTable;
  readonly history: readonly EntryView[];
  readonly references: readonly ReferenceView[];
  /** The workspace's style, as the settings have it. */
  readonly style: StyleView;
  /** `illustrate.transparentBackground`: where the transparency switch starts. */
  readonly transparentDefault: boolean;
  /** `illustrate.variants.dark`: where the dark-twin switch starts. */
  readonly darkDefault: boolean;
  readonly current: Run | undefined;
  readonly notice: { readonly level: 'info' | 'error'; readonly message: string } | undefined;
  /** From sending Generate until the extension answers: a double Ctrl+Enter sends one request. */
  readonly requested: boolean;
  /** Whether the composer came from the saved state (then the settings' defaults do not replace it). */
  readonly restored: boolean;
}

/** The state a page starts with: the saved composer when there is one. */
export function initialState(saved: unknown): StudioState {
  const restored = isComposer(saved);
  return {
    composer: restored ? saved : { prompt: '', options: undefined, customModel: '', variants: 1, search: '' },
    models: [],
    prices: {},
    history: [],
    references: [],
    style: { text: '', references: [] },
    transparentDefault: false,
    darkDefault: false,
    current: undefined,
    notice: undefined,
    requested: false,
    restored,
  };
}

function isComposer(v: unknown): v is Composer {
  if (typeof v !== 'object' || v === null) {
    return false;
  }
  const c = v as Record<string, unknown>;
  return typeof c.prompt === 'string' && typeof c.customModel === 'string' && typeof c.variants === 'number' && typeof c.search === 'string';
}

/** The composer with `model` chosen: a known id as itself, any other as the custom id. */
export function withModel(state: StudioState, composer: Composer, model: string): Composer {
  const known = state.models.some((m) => m.id === model);
  const options = composer.options ?? { model, aspectRatio: '', imageSize: '', thinkingLevel: 'minimal', includeText: false };
  return { ...composer, options: { ...options, model: known ? model : CUSTOM }, customModel: known ? composer.customModel : model };
}

function setSlot(run: Run | undefined, entryId: string, index: number, slot: Slot): Run | undefined {
  if (!run || run.entryId !== entryId) {
    return run;
  }
  return { ...run, slots: run.slots.map((s, i) => (i === index ? { ...s, ...slot } : s)) };
}

/** The state with the image `id` changed by `change` wherever it shows (the current run, the history); `settled`: its slot's progress line is over. */
function withImage(state: StudioState, id: string, change: (image: ImageView) => ImageView, settled = false): StudioState {
  const mark = (i: ImageView): ImageView => (i.id === id ? change(i) : i);
  return {
    ...state,
    history: state.history.map((e) => ({ ...e, images: e.images.map(mark) })),
    current: state.current && { ...state.current, slots: state.current.slots.map((s) => (s.image ? { ...s, image: mark(s.image), ...(settled && s.image.id === id ? { progress: undefined } : {}) } : s)) },
  };
}

/** The state after one message from the extension. */
export function reduce(state: StudioState, m: ExtensionMessage, now = Date.now()): StudioState {
  switch (m.type) {
    case 'init': {
      const next = { ...state, models: m.models, prices: m.prices, history: m.history, references: m.references, style: m.style ?? { text: '', references: [] }, transparentDefault: m.transparent === true, darkDefault: m.dark === true };
      let composer = state.composer;
      if (!state.restored || !composer.options) {
        composer = withModel(next, { ...composer, options: { ...m.defaults } }, m.defaults.model);
      }
      if (m.prompt) {
        composer = { ...composer, prompt: m.prompt };
      }
      // Later inits (a reload of the data) keep what the user has composed since.
      return { ...next, composer, restored: true };
    }
    case 'model':
      return { ...state, composer: withModel(state, state.composer, m.model) };
    case 'references':
      return { ...state, references: m.references };
    case 'started':
      return { ...state, requested: false, current: { entryId: m.entryId, prompt: m.prompt, started: now, slots: Array.from({ length: m.variants }, () => ({})), done: false } };
    case 'progress':
      return { ...state, current: setSlot(state.current, m.entryId, m.index, { progress: m.text }) };
    case 'variant':
      return { ...state, current: setSlot(state.current, m.entryId, m.index, { image: m.image, progress: undefined }) };
    case 'variantFailed':
      return { ...state, current: setSlot(state.current, m.entryId, m.index, { error: m.message }) };
    case 'finished':
      return { ...state, requested: false, current: state.current?.entryId === m.entryId ? { ...state.current, done: true } : state.current };
    case 'history':
      return { ...state, history: m.history };
    case 'imageSaved':
      return withImage(state, m.imageId, (i) => ({ ...i, savedAs: m.savedAs, savedWeight: m.savedWeight }));
    case 'reviewed':
      return withImage(state, m.imageId, (i) => ({ ...i, review: m.review }));
    case 'darkTwin':
      // The twin is in (or failed): its card shows it, and the variant's "making its dark twin" is over.
      return withImage(state, m.image.id, (i) => ({ ...m.image, review: m.image.review ?? i.review }), true);
    case 'notice':
      return { ...state, requested: false, notice: m.message ? { level: m.level, message: m.message } : undefined };
    case 'done':
      return state.requested && !m.ok ? { ...state, requested: false } : state;
    default:
      return state;
  }
}

/** The model the composer has chosen, when it is a known one. */
export function chosenModel(state: StudioState): ModelView | undefined {
  const id = state.composer.options?.model;
  return state.models.find((m) => m.id === id);
}

/** The options Generate sends: the custom id in place of the "custom" choice. */
export function effectiveOptions(state: StudioState): ComposeOptions | undefined {
  const o = state.composer.options;
  if (!o) {
    return undefined;
  }
  const custom = o.model === CUSTOM || !state.models.some((m) => m.id === o.model);
  return { ...o, model: custom ? state.composer.customModel.trim() : o.model };
}

/** The cost line under the composer. */
export function estimateText(state: StudioState): string {
  const o = effectiveOptions(state);
  const { variants } = state.composer;
  const requests = variants === 1 ? l10n.t('1 request') : l10n.t('{0} parallel requests', variants);
  const first = o && estimateCost(o.model, o.imageSize, state.composer.prompt, state.references.length + (state.composer.editOf ? 1 : 0), variants, state.prices);
  // A transparent variant is a second call too: the first render edited onto black.
  const second = o && transparentAsked(state) ? estimateCost(o.model, o.imageSize, '', 1, variants, state.prices) : 0;
  // A dark twin is one more image edit of each variant.
  const twin = o && darkAsked(state) ? estimateCost(o.model, o.imageSize, '', 1, variants, state.prices) : 0;
  const cost = first === undefined || second === undefined || twin === undefined ? undefined : first + second + twin;
  return cost === undefined ? l10n.t('Estimated cost: unknown for this model ({0})', requests) : l10n.t('Estimated cost: {0} for {1}', formatCost(cost), requests);
}

/** Whether this request's variants get transparent backgrounds: the switch, else the setting; an edit never. */
export function transparentAsked(state: StudioState): boolean {
  return !state.composer.editOf && (state.composer.transparent ?? state.transparentDefault);
}

/** Whether this request's variants get their dark twins: the switch, else `illustrate.variants.dark`. */
export function darkAsked(state: StudioState): boolean {
  return state.composer.dark ?? state.darkDefault;
}

/** Whether Generate may be sent now, or the notice that says why not. */
export function checkGenerate(state: StudioState): { readonly ok: true; readonly options: ComposeOptions } | { readonly ok: false; readonly notice?: string } {
  if (state.requested || (state.current && !state.current.done)) {
    return { ok: false };
  }
  const options = effectiveOptions(state);
  if (!state.composer.prompt.trim()) {
    return { ok: false, notice: l10n.t('Write a prompt first.') };
  }
  if (!options?.model) {
    return { ok: false, notice: l10n.t('Enter a custom model id, or pick a known model.') };
  }
  return { ok: true, options };
}
