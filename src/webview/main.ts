/**
 * The Image Studio's browser side. It renders the composer, results and history, and talks to the
 * extension only through the typed protocol; it never sees the API key and never calls the API.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { estimateCost, formatCost } from '../core/pricing';
import type { ComposeOptions, EntryView, ExtensionMessage, ImageView, ModelView, ReferenceView, WebviewMessage } from '../studio/protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

interface SavedState {
  prompt: string;
  options: ComposeOptions;
  customModel: string;
  variants: number;
  editOf?: { id: string; src: string };
  search: string;
}

interface Slot {
  image?: ImageView;
  error?: string;
  progress?: string;
}

const CUSTOM = '__custom__';
const FROM_ENDPOINT = '__endpoint__';

let models: readonly ModelView[] = [];
let prices: Readonly<Record<string, { inputPerMillion: number; outputPerMillion: number }>> = {};
let history: readonly EntryView[] = [];
let references: readonly ReferenceView[] = [];
let current: { entryId: string; prompt: string; started: number; slots: Slot[]; done: boolean } | undefined;
let notice: { level: 'info' | 'error'; message: string } | undefined;
let state: SavedState = {
  prompt: '',
  options: { model: 'gemini-3.1-flash-image-preview', aspectRatio: '16:9', imageSize: '1K', thinkingLevel: 'minimal', includeText: false },
  customModel: '',
  variants: 1,
  search: '',
};

const restored = vscode.getState() as SavedState | undefined;
if (restored && typeof restored === 'object' && typeof restored.prompt === 'string') {
  state = { ...state, ...restored };
}

function save(): void {
  vscode.setState(state);
}

function send(message: WebviewMessage): void {
  vscode.postMessage(message);
}

/** A tiny element builder: tag, attributes/properties, children. */
function h(tag: string, props: Record<string, unknown> = {}, ...children: (Node | string | undefined | false)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === false) {
      continue;
    }
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v as EventListener);
    } else if (k === 'className') {
      el.className = String(v);
    } else if (k in el) {
      (el as unknown as Record<string, unknown>)[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children) {
    if (c !== undefined && c !== false) {
      el.append(c);
    }
  }
  return el;
}

function model(): ModelView | undefined {
  return models.find((m) => m.id === state.options.model);
}

function effectiveOptions(): ComposeOptions {
  const custom = !models.some((m) => m.id === state.options.model) || state.options.model === CUSTOM;
  return { ...state.options, model: custom ? state.customModel.trim() : state.options.model };
}

function estimate(): string {
  const o = effectiveOptions();
  const cost = estimateCost(o.model, o.imageSize, state.prompt, references.length + (state.editOf ? 1 : 0), state.variants, prices);
  const requests = state.variants === 1 ? '1 request' : `${state.variants} parallel requests`;
  return cost === undefined ? `Estimated cost: unknown for this model (${requests})` : `Estimated cost: ${formatCost(cost)} for ${requests}`;
}

function ratioShape(ratio: string): HTMLElement {
  const [w, hgt] = ratio.split(':').map(Number);
  const scale = 14 / Math.max(w, hgt);
  const shape = h('span', { className: 'shape', 'aria-hidden': 'true' });
  // Through the CSSOM: the CSP allows no inline style attributes.
  shape.style.width = `${Math.max(2, Math.round(w * scale))}px`;
  shape.style.height = `${Math.max(2, Math.round(hgt * scale))}px`;
  return shape;
}

function select(label: string, value: string, options: { value: string; label: string }[], onChange: (v: string) => void, id?: string): HTMLElement {
  const sel = h('vscode-single-select', { label, id, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) });
  for (const o of options) {
    sel.append(h('vscode-option', { value: o.value, selected: o.value === value }, o.label));
  }
  (sel as unknown as { value: string }).value = value;
  return sel;
}

function fieldRow(labelText: string, control: HTMLElement): HTMLElement {
  return h('div', { className: 'field' }, h('span', { className: 'field-label', 'aria-hidden': 'true' }, labelText), control);
}

function renderComposer(): HTMLElement {
  const m = model();
  const knownIds = models.map((x) => x.id);
  const isCustom = !knownIds.includes(state.options.model);
  const prompt = h('vscode-textarea', {
    id: 'prompt',
    label: 'Prompt',
    rows: 4,
    resize: 'vertical',
    placeholder: state.editOf ? 'Describe the change (Ctrl+Enter generates)' : 'Describe the image (Ctrl+Enter generates)',
    oninput: (e: Event) => {
      state.prompt = (e.target as HTMLTextAreaElement).value;
      save();
      updateEstimate();
    },
    onkeydown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        generate();
      }
    },
  });
  (prompt as unknown as { value: string }).value = state.prompt;

  const modelSelect = select(
    'Model',
    isCustom ? CUSTOM : state.options.model,
    [...models.map((x) => ({ value: x.id, label: `${x.label} — ${x.id}` })), { value: CUSTOM, label: 'Custom model id…' }, { value: FROM_ENDPOINT, label: 'Choose from the endpoint…' }],
    (v) => {
      if (v === FROM_ENDPOINT) {
        send({ type: 'chooseModel' });
        render();
        return;
      }
      state.options = { ...state.options, model: v === CUSTOM ? state.customModel || CUSTOM : v };
      const next = model();
      if (next && !next.ratios.includes(state.options.aspectRatio)) {
        state.options = { ...state.options, aspectRatio: next.ratios.includes('16:9') ? '16:9' : next.ratios[0] };
      }
      if (next && next.sizes.length && !next.sizes.includes(state.options.imageSize)) {
        state.options = { ...state.options, imageSize: '1K' };
      }
      save();
      render();
    },
    'model',
  );
  const custom = isCustom
    ? h('vscode-textfield', {
        label: 'Custom model id',
        placeholder: 'e.g. gemini-3.1-flash-image',
        value: state.customModel,
        oninput: (e: Event) => {
          state.customModel = (e.target as HTMLInputElement).value;
          save();
          updateEstimate();
        },
      })
    : undefined;

  const ratios = m ? m.ratios : ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];
  const ratioGroup = h('div', { className: 'ratios', role: 'radiogroup', 'aria-label': 'Aspect ratio' });
  for (const r of ratios) {
    const checked = r === state.options.aspectRatio;
    ratioGroup.append(
      h(
        'button',
        {
          type: 'button',
          role: 'radio',
          className: checked ? 'ratio checked' : 'ratio',
          'aria-checked': checked ? 'true' : 'false',
          'aria-label': `Aspect ratio ${r}`,
          title: r,
          onclick: () => {
            state.options = { ...state.options, aspectRatio: r };
            save();
            render();
            (document.querySelector(`button[aria-label="Aspect ratio ${r}"]`) as HTMLElement | null)?.focus();
          },
        },
        ratioShape(r),
        h('span', {}, r),
      ),
    );
  }
  const sizes = m ? m.sizes : ['512', '1K', '2K', '4K'];
  const size = sizes.length
    ? select('Size', state.options.imageSize, sizes.map((s) => ({ value: s, label: s })), (v) => {
        state.options = { ...state.options, imageSize: v };
        save();
        updateEstimate();
      })
    : h('p', { className: 'hint' }, 'This model makes 1K images only.');
  const thinking = select('Thinking level', state.options.thinkingLevel, [
    { value: 'minimal', label: 'Minimal (faster)' },
    { value: 'high', label: 'High (follows complex prompts)' },
  ], (v) => {
    state.options = { ...state.options, thinkingLevel: v === 'high' ? 'high' : 'minimal' };
    save();
  });
  const includeText = h('vscode-checkbox', {
    label: "Include the model's text",
    checked: state.options.includeText,
    onchange: (e: Event) => {
      state.options = { ...state.options, includeText: (e.target as HTMLInputElement).checked };
      save();
    },
  });
  const variants = select('Variants', String(state.variants), ['1', '2', '3', '4'].map((v) => ({ value: v, label: v === '1' ? '1 image' : `${v} images` })), (v) => {
    state.variants = Math.min(4, Math.max(1, Number(v) || 1));
    save();
    updateEstimate();
  });

  const refs = h('div', { className: 'references', 'aria-label': 'Reference images' });
  for (const r of references) {
    refs.append(
      h('figure', { className: 'ref' }, h('img', { src: r.src, alt: r.name }), h('figcaption', {}, r.name), h('vscode-button', { secondary: true, 'aria-label': `Remove ${r.name}`, onclick: () => send({ type: 'removeReference', id: r.id }) }, 'Remove')),
    );
  }
  const max = m?.maxReferences ?? 14;
  const dropZone = h(
    'div',
    {
      className: 'drop',
      ondragover: (e: DragEvent) => {
        e.preventDefault();
        (e.currentTarget as HTMLElement).classList.add('over');
      },
      ondragleave: (e: DragEvent) => (e.currentTarget as HTMLElement).classList.remove('over'),
      ondrop: (e: DragEvent) => {
        e.preventDefault();
        (e.currentTarget as HTMLElement).classList.remove('over');
        const list = e.dataTransfer?.getData('text/uri-list') || e.dataTransfer?.getData('application/vnd.code.uri-list') || '';
        const uris = list.split(/\r?\n/).map((u) => u.trim()).filter((u) => u && !u.startsWith('#'));
        if (uris.length) {
          send({ type: 'dropReferences', uris: uris.slice(0, 14) });
        }
      },
    },
    h('vscode-button', { secondary: true, onclick: () => send({ type: 'pickReferences' }) }, 'Add Reference Images…'),
    h('span', { className: 'hint' }, ` or drop images here (Shift-drag from the Explorer). Up to ${max} for this model, 7 MB each.`),
  );

  const editing = state.editOf
    ? h(
        'div',
        { className: 'editing', role: 'status' },
        h('img', { src: state.editOf.src, alt: 'The image being edited' }),
        h('span', {}, 'Editing this image: the next Generate sends it back to the model with your new prompt.'),
        h('vscode-button', { secondary: true, onclick: () => { state.editOf = undefined; save(); render(); } }, 'Stop Editing'),
      )
    : undefined;

  const running = Boolean(current && !current.done);
  return h(
    'section',
    { className: 'composer', 'aria-label': 'Compose' },
    editing,
    prompt,
    h('div', { className: 'grid' }, fieldRow('Model', modelSelect), custom && fieldRow('Custom model id', custom), fieldRow('Size', size), fieldRow('Thinking', thinking), fieldRow('Variants', variants)),
    h('div', { className: 'field' }, h('span', { className: 'field-label', 'aria-hidden': 'true' }, 'Aspect ratio'), ratioGroup),
    includeText,
    h('div', { className: 'field' }, h('span', { className: 'field-label', 'aria-hidden': 'true' }, 'References'), refs, dropZone),
    h('p', { id: 'estimate', className: 'estimate', 'aria-live': 'polite' }, estimate()),
    h(
      'div',
      { className: 'actions' },
      h('vscode-button', { id: 'generate', disabled: running, onclick: () => generate() }, 'Generate'),
      h('vscode-button', { id: 'cancel', secondary: true, disabled: !running, onclick: () => send({ type: 'cancel' }) }, 'Cancel'),
    ),
  );
}

function updateEstimate(): void {
  const el = document.getElementById('estimate');
  if (el) {
    el.textContent = estimate();
  }
}

/** Set from sending Generate until the extension answers, so a double Ctrl+Enter sends one request. */
let requested = false;

function generate(): void {
  if (requested || (current && !current.done)) {
    return;
  }
  const options = effectiveOptions();
  if (!state.prompt.trim()) {
    notice = { level: 'error', message: 'Write a prompt first.' };
    render();
    return;
  }
  if (!options.model) {
    notice = { level: 'error', message: 'Enter a custom model id, or pick a known model.' };
    render();
    return;
  }
  notice = undefined;
  requested = true;
  send({ type: 'generate', prompt: state.prompt, options, variants: state.variants, references: references.map((r) => r.id), editOf: state.editOf?.id });
}

function kb(bytes: number): string {
  return bytes > 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

function imageCard(image: ImageView, prompt: string, entryId: string): HTMLElement {
  const act = (action: 'insert' | 'save' | 'copyLink' | 'reveal') => () => send({ type: 'image', action, imageId: image.id });
  return h(
    'figure',
    { className: 'result', 'data-image-id': image.id },
    h('img', { src: image.src, alt: prompt, width: image.width, height: image.height }),
    h(
      'figcaption',
      {},
      h('span', { className: 'meta' }, `${image.width}×${image.height} ${image.format.toUpperCase()} · ${kb(image.bytes)} · ${image.tokens.toLocaleString()} tokens · ${image.cost}`),
      image.savedAs ? h('span', { className: 'saved' }, ` · saved as ${image.savedAs}`) : undefined,
    ),
    image.texts.length ? h('details', {}, h('summary', {}, "The model's text"), h('p', {}, image.texts.join('\n\n'))) : undefined,
    image.thoughts.length ? h('details', {}, h('summary', {}, "The model's thoughts"), h('p', {}, image.thoughts.join('\n\n'))) : undefined,
    h(
      'div',
      { className: 'actions' },
      h('vscode-button', { onclick: act('insert') }, 'Insert'),
      h('vscode-button', { secondary: true, onclick: act('save') }, 'Save to Workspace'),
      h('vscode-button', { secondary: true, onclick: act('copyLink') }, 'Copy Markdown Link'),
      h('vscode-button', { secondary: true, onclick: act('reveal') }, image.savedAs ? 'Reveal' : 'Open'),
      h('vscode-button', {
        secondary: true,
        onclick: () => {
          state.editOf = { id: image.id, src: image.src };
          state.prompt = '';
          save();
          render();
          (document.getElementById('prompt') as HTMLElement | null)?.focus();
        },
      }, 'Edit'),
      h('vscode-button', { secondary: true, onclick: () => send({ type: 'regenerate', entryId }) }, 'Regenerate'),
    ),
  );
}

function renderCurrent(): HTMLElement | undefined {
  if (!current) {
    return undefined;
  }
  const c = current;
  const section = h('section', { className: 'current', 'aria-label': 'Results' }, h('h2', {}, c.done ? 'Results' : 'Generating…'));
  const grid = h('div', { className: 'results' });
  c.slots.forEach((slot, i) => {
    if (slot.image) {
      grid.append(imageCard(slot.image, c.prompt, c.entryId));
    } else if (slot.error) {
      grid.append(h('div', { className: 'failed', role: 'alert' }, h('strong', {}, `Variant ${i + 1} failed. `), slot.error));
    } else {
      grid.append(h('div', { className: 'pending', 'data-variant': String(i) }, h('span', { className: 'elapsed' }, `Variant ${i + 1}: ${Math.round((Date.now() - c.started) / 1000)} s`), slot.progress ? ` — ${slot.progress}` : ''));
    }
  });
  section.append(grid);
  return section;
}

function renderHistory(): HTMLElement {
  const search = h('vscode-textfield', {
    label: 'Search history',
    placeholder: 'Search history by prompt',
    value: state.search,
    oninput: (e: Event) => {
      state.search = (e.target as HTMLInputElement).value;
      save();
      const list = document.getElementById('history-list');
      list?.replaceWith(historyList());
    },
  });
  const historyList = (): HTMLElement => {
    const qq = state.search.trim().toLowerCase();
    const list = h('ol', { id: 'history-list', className: 'history' });
    for (const e of history.filter((x) => !qq || x.prompt.toLowerCase().includes(qq))) {
      list.append(
        h(
          'li',
          { className: 'entry', 'data-entry-id': e.id },
          h('div', { className: 'entry-head' }, h('strong', {}, e.prompt), h('span', { className: 'meta' }, ` ${new Date(e.date).toLocaleString()} · ${e.options.model} · ${e.options.aspectRatio || 'auto'} · ${e.options.imageSize || '-'} · ${e.tokens.toLocaleString()} tokens · ${e.cost} · ${(e.durationMs / 1000).toFixed(1)} s${e.references.length ? ` · references: ${e.references.join(', ')}` : ''}`)),
          h('div', { className: 'results' }, ...e.images.map((i) => imageCard(i, e.prompt, e.id))),
          e.errors.length ? h('p', { className: 'failed' }, e.errors.join(' ')) : undefined,
          h(
            'div',
            { className: 'actions' },
            h('vscode-button', { secondary: true, onclick: () => { state.prompt = e.prompt; state.options = { ...e.options }; if (!models.some((m) => m.id === e.options.model)) { state.customModel = e.options.model; } save(); render(); } }, 'Load into Composer'),
            h('vscode-button', { secondary: true, onclick: () => send({ type: 'regenerate', entryId: e.id }) }, 'Re-run'),
            h('vscode-button', { secondary: true, onclick: () => send({ type: 'deleteEntry', entryId: e.id }) }, 'Delete'),
          ),
        ),
      );
    }
    if (!list.childElementCount) {
      list.append(h('li', { className: 'hint' }, history.length ? 'No generation matches the search.' : 'Nothing generated in this workspace yet.'));
    }
    return list;
  };
  return h('section', { className: 'history-section', 'aria-label': 'History' }, h('h2', {}, `History (${history.length})`), search, historyList());
}

function render(): void {
  const app = document.getElementById('app')!;
  const focusedId = (document.activeElement as HTMLElement | null)?.id;
  app.replaceChildren(
    h('h1', {}, 'Image Studio'),
    notice ? h('div', { className: `notice ${notice.level}`, role: notice.level === 'error' ? 'alert' : 'status' }, notice.message) : '',
    renderComposer(),
    renderCurrent() ?? '',
    renderHistory(),
  );
  app.setAttribute('aria-busy', 'false');
  if (focusedId) {
    document.getElementById(focusedId)?.focus();
  }
}

setInterval(() => {
  if (current && !current.done) {
    document.querySelectorAll<HTMLElement>('.pending .elapsed').forEach((el) => {
      const i = Number(el.parentElement?.dataset.variant ?? 0);
      el.textContent = `Variant ${i + 1}: ${Math.round((Date.now() - (current?.started ?? Date.now())) / 1000)} s`;
    });
  }
}, 1000);

/** Sets the composer's model (known, or as a custom id). */
function useModel(id: string): void {
  state.options = { ...state.options, model: models.some((x) => x.id === id) ? id : CUSTOM };
  if (!models.some((x) => x.id === id)) {
    state.customModel = id;
  }
}

window.addEventListener('message', (event: MessageEvent<ExtensionMessage>) => receive(event.data));

function receive(m: ExtensionMessage): void {
  switch (m.type) {
    case 'model':
      useModel(m.model);
      save();
      break;
    case 'init':
      models = m.models;
      prices = m.prices;
      history = m.history;
      references = m.references;
      if (!restored) {
        state.options = { ...m.defaults };
        useModel(m.defaults.model);
      }
      if (m.prompt) {
        state.prompt = m.prompt;
      }
      save();
      break;
    case 'references':
      references = m.references;
      break;
    case 'started':
      requested = false;
      current = { entryId: m.entryId, prompt: m.prompt, started: Date.now(), slots: Array.from({ length: m.variants }, () => ({})), done: false };
      notice = undefined;
      break;
    case 'progress':
      if (current?.entryId === m.entryId && current.slots[m.index]) {
        current.slots[m.index].progress = m.text;
      }
      break;
    case 'variant':
      if (current?.entryId === m.entryId && current.slots[m.index]) {
        current.slots[m.index] = { image: m.image };
      }
      break;
    case 'variantFailed':
      if (current?.entryId === m.entryId && current.slots[m.index]) {
        current.slots[m.index] = { error: m.message };
      }
      break;
    case 'finished':
      requested = false;
      if (current?.entryId === m.entryId) {
        current.done = true;
        if (state.editOf) {
          state.editOf = undefined;
          save();
        }
      }
      break;
    case 'history':
      history = m.history;
      break;
    case 'imageSaved': {
      const patch = (i: ImageView): ImageView => (i.id === m.imageId ? { ...i, savedAs: m.savedAs } : i);
      history = history.map((e) => ({ ...e, images: e.images.map(patch) }));
      if (current) {
        current.slots = current.slots.map((s) => (s.image ? { ...s, image: patch(s.image) } : s));
      }
      break;
    }
    case 'notice':
      requested = false;
      notice = m.message ? { level: m.level, message: m.message } : undefined;
      break;
    default:
      return;
  }
  render();
}

/** The page carries what the first paint needs: the composer and the history show before any round trip. */
const embedded = document.getElementById('illustrate-init')?.textContent;
if (embedded) {
  receive(JSON.parse(embedded) as ExtensionMessage);
} else {
  render();
}
// "ready" once painted: the extension (and the benchmark) know the panel is on screen.
requestAnimationFrame(() => setTimeout(() => send({ type: 'ready' }), 0));
