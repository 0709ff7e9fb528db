/**
 * The Image Studio's browser side. It renders the composer, results and history, and talks to the
 * extension only through the typed protocol; it never sees the API key and never calls the API.
 */
import type { ExtensionMessage, WebviewMessage } from '../studio/protocol';
import { renderComposer } from './composer';
import { h } from './dom';
import { renderCurrent, renderHistory } from './results';
import { checkGenerate, Composer, estimateText, initialState, reduce, StudioState } from './state';
import type { Ui } from './ui';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
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
    ui.send({ type: 'generate', prompt: composer.prompt, options: check.options, variants: composer.variants, references: state.references.map((r) => r.id), editOf: composer.editOf?.id });
  },
};

function render(): void {
  const app = document.getElementById('app')!;
  const focusedId = (document.activeElement as HTMLElement | null)?.id;
  app.replaceChildren(
    h('h1', {}, 'Image Studio'),
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

window.addEventListener('message', (event: MessageEvent<ExtensionMessage>) => receive(event.data));

// The elapsed seconds of the variants still running.
setInterval(() => {
  const run = state.current;
  if (run && !run.done) {
    document.querySelectorAll<HTMLElement>('.pending .elapsed').forEach((el) => {
      const i = Number(el.parentElement?.dataset.variant ?? 0);
      el.textContent = `Variant ${i + 1}: ${Math.round((Date.now() - run.started) / 1000)} s`;
    });
  }
}, 1000);

// The page carries what the first paint needs: the composer and the history show before any round trip.
const embedded = document.getElementById('illustrate-init')?.textContent;
if (embedded) {
  receive(JSON.parse(embedded) as ExtensionMessage);
} else {
  render();
}
// "ready" once painted: the extension (and the benchmark) know the panel is on screen.
requestAnimationFrame(() => setTimeout(() => ui.send({ type: 'ready' }), 0));
