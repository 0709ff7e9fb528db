/** The composer: prompt, model, size, thinking, variants, aspect ratio, references, Generate. */
import * as l10n from '@vscode/l10n';
import { ALL_SIZES, COMMON_RATIOS, MAX_REFERENCE_BYTES, MAX_REFERENCES } from '../core/api/models';
import { ComposeOptions, MAX_VARIANTS } from '../studio/protocol';
import { fieldRow, h, ratioShape, select } from './dom';
import { chosenModel, CUSTOM, darkAsked, estimateText, transparentAsked } from './state';
import type { Ui } from './ui';

const FROM_ENDPOINT = '__endpoint__';

export function renderComposer(ui: Ui): HTMLElement {
  const state = ui.state.composer;
  const options = state.options ?? { model: '', aspectRatio: '', imageSize: '', thinkingLevel: 'minimal' as const, includeText: false };
  const { models, references } = ui.state;
  const m = chosenModel(ui.state);
  const isCustom = !models.some((x) => x.id === options.model);
  const prompt = h('vscode-textarea', {
    id: 'prompt',
    label: l10n.t('Prompt'),
    rows: 4,
    resize: 'vertical',
    placeholder: state.editOf ? l10n.t('Describe the change (Ctrl+Enter generates)') : l10n.t('Describe the image (Ctrl+Enter generates)'),
    oninput: (e: Event) => ui.compose({ prompt: (e.target as HTMLTextAreaElement).value }, false),
    onkeydown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        ui.generate();
      }
    },
  });
  (prompt as unknown as { value: string }).value = state.prompt;

  const modelSelect = select(
    l10n.t('Model'),
    isCustom ? CUSTOM : options.model,
    [...models.map((x) => ({ value: x.id, label: `${x.label} — ${x.id}` })), { value: CUSTOM, label: l10n.t('Custom model id…') }, { value: FROM_ENDPOINT, label: l10n.t('Choose from the endpoint…') }],
    (v) => {
      if (v === FROM_ENDPOINT) {
        ui.send({ type: 'chooseModel' });
        ui.compose({});
        return;
      }
      const next = models.find((x) => x.id === v);
      let chosen: ComposeOptions = { ...options, model: v };
      if (next && !next.ratios.includes(chosen.aspectRatio)) {
        chosen = { ...chosen, aspectRatio: next.ratios.includes('16:9') ? '16:9' : next.ratios[0] };
      }
      if (next && next.sizes.length && !(next.sizes as readonly string[]).includes(chosen.imageSize)) {
        chosen = { ...chosen, imageSize: next.sizes.includes('1K') ? '1K' : next.sizes[0] };
      }
      ui.compose({ options: chosen });
    },
    'model',
  );
  const custom = isCustom
    ? h('vscode-textfield', {
        label: l10n.t('Custom model id'),
        placeholder: l10n.t('e.g. gemini-3.1-flash-image'),
        value: state.customModel,
        oninput: (e: Event) => ui.compose({ customModel: (e.target as HTMLInputElement).value }, false),
      })
    : undefined;

  const ratios = m ? m.ratios : COMMON_RATIOS;
  const ratioGroup = h('div', { className: 'ratios', role: 'radiogroup', 'aria-label': l10n.t('Aspect ratio') });
  for (const r of ratios) {
    const checked = r === options.aspectRatio;
    ratioGroup.append(
      h(
        'button',
        {
          type: 'button',
          role: 'radio',
          className: checked ? 'ratio checked' : 'ratio',
          'aria-checked': checked ? 'true' : 'false',
          'aria-label': l10n.t('Aspect ratio {0}', r),
          title: r,
          onclick: () => {
            ui.compose({ options: { ...options, aspectRatio: r } });
            (document.querySelector(`button[aria-label="Aspect ratio ${r}"]`) as HTMLElement | null)?.focus();
          },
        },
        ratioShape(r),
        h('span', {}, r),
      ),
    );
  }
  const sizes: readonly string[] = m ? m.sizes : ALL_SIZES;
  const size = sizes.length
    ? select(l10n.t('Size'), options.imageSize, sizes.map((s) => ({ value: s, label: s })), (v) => ui.compose({ options: { ...options, imageSize: v } }, false))
    : h('p', { className: 'hint' }, l10n.t('This model chooses its own size.'));
  const thinking = select(l10n.t('Thinking level'), options.thinkingLevel, [
    { value: 'minimal', label: l10n.t('Minimal (faster)') },
    { value: 'high', label: l10n.t('High (follows complex prompts)') },
  ], (v) => ui.compose({ options: { ...options, thinkingLevel: v === 'high' ? 'high' : 'minimal' } }, false));
  const includeText = h('vscode-checkbox', {
    label: l10n.t("Include the model's text"),
    checked: options.includeText,
    onchange: (e: Event) => ui.compose({ options: { ...options, includeText: (e.target as HTMLInputElement).checked } }, false),
  });
  const variants = select(l10n.t('Variants'), String(state.variants), ['1', '2', '3', '4'].map((v) => ({ value: v, label: v === '1' ? l10n.t('1 image') : l10n.t('{0} images', v) })), (v) => ui.compose({ variants: Math.min(MAX_VARIANTS, Math.max(1, Number(v) || 1)) }, false));

  const refs = h('div', { className: 'references', 'aria-label': l10n.t('Reference images') });
  for (const r of references) {
    refs.append(
      h('figure', { className: 'ref' }, h('img', { src: r.src, alt: r.name }), h('figcaption', {}, r.name), h('vscode-button', { secondary: true, 'aria-label': l10n.t('Remove {0}', r.name), onclick: () => ui.send({ type: 'removeReference', id: r.id }) }, l10n.t('Remove'))),
    );
  }
  const max = m?.maxReferences ?? MAX_REFERENCES;
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
          ui.send({ type: 'dropReferences', uris: uris.slice(0, MAX_REFERENCES) });
        }
      },
    },
    h('vscode-button', { secondary: true, onclick: () => ui.send({ type: 'pickReferences' }) }, l10n.t('Add Reference Images…')),
    h('span', { className: 'hint' }, l10n.t(' or drop images here (Shift-drag from the Explorer). Up to {0} for this model, {1} MB each.', max, MAX_REFERENCE_BYTES / 1048576)),
  );

  const editing = state.editOf
    ? h(
        'div',
        { className: 'editing', role: 'status' },
        h('img', { src: state.editOf.src, alt: l10n.t('The image being edited') }),
        h('span', {}, l10n.t('Editing this image: the next Generate sends it back to the model with your new prompt.')),
        h('vscode-button', { secondary: true, onclick: () => ui.compose({ editOf: undefined }) }, l10n.t('Stop Editing')),
      )
    : undefined;

  // The workspace's style, applied unless switched off for this request.
  const { style } = ui.state;
  const styleParts = [style.text ? `“${style.text.length > 80 ? `${style.text.slice(0, 79)}…` : style.text}”` : '', style.references.length ? l10n.t('{0} reference image(s) ({1})', style.references.length, style.references.join(', ')) : '']
    .filter(Boolean)
    .join(' + ');
  const styleToggle = styleParts
    ? h('vscode-checkbox', {
        id: 'applyStyle',
        label: l10n.t('Apply the workspace style: {0}', styleParts),
        checked: state.applyStyle !== false,
        onchange: (e: Event) => ui.compose({ applyStyle: (e.target as HTMLInputElement).checked }, false),
      })
    : undefined;

  // A new picture only: an edit goes back to the model as its own answer, with the background it has.
  const transparentToggle = state.editOf
    ? undefined
    : h('vscode-checkbox', {
        id: 'transparent',
        label: l10n.t('Transparent background (two image calls per variant: on white, then on black)'),
        checked: transparentAsked(ui.state),
        onchange: (e: Event) => ui.compose({ transparent: (e.target as HTMLInputElement).checked }, false),
      });

  // Each variant's dark-mode twin, by one more image edit; Insert writes both and the page's switching markup.
  const darkToggle = h('vscode-checkbox', {
    id: 'dark',
    label: l10n.t('Dark-mode twin (one more image edit per variant: the same picture for dark pages)'),
    checked: darkAsked(ui.state),
    onchange: (e: Event) => ui.compose({ dark: (e.target as HTMLInputElement).checked }, false),
  });

  const running = Boolean(ui.state.current && !ui.state.current.done);
  return h(
    'section',
    { className: 'composer', 'aria-label': l10n.t('Compose') },
    editing,
    prompt,
    h('div', { className: 'grid' }, fieldRow(l10n.t('Model'), modelSelect), custom && fieldRow(l10n.t('Custom model id'), custom), fieldRow(l10n.t('Size'), size), fieldRow(l10n.t('Thinking'), thinking), fieldRow(l10n.t('Variants'), variants)),
    h('div', { className: 'field' }, h('span', { className: 'field-label', 'aria-hidden': 'true' }, l10n.t('Aspect ratio')), ratioGroup),
    includeText,
    styleToggle,
    transparentToggle,
    darkToggle,
    h('div', { className: 'field' }, h('span', { className: 'field-label', 'aria-hidden': 'true' }, l10n.t('References')), refs, dropZone),
    h('p', { id: 'estimate', className: 'estimate', 'aria-live': 'polite' }, estimateText(ui.state)),
    h(
      'div',
      { className: 'actions' },
      h('vscode-button', { id: 'generate', disabled: running, onclick: () => ui.generate() }, l10n.t('Generate')),
      h('vscode-button', { id: 'cancel', secondary: true, disabled: !running, onclick: () => ui.send({ type: 'cancel' }) }, l10n.t('Cancel')),
    ),
  );
}
