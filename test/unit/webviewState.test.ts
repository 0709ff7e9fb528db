import * as assert from 'assert';
import type { EntryView, ExtensionMessage, ImageView } from '../../src/studio/protocol';
import { checkGenerate, CUSTOM, darkAsked, effectiveOptions, estimateText, initialState, reduce, StudioState, transparentAsked } from '../../src/webview/state';

const DEFAULTS = { model: 'gemini-3.1-flash-image', aspectRatio: '16:9', imageSize: '1K', thinkingLevel: 'minimal' as const, includeText: false };
const MODELS = [{ id: 'gemini-3.1-flash-image', label: 'Nano Banana 2', ratios: ['1:1', '16:9'], sizes: ['512', '1K'] as const, maxReferences: 14 }];
const IMAGE: ImageView = { id: 'i1', src: 'https://x/i1.png', width: 1, height: 1, format: 'png', bytes: 1, tokens: 1, cost: '≈ $0.067', texts: [], thoughts: [] };
const ENTRY: EntryView = { id: 'e1', date: '2026-11-28T00:00:00Z', prompt: 'a cat', options: DEFAULTS, references: [], images: [IMAGE], errors: [], tokens: 1, cost: '', durationMs: 1 };

function init(extra: Partial<Extract<ExtensionMessage, { type: 'init' }>> = {}): ExtensionMessage {
  return { type: 'init', models: MODELS, defaults: DEFAULTS, prompt: '', prices: { 'gemini-3.1-flash-image': { inputPerMillion: 0.5, outputPerMillion: 60 } }, history: [ENTRY], references: [], style: { text: '', references: [] }, ...extra };
}

function run(state: StudioState, ...messages: ExtensionMessage[]): StudioState {
  return messages.reduce((s, m) => reduce(s, m, 1000), state);
}

describe('Image Studio webview state (reduce)', () => {
  it('shows the workspace style from init, and a switched-off style stays off across a reload of the data', () => {
    const style = { text: 'flat vector, brand blue', references: ['look.png'] };
    const ready = run(initialState(undefined), init({ style }));
    assert.deepStrictEqual(ready.style, style);
    const off = { ...ready, composer: { ...ready.composer, applyStyle: false } };
    assert.strictEqual(run(off, init({ style })).composer.applyStyle, false);
  });

  it('the transparency switch starts where "illustrate.transparentBackground" says, the user\'s choice wins, an edit is never transparent, and the estimate counts the second call', () => {
    const off = run(initialState(undefined), init());
    assert.strictEqual(transparentAsked(off), false);
    const on = run(initialState(undefined), init({ transparent: true }));
    assert.strictEqual(transparentAsked(on), true);
    assert.strictEqual(transparentAsked({ ...on, composer: { ...on.composer, transparent: false } }), false);
    assert.strictEqual(transparentAsked({ ...off, composer: { ...off.composer, transparent: true } }), true);
    assert.strictEqual(transparentAsked({ ...on, composer: { ...on.composer, editOf: { id: 'i1', src: 'x' } } }), false, 'an edit keeps its background');
    const plain = { ...off, composer: { ...off.composer, prompt: 'a round logo' } };
    const twice = { ...plain, composer: { ...plain.composer, transparent: true } };
    const price = (s: StudioState): number => Number(/\$([\d.]+)/.exec(estimateText(s))?.[1]);
    assert.ok(price(twice) > price(plain) * 1.9 && price(twice) < price(plain) * 2.1, `${estimateText(twice)} against ${estimateText(plain)}`);
  });

  it('the dark-twin switch starts where "illustrate.variants.dark" says, the user\'s choice wins (kept across a reload), and the estimate counts one more edit per variant', () => {
    const off = run(initialState(undefined), init());
    assert.strictEqual(darkAsked(off), false);
    const on = run(initialState(undefined), init({ dark: true }));
    assert.strictEqual(darkAsked(on), true);
    assert.strictEqual(darkAsked({ ...on, composer: { ...on.composer, dark: false } }), false);
    const chosen = { ...off, composer: { ...off.composer, dark: true } };
    assert.strictEqual(darkAsked(chosen), true);
    assert.strictEqual(darkAsked(run(initialState(chosen.composer), init())), true, 'the saved composer keeps the switch over the setting');
    const price = (s: StudioState): number => Number(/\$([\d.]+)/.exec(estimateText(s))?.[1]);
    for (const variants of [1, 3]) {
      const plain = { ...off, composer: { ...off.composer, prompt: 'a round logo', variants } };
      const twins = { ...plain, composer: { ...plain.composer, dark: true } };
      const both = { ...twins, composer: { ...twins.composer, transparent: true } };
      assert.ok(price(twins) > price(plain) * 1.9 && price(twins) < price(plain) * 2.1, `${estimateText(twins)} against ${estimateText(plain)}`);
      assert.ok(price(both) > price(plain) * 2.9 && price(both) < price(plain) * 3.1, `${estimateText(both)} against ${estimateText(plain)}`);
    }
  });

  it('a darkTwin message puts the twin (or why there is none) on its variant, in the run and the history, and ends its "making" line', () => {
    const twin = { src: 'https://x/i1-dark.png', width: 1, height: 1, format: 'png', bytes: 1, cost: '≈ $0.067' };
    let s = run(initialState(undefined), init(), { type: 'started', entryId: 'e2', variants: 1, prompt: 'a cat' }, { type: 'variant', entryId: 'e2', index: 0, image: IMAGE }, { type: 'progress', entryId: 'e2', index: 0, text: 'making its dark twin' });
    assert.strictEqual(s.current!.slots[0].progress, 'making its dark twin');
    s = run(s, { type: 'darkTwin', image: { ...IMAGE, dark: twin } });
    assert.deepStrictEqual(s.current!.slots[0].image!.dark, twin);
    assert.strictEqual(s.current!.slots[0].progress, undefined);
    assert.deepStrictEqual(s.history[0].images[0].dark, twin, 'the history entry with the same image shows it too');
    s = run(s, { type: 'darkTwin', image: { ...IMAGE, darkError: 'Its dark twin could not be made: The request was cancelled.' } });
    assert.strictEqual(s.current!.slots[0].image!.darkError, 'Its dark twin could not be made: The request was cancelled.');
    assert.strictEqual(s.current!.slots[0].image!.src, IMAGE.src, 'the variant stays as it is');
  });

  it('takes its defaults only from init: no options are assumed before it', () => {
    const empty = initialState(undefined);
    assert.strictEqual(empty.composer.options, undefined);
    assert.deepStrictEqual(checkGenerate({ ...empty, composer: { ...empty.composer, prompt: 'x' } }), { ok: false, notice: 'Enter a custom model id, or pick a known model.' });
    const ready = run(empty, init({ prompt: 'from the selection' }));
    assert.deepStrictEqual(ready.composer.options, DEFAULTS);
    assert.strictEqual(ready.composer.prompt, 'from the selection');
    assert.strictEqual(ready.history.length, 1);
  });

  it('a restored composer keeps its choices; a second init does not reset what was composed', () => {
    const saved = { prompt: 'mine', options: { ...DEFAULTS, aspectRatio: '1:1' }, customModel: '', variants: 3, search: '' };
    const s = run(initialState(saved), init());
    assert.strictEqual(s.composer.options?.aspectRatio, '1:1');
    assert.strictEqual(s.composer.variants, 3);
    const fresh = run(initialState(undefined), init());
    const changed = { ...fresh, composer: { ...fresh.composer, prompt: 'typed' } };
    assert.strictEqual(run(changed, init()).composer.prompt, 'typed');
  });

  it('an unknown default model becomes the custom id, and is what Generate sends', () => {
    const s = run(initialState(undefined), init({ defaults: { ...DEFAULTS, model: 'gemini-9-image' } }), { type: 'model', model: 'gemini-9-image' });
    assert.strictEqual(s.composer.options?.model, CUSTOM);
    assert.strictEqual(effectiveOptions(s)?.model, 'gemini-9-image');
    assert.match(estimateText(s), /unknown for this model/);
  });

  it('a run: started, progress, a variant, a failure, finished; Generate is refused while it runs', () => {
    let s = run(initialState(undefined), init());
    s = { ...s, composer: { ...s.composer, prompt: 'a dog' }, requested: true };
    assert.deepStrictEqual(checkGenerate(s), { ok: false }, 'a double submit sends nothing');
    s = run(s, { type: 'started', entryId: 'r1', variants: 2, prompt: 'a dog' });
    assert.strictEqual(s.requested, false);
    assert.deepStrictEqual(checkGenerate(s), { ok: false });
    s = run(s, { type: 'progress', entryId: 'r1', index: 0, text: 'retrying in 2 s' }, { type: 'variant', entryId: 'r1', index: 0, image: IMAGE }, { type: 'variantFailed', entryId: 'r1', index: 1, message: 'blocked' });
    assert.deepStrictEqual(s.current?.slots, [{ progress: undefined, image: IMAGE }, { error: 'blocked' }], 'a variant made ends its "retrying" line');
    s = run(s, { type: 'variant', entryId: 'other', index: 0, image: IMAGE });
    assert.strictEqual(s.current?.slots[1].image, undefined, 'messages of another run change nothing');
    s = run(s, { type: 'finished', entryId: 'r1' });
    assert.strictEqual(s.current?.done, true);
    assert.strictEqual(checkGenerate(s).ok, true);
  });

  it('imageSaved marks the image everywhere; a notice or a failed request lets Generate be sent again', () => {
    let s = run(initialState(undefined), init(), { type: 'imageSaved', imageId: 'i1', savedAs: 'docs/images/cat.png' });
    assert.strictEqual(s.history[0].images[0].savedAs, 'docs/images/cat.png');
    s = run({ ...s, requested: true }, { type: 'done', replyTo: 'q1', ok: false });
    assert.strictEqual(s.requested, false);
    s = run({ ...s, requested: true }, { type: 'notice', level: 'error', message: 'A generation is already running.' });
    assert.deepStrictEqual([s.requested, s.notice?.message], [false, 'A generation is already running.']);
  });

  it('the estimate follows the options, the variants and the references', () => {
    const s = run(initialState(undefined), init());
    assert.strictEqual(estimateText(s), 'Estimated cost: ≈ $0.067 for 1 request');
    assert.match(estimateText({ ...s, composer: { ...s.composer, variants: 2 } }), /≈ \$0\.134 for 2 parallel requests/);
  });
});
