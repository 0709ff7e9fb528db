import * as assert from 'assert';
import { estimateCost } from '../../src/core/api/pricing';
import { parseWebviewMessage } from '../../src/studio/protocol';

const OPTIONS = { model: 'gemini-3.1-flash-image', aspectRatio: '4:3', imageSize: '1K', thinkingLevel: 'minimal', includeText: false };

describe('Image Studio protocol', () => {
  it('accepts each well-formed message', () => {
    assert.deepStrictEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'generate', prompt: 'a cat', options: OPTIONS, variants: 4, references: ['abc_-1'], editOf: 'img1' }), {
      type: 'generate',
      prompt: 'a cat',
      options: OPTIONS,
      variants: 4,
      references: ['abc_-1'],
      editOf: 'img1',
    });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'generate', prompt: 'a cat', options: OPTIONS, variants: 1, references: [], applyStyle: false }), {
      type: 'generate',
      prompt: 'a cat',
      options: OPTIONS,
      variants: 1,
      references: [],
      editOf: undefined,
      applyStyle: false,
    });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'generate', prompt: 'a logo', options: OPTIONS, variants: 2, references: [], transparent: true }), {
      type: 'generate',
      prompt: 'a logo',
      options: OPTIONS,
      variants: 2,
      references: [],
      editOf: undefined,
      transparent: true,
    });
    assert.strictEqual((parseWebviewMessage({ type: 'generate', prompt: 'x', options: OPTIONS, variants: 1, references: [], editOf: 'img1', transparent: true }) as { transparent?: boolean }).transparent, undefined, 'an edit is never made transparent');
    assert.deepStrictEqual(parseWebviewMessage({ type: 'generate', prompt: 'a logo', options: OPTIONS, variants: 2, references: [], dark: true }), {
      type: 'generate',
      prompt: 'a logo',
      options: OPTIONS,
      variants: 2,
      references: [],
      editOf: undefined,
      dark: true,
    });
    assert.strictEqual((parseWebviewMessage({ type: 'generate', prompt: 'a logo', options: OPTIONS, variants: 1, references: [], dark: false }) as { dark?: boolean }).dark, undefined, 'switched off: no twins');
    assert.strictEqual((parseWebviewMessage({ type: 'generate', prompt: 'x', options: OPTIONS, variants: 1, references: [], editOf: 'img1', dark: true }) as { dark?: boolean }).dark, true, 'an edit gets its twin too');
    assert.deepStrictEqual(parseWebviewMessage({ type: 'image', action: 'copyLink', imageId: 'x1' }), { type: 'image', action: 'copyLink', imageId: 'x1' });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'dropReferences', uris: ['file:///w/a.png'] }), { type: 'dropReferences', uris: ['file:///w/a.png'] });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'deleteEntry', entryId: 'e1' }), { type: 'deleteEntry', entryId: 'e1' });
  });

  it('drops extra fields it does not know', () => {
    assert.deepStrictEqual(parseWebviewMessage({ type: 'cancel', evil: true }), { type: 'cancel' });
  });

  it('rejects ill-formed and unknown messages', () => {
    const bad: unknown[] = [
      null,
      'generate',
      42,
      [],
      { type: 'unknown' },
      { type: 'generate', prompt: 5, options: OPTIONS, variants: 1, references: [] },
      { type: 'generate', prompt: '   ', options: OPTIONS, variants: 1, references: [] },
      { type: 'generate', prompt: 'x', options: OPTIONS, variants: 5, references: [] },
      { type: 'generate', prompt: 'x', options: OPTIONS, variants: 1.5, references: [] },
      { type: 'generate', prompt: 'x', options: { ...OPTIONS, thinkingLevel: 'max' }, variants: 1, references: [] },
      { type: 'generate', prompt: 'x', options: { ...OPTIONS, model: '../../etc' }, variants: 1, references: [] },
      { type: 'generate', prompt: 'x', options: { ...OPTIONS, model: 'a b' }, variants: 1, references: [] },
      { type: 'generate', prompt: 'x', options: OPTIONS, variants: 1, references: ['../x'] },
      { type: 'generate', prompt: 'x', options: OPTIONS, variants: 1, references: new Array(15).fill('a') },
      { type: 'generate', prompt: 'x'.repeat(20_001), options: OPTIONS, variants: 1, references: [] },
      { type: 'generate', prompt: 'x', options: OPTIONS, variants: 1, references: [], editOf: 'a/b' },
      { type: 'generate', prompt: 'x', options: OPTIONS, variants: 1, references: [], applyStyle: 'no' },
      { type: 'generate', prompt: 'x', options: OPTIONS, variants: 1, references: [], transparent: 'yes' },
      { type: 'generate', prompt: 'x', options: OPTIONS, variants: 1, references: [], dark: 'true' },
      { type: 'generate', prompt: 'x', options: OPTIONS, variants: 1, references: [], dark: 1 },
      { type: 'generate', prompt: 'x', options: OPTIONS, variants: 1, references: [], dark: null },
      { type: 'generate', prompt: 'x', options: OPTIONS, variants: 1, references: [], dark: {} },
      { type: 'image', action: 'delete', imageId: 'x' },
      { type: 'image', action: 'insert', imageId: '../../secret' },
      { type: 'dropReferences', uris: ['not a uri'] },
      { type: 'removeReference', id: '' },
    ];
    for (const m of bad) {
      assert.strictEqual(parseWebviewMessage(m), undefined, JSON.stringify(m)?.slice(0, 80));
    }
  });

  it('estimates the cost of a whole request before sending: tokens × price × variants', () => {
    const one = estimateCost('gemini-3.1-flash-image', '1K', 'a'.repeat(40), 0, 1)!;
    assert.ok(Math.abs(one - (10 * 0.5 + 1120 * 60) / 1e6) < 1e-12, String(one));
    const four = estimateCost('gemini-3.1-flash-image', '1K', 'a'.repeat(40), 0, 4)!;
    assert.ok(Math.abs(four - one * 4) < 1e-12);
    const withRefs = estimateCost('gemini-3.1-flash-image', '1K', 'a'.repeat(40), 2, 1)!;
    assert.ok(withRefs > one);
    assert.strictEqual(estimateCost('gemini-3.1-flash-image', '4K', '', 0, 1, { 'gemini-3.1-flash-image': { inputPerMillion: 0, outputPerMillion: 100 } }), 0.252);
    assert.strictEqual(estimateCost('custom-model', '1K', 'x', 0, 1), undefined);
  });
});
