/** The composer: prompt, model, size, thinking, variants, aspect ratio, references, Generate. */
import { ALL_SIZES, COMMON_RATIOS, MAX_REFERENCE_BYTES, MAX_REFERENCES } from '../core/models';
import { ComposeOptions, MAX_VARIANTS } from '../studio/protocol';
import { fieldRow, h, ratioShape, select } from './dom';
import { chosenModel, CUSTOM, estimateText } from './state';
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
    label: 'Prompt',
    rows: 4,
    resize: 'vertical',
    placeholder: state.editOf ? 'Describe the change (Ctrl+Enter generates)' : 'Describe the image (Ctrl+Enter generates)',
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
    'Model',
    isCustom ? CUSTOM : options.model,
    [...models.map((x) => ({ value: x.id, label: `${x.label} — ${x.id}` })), { value: CUSTOM, label: 'Custom model id…' }, { value: FROM_ENDPOINT, label: 'Choose from the endpoint…' }],
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
        label: 'Custom model id',
        placeholder: 'e.g. gemini-3.1-flash-image',
        value: state.customModel,
        oninput: (e: Event) => ui.compose({ customModel: (e.target as HTMLInputElement).value }, false),
      })
    : undefined;

  const ratios = m ? m.ratios : COMMON_RATIOS;
  const ratioGroup = h('div', { className: 'ratios', role: 'radiogroup', 'aria-label': 'Aspect ratio' });
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
          'aria-label': `Aspect ratio ${r}`,
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
    ? select('Size', options.imageSize, sizes.map((s) => ({ value: s, label: s })), (v) => ui.compose({ options: { ...options, imageSize: v } }, false))
    : h('p', { className: 'hint' }, 'This model chooses its own size.');
  const thinking = select('Thinking level', options.thinkingLevel, [
    { value: 'minimal', label: 'Minimal (faster)' },
    { value: 'high', label: 'High (follows complex prompts)' },
  ], (v) => ui.compose({ options: { ...options, thinkingLevel: v === 'high' ? 'high' : 'minimal' } }, false));
  const includeText = h('vscode-checkbox', {
    label: "Include the model's text",
    checked: options.includeText,
    onchange: (e: Event) => ui.compose({ options: { ...options, includeText: (e.target as HTMLInputElement).checked } }, false),
  });
  const variants = select('Variants', String(state.variants), ['1', '2', '3', '4'].map((v) => ({ value: v, label: v === '1' ? '1 image' : `${v} images` })), (v) => ui.compose({ variants: Math.min(MAX_VARIANTS, Math.max(1, Number(v) || 1)) }, false));

  const refs = h('div', { className: 'references', 'aria-label': 'Reference images' });
  for (const r of references) {
    refs.append(
      h('figure', { className: 'ref' }, h('img', { src: r.src, alt: r.name }), h('figcaption', {}, r.name), h('vscode-button', { secondary: true, 'aria-label': `Remove ${r.name}`, onclick: () => ui.send({ type: 'removeReference', id: r.id }) }, 'Remove')),
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
    h('vscode-button', { secondary: true, onclick: () => ui.send({ type: 'pickReferences' }) }, 'Add Reference Images…'),
    h('span', { className: 'hint' }, ` or drop images here (Shift-drag from the Explorer). Up to ${max} for this model, ${MAX_REFERENCE_BYTES / 1048576} MB each.`),
  );

  const editing = state.editOf
    ? h(
        'div',
        { className: 'editing', role: 'status' },
        h('img', { src: state.editOf.src, alt: 'The image being edited' }),
        h('span', {}, 'Editing this image: the next Generate sends it back to the model with your new prompt.'),
        h('vscode-button', { secondary: true, onclick: () => ui.compose({ editOf: undefined }) }, 'Stop Editing'),
      )
    : undefined;

  // The workspace's style, applied unless switched off for this request.
  const { style } = ui.state;
  const styleParts = [style.text ? `“${style.text.length > 80 ? `${style.text.slice(0, 79)}…` : style.text}”` : '', style.references.length ? `${style.references.length} reference image${style.references.length === 1 ? '' : 's'} (${style.references.join(', ')})` : '']
    .filter(Boolean)
    .join(' + ');
  const styleToggle = styleParts
    ? h('vscode-checkbox', {
        id: 'applyStyle',
        label: `Apply the workspace style: ${styleParts}`,
        checked: state.applyStyle !== false,
        onchange: (e: Event) => ui.compose({ applyStyle: (e.target as HTMLInputElement).checked }, false),
      })
    : undefined;

  const running = Boolean(ui.state.current && !ui.state.current.done);
  return h(
    'section',
    { className: 'composer', 'aria-label': 'Compose' },
    editing,
    prompt,
    h('div', { className: 'grid' }, fieldRow('Model', modelSelect), custom && fieldRow('Custom model id', custom), fieldRow('Size', size), fieldRow('Thinking', thinking), fieldRow('Variants', variants)),
    h('div', { className: 'field' }, h('span', { className: 'field-label', 'aria-hidden': 'true' }, 'Aspect ratio'), ratioGroup),
    includeText,
    styleToggle,
    h('div', { className: 'field' }, h('span', { className: 'field-label', 'aria-hidden': 'true' }, 'References'), refs, dropZone),
    h('p', { id: 'estimate', className: 'estimate', 'aria-live': 'polite' }, estimateText(ui.state)),
    h(
      'div',
      { className: 'actions' },
      h('vscode-button', { id: 'generate', disabled: running, onclick: () => ui.generate() }, 'Generate'),
      h('vscode-button', { id: 'cancel', secondary: true, disabled: !running, onclick: () => ui.send({ type: 'cancel' }) }, 'Cancel'),
    ),
  );
}
