/** The results of the current run and the history: image cards with their actions. */
import * as l10n from '@vscode/l10n';
import type { ImageAction, ImageView } from '../studio/protocol';
import { h, kb } from './dom';
import { CUSTOM } from './state';
import type { Ui } from './ui';

/** A variant's verdict in one line: what a person reads before using it. */
function reviewText(review: NonNullable<ImageView['review']>): string {
  if (review.status === 'pass') {
    return l10n.t('✓ Review passed');
  }
  return review.status === 'fail' ? l10n.t('✗ Review failed: {0}', review.reasons.join('; ')) : l10n.t('Not reviewed: {0}', review.reasons.join('; '));
}

/** Under its variant: the dark twin's small preview (on a dark backdrop, as a dark page shows it), or why there is none, or that it is being made. */
function twinLine(image: ImageView, prompt: string, making?: string): HTMLElement | undefined {
  const { dark } = image;
  if (dark) {
    return h(
      'div',
      { className: 'twin' },
      h('img', { src: dark.src, alt: l10n.t('Dark-mode twin of: {0}', prompt), width: dark.width, height: dark.height }),
      h('span', { className: 'meta' }, l10n.t('Dark-mode twin · {0}×{1} {2} · {3} · {4}', dark.width, dark.height, dark.format.toUpperCase(), kb(dark.bytes), dark.cost)),
    );
  }
  if (image.darkError) {
    return h('p', { className: 'failed twin-failed', role: 'alert' }, image.darkError);
  }
  return making ? h('p', { className: 'hint twin-making' }, making) : undefined;
}

function imageCard(ui: Ui, image: ImageView, prompt: string, entryId: string, making?: string): HTMLElement {
  const act = (action: ImageAction) => () => ui.send({ type: 'image', action, imageId: image.id });
  return h(
    'figure',
    { className: 'result', 'data-image-id': image.id },
    h('img', { src: image.src, alt: prompt, width: image.width, height: image.height }),
    h(
      'figcaption',
      {},
      h('span', { className: 'meta' }, l10n.t('{0}×{1} {2} · {3} · {4} tokens · {5}', image.width, image.height, image.format.toUpperCase(), kb(image.bytes), image.tokens.toLocaleString(), image.cost)),
      image.savedAs ? h('span', { className: 'saved' }, image.savedWeight ? l10n.t(' · saved as {0} ({1})', image.savedAs, image.savedWeight) : l10n.t(' · saved as {0}', image.savedAs)) : undefined,
    ),
    twinLine(image, prompt, making),
    image.review ? h('p', { className: `review review-${image.review.status}` }, reviewText(image.review)) : undefined,
    image.texts.length ? h('details', {}, h('summary', {}, l10n.t('The model\'s text')), h('p', {}, image.texts.join('\n\n'))) : undefined,
    image.thoughts.length ? h('details', {}, h('summary', {}, l10n.t('The model\'s thoughts')), h('p', {}, image.thoughts.join('\n\n'))) : undefined,
    h(
      'div',
      { className: 'actions' },
      h('vscode-button', { onclick: act('insert') }, l10n.t('Insert')),
      h('vscode-button', { secondary: true, onclick: act('save') }, l10n.t('Save to Workspace')),
      h('vscode-button', { secondary: true, onclick: act('copyLink') }, l10n.t('Copy Markdown Link')),
      h('vscode-button', { secondary: true, onclick: act('reveal') }, image.savedAs ? l10n.t('Reveal') : l10n.t('Open')),
      h('vscode-button', {
        secondary: true,
        onclick: () => {
          ui.compose({ editOf: { id: image.id, src: image.src }, prompt: '' });
          (document.getElementById('prompt') as HTMLElement | null)?.focus();
        },
      }, l10n.t('Edit')),
      h('vscode-button', { secondary: true, onclick: () => ui.send({ type: 'regenerate', entryId }) }, l10n.t('Regenerate')),
    ),
  );
}

export function renderCurrent(ui: Ui): HTMLElement | undefined {
  const c = ui.state.current;
  if (!c) {
    return undefined;
  }
  const section = h('section', { className: 'current', 'aria-label': l10n.t('Results') }, h('h2', {}, c.done ? l10n.t('Results') : l10n.t('Generating…')));
  const grid = h('div', { className: 'results' });
  c.slots.forEach((slot, i) => {
    if (slot.image) {
      grid.append(imageCard(ui, slot.image, c.prompt, c.entryId, c.done ? undefined : slot.progress));
    } else if (slot.error) {
      grid.append(h('div', { className: 'failed', role: 'alert' }, h('strong', {}, l10n.t('Variant {0} failed. ', i + 1)), slot.error));
    } else {
      grid.append(h('div', { className: 'pending', 'data-variant': String(i) }, h('span', { className: 'elapsed' }, l10n.t('Variant {0}: {1} s', i + 1, Math.round((Date.now() - c.started) / 1000))), slot.progress ? ` — ${slot.progress}` : ''));
    }
  });
  section.append(grid);
  return section;
}

export function renderHistory(ui: Ui): HTMLElement {
  const { history, models } = ui.state;
  const search = h('vscode-textfield', {
    label: l10n.t('Search history'),
    placeholder: l10n.t('Search history by prompt'),
    value: ui.state.composer.search,
    oninput: (e: Event) => {
      ui.compose({ search: (e.target as HTMLInputElement).value }, false);
      const list = document.getElementById('history-list');
      list?.replaceWith(historyList());
    },
  });
  const historyList = (): HTMLElement => {
    const qq = ui.state.composer.search.trim().toLowerCase();
    const list = h('ol', { id: 'history-list', className: 'history' });
    for (const e of history.filter((x) => !qq || x.prompt.toLowerCase().includes(qq))) {
      list.append(
        h(
          'li',
          { className: 'entry', 'data-entry-id': e.id },
          h('div', { className: 'entry-head' }, h('strong', {}, e.prompt), h('span', { className: 'meta' }, ` ${new Date(e.date).toLocaleString()} · ${e.options.model} · ${e.options.aspectRatio || 'auto'} · ${e.options.imageSize || '-'} · ${e.tokens.toLocaleString()} tokens · ${e.cost} · ${(e.durationMs / 1000).toFixed(1)} s${e.references.length ? ` · references: ${e.references.join(', ')}` : ''}`)),
          h('div', { className: 'results' }, ...e.images.map((i) => imageCard(ui, i, e.prompt, e.id))),
          e.errors.length ? h('p', { className: 'failed' }, e.errors.join(' ')) : undefined,
          h(
            'div',
            { className: 'actions' },
            h('vscode-button', { secondary: true, onclick: () => ui.compose(models.some((m) => m.id === e.options.model) ? { prompt: e.prompt, options: { ...e.options } } : { prompt: e.prompt, options: { ...e.options, model: CUSTOM }, customModel: e.options.model }) }, l10n.t('Load into Composer')),
            h('vscode-button', { secondary: true, onclick: () => ui.send({ type: 'regenerate', entryId: e.id }) }, l10n.t('Re-run')),
            h('vscode-button', { secondary: true, onclick: () => ui.send({ type: 'deleteEntry', entryId: e.id }) }, l10n.t('Delete')),
          ),
        ),
      );
    }
    if (!list.childElementCount) {
      list.append(h('li', { className: 'hint' }, history.length ? l10n.t('No generation matches the search.') : l10n.t('Nothing generated in this workspace yet.')));
    }
    return list;
  };
  return h('section', { className: 'history-section', 'aria-label': l10n.t('History') }, h('h2', {}, l10n.t('History ({0})', history.length)), search, historyList());
}
