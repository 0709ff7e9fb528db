/**
 * The Image Studio's browser side. It renders the composer, results and history, and talks to the
 * extension only through the typed protocol; it never sees the API key and never calls the API.
 */
import * as l10n from '@vscode/l10n';
import type { ExtensionMessage, WebviewMessage } from '../studio/protocol';
import { renderComposer } from './composer';
import { h } from './dom';
import { renderCurrent, renderHistory } from './results';
import { checkGenerate, Composer, darkAsked, estimateText, initialState, reduce, StudioState, transparentAsked } from './state';
import type { Ui } from './ui';

// The user's language: the bundle the extension put in the page (none for English), before anything is drawn.
const l10nText = document.getElementById('illustrate-l10n')?.textContent;
if (l10nText) {
  l10n.config({ contents: JSON.parse(l10nText) as Record<string, string> });
}

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

/** The web components the views use (see elements.ts). */
const COMPONENTS = ['vscode-button', 'vscode-checkbox', 'vscode-option', 'vscode-single-select', 'vscode-textarea', 'vscode-textfield'];
let state: StudioState = initialState(vscode.getState());

const ui: Ui = {
  get state() {
    return state;
  },
  send: (message) => vscode.postMessage(message),
  compose(change: Partial<Composer>, rerender = true) {
    state = { ...state, composer: { ...state.composer, ...change } };
    vscode.setState(state.composer);
    if (rerender) {
      render();
    } else {
      const estimate = document.getElementById('estimate');
      if (estimate) {
        estimate.textContent = estimateText(state);
      }
    }
  },
  generate() {
    const check = checkGenerate(state);
    if (!check.ok) {
      if (check.notice) {
        state = { ...state, notice: { level: 'error', message: check.notice } };
        render();
      }
      return;
    }
    state = { ...state, notice: undefined, requested: true };
    const { composer } = state;
    ui.send({ type: 'generate', prompt: composer.prompt, options: check.options, variants: composer.variants, references: state.references.map((r) => r.id), editOf: composer.editOf?.id, applyStyle: composer.applyStyle === false ? false : undefined, transparent: transparentAsked(state) ? true : undefined, dark: darkAsked(state) ? true : undefined });
  },
};

function render(): void {
  const app = document.getElementById('app')!;
  const focusedId = (document.activeElement as HTMLElement | null)?.id;
  app.replaceChildren(
    h('h1', {}, l10n.t('Image Studio')),
    state.notice ? h('div', { className: `notice ${state.notice.level}`, role: state.notice.level === 'error' ? 'alert' : 'status' }, state.notice.message) : '',
    renderComposer(ui),
    renderCurrent(ui) ?? '',
    renderHistory(ui),
  );
  app.setAttribute('aria-busy', 'false');
  if (focusedId) {
    document.getElementById(focusedId)?.focus();
  }
}

function receive(message: ExtensionMessage): void {
  const next = reduce(state, message);
  if (next !== state) {
    state = next;
    vscode.setState(state.composer);
    render();
  }
}

window.addEventListener('message', (event: MessageEvent<ExtensionMessage>) => {
  // The reply to "ready" repeats what the page already carried: nothing to draw again.
  if (event.data.type === 'init' && embedded !== undefined && JSON.stringify(event.data) === embedded) {
    return;
  }
  receive(event.data);
});

// The elapsed seconds of the variants still running.
setInterval(() => {
  const run = state.current;
  if (run && !run.done) {
    document.querySelectorAll<HTMLElement>('.pending .elapsed').forEach((el) => {
      const i = Number(el.parentElement?.dataset.variant ?? 0);
      el.textContent = l10n.t('Variant {0}: {1} s', i + 1, Math.round((Date.now() - run.started) / 1000));
    });
  }
}, 1000);

// The page carries what the first paint needs: the composer and the history show before any round trip.
const embeddedText = document.getElementById('illustrate-init')?.textContent;
const embedded = embeddedText ? JSON.stringify(JSON.parse(embeddedText)) : undefined;
if (embeddedText) {
  receive(JSON.parse(embeddedText) as ExtensionMessage);
} else {
  render();
}
// The web components come in a second bundle after this first paint; once they are defined the page
// is drawn again, so every control is made by its component (not upgraded from an early guess).
void Promise.all(COMPONENTS.map((tag) => customElements.whenDefined(tag))).then(() => render());

// "ready" once painted: the extension (and the benchmark) know the panel is on screen.
requestAnimationFrame(() => setTimeout(() => ui.send({ type: 'ready' }), 0));
