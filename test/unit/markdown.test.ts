import * as assert from 'assert';
import { findImages, imageAt, localTarget, shiftOffset } from '../../src/core/docs/markdown';

describe('markdown images', () => {
  it('finds inline, bracketed and reference-style images with exact offsets', () => {
    const text = 'Intro ![a cat](images/cat.png "Title")\n\n![my dog](<images/my dog.png>)\n\n![a bird][bird]\n\n[bird]: pics/bird.jpg\n';
    const images = findImages(text);
    assert.strictEqual(images.length, 3);
    const [cat, dog, bird] = images;
    assert.strictEqual(cat.alt, 'a cat');
    assert.strictEqual(text.slice(cat.targetStart, cat.targetEnd), 'images/cat.png');
    assert.strictEqual(dog.target, 'images/my dog.png');
    assert.ok(dog.bracketed);
    assert.strictEqual(text.slice(dog.targetStart, dog.targetEnd), 'images/my dog.png');
    assert.strictEqual(bird.reference, 'bird');
    assert.strictEqual(bird.target, 'pics/bird.jpg');
    assert.strictEqual(text.slice(bird.targetStart, bird.targetEnd), 'pics/bird.jpg');
  });

  it('finds the image under the cursor, anywhere from ! to )', () => {
    const text = 'x ![alt text](a.png) y';
    assert.strictEqual(imageAt(text, 2)?.alt, 'alt text');
    assert.strictEqual(imageAt(text, 19)?.alt, 'alt text');
    assert.strictEqual(imageAt(text, 1), undefined);
    assert.strictEqual(imageAt(text, 21), undefined);
  });

  it('reads escaped brackets in alt text', () => {
    assert.strictEqual(findImages('![a \\[red\\] cat](c.png)')[0].alt, 'a [red] cat');
  });

  it('reads backslashes before "[" and "![" as escapes, however many run there', () => {
    const found = (text: string): string[] => findImages(text).map((i) => `${i.alt}@${i.start}`);
    assert.deepStrictEqual(found('\\![a](b.png)'), [], 'an escaped "!" leaves a link');
    assert.deepStrictEqual(found('\\\\![a](b.png)'), ['a@2'], 'an escaped backslash leaves the image');
    assert.deepStrictEqual(found('\\\\\\![a](b.png)'), []);
    assert.deepStrictEqual(found('!\\[a](b.png) ![c](d.png)'), ['c@13']);
    assert.deepStrictEqual(found('\\[![a](b.png)'), ['a@2']);
    assert.deepStrictEqual(found('[x] \\\\[![a](b.png)'), ['a@7']);
    assert.deepStrictEqual(found(`${'\\'.repeat(10_000)}![a](b.png)`), ['a@10000']);
  });

  it('treats URLs and empty targets as not local', () => {
    assert.strictEqual(localTarget('https://example.com/a.png'), undefined);
    assert.strictEqual(localTarget(''), undefined);
    assert.strictEqual(localTarget('data:image/png;base64,AAAA'), undefined);
    assert.strictEqual(localTarget('images/my%20cat.png'), 'images/my cat.png');
    assert.strictEqual(localTarget('./a.png#frag'), './a.png');
    assert.strictEqual(localTarget('a%zz.png?v=1#x'), 'a%zz.png', 'a broken escape is kept as written');
    assert.strictEqual(localTarget('a.png#x?y'), 'a.png');
  });

  it('keeps an insertion offset valid across edits before, after and at it', () => {
    assert.strictEqual(shiftOffset(10, [{ offset: 0, length: 0, text: 'abc' }]), 13);
    assert.strictEqual(shiftOffset(10, [{ offset: 20, length: 5, text: '' }]), 10);
    assert.strictEqual(shiftOffset(10, [{ offset: 5, length: 10, text: 'x' }]), 6);
  });

  describe('a linear scan', () => {
    // The expressions of 0.1.0, kept here as the oracle for ordinary documents.
    const INLINE = /!\[((?:\\.|[^\]\\])*)\]\(\s*(<(?:\\.|[^>\\\n])*>|(?:\\.|[^\s()\\]|\((?:\\.|[^\s()\\])*\))*)(\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
    function oracle(text: string): { alt: string; target: string; start: number; end: number }[] {
      return [...text.matchAll(INLINE)].map((m) => ({ alt: m[1].replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1'), target: m[2].startsWith('<') ? m[2].slice(1, -1) : m[2], start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }));
    }
    const ordinary = [
      '# Guide\n\nSome text ![a diagram of the build](images/build.png) and more.\n\n![](empty.png)\n',
      '![logo](logo.svg "The logo") ![second](<a b/c d.png> \'title\') ![third](x.png (paren title))\n',
      'A [link](https://example.com) and [![badge](https://img.shields.io/x.svg)](https://ci)\n',
      '![with parens](images/chart_(2024).png)\n\n![escaped \\] bracket](e.png)\n\n![url](https://example.com/a.png?x=1#y)\n',
      '* item ![one](1.png)\n* item ![two](2.png)\n\n> quote ![three](3.png)\n\n| a | ![four](4.png) |\n',
      '![multi\nline alt](m.png)\n\n![spaced]( spaced.png )\n\n![title on next line](n.png\n"Title")\n',
      '中文说明 ![架构图](images/架构.png) 以及 ![流程](<images/流程 图.png>)\n',
    ];
    it('finds the same inline images as 0.1.0 in ordinary documents', () => {
      for (const text of ordinary) {
        const found = findImages(text).map(({ alt, target, start, end }) => ({ alt, target, start, end }));
        assert.deepStrictEqual(found, oracle(text), text);
      }
    });

    it('still finds the real images inside hostile text: unclosed brackets, "![" runs, deep nesting, long lines', () => {
      const hostile = [
        '![['.repeat(50_000),
        '!['.repeat(100_000),
        '['.repeat(60_000) + ']'.repeat(60_000),
        '![](<' + 'a'.repeat(200_000),
        '![](' + 'a('.repeat(50_000),
        '![x](a "'.repeat(30_000),
        '\n[' .repeat(50_000),
        ('![a](b' + ' '.repeat(100)).repeat(2000),
      ];
      for (const noise of hostile) {
        const text = `![first](first.png)\n\n${noise}\n\n![last](last.png)\n`;
        const images = findImages(text);
        assert.deepStrictEqual(images[0] && { alt: images[0].alt, target: images[0].target }, { alt: 'first', target: 'first.png' }, noise.slice(0, 20));
        const last = images[images.length - 1];
        assert.deepStrictEqual({ alt: last.alt, target: last.target }, { alt: 'last', target: 'last.png' }, noise.slice(0, 20));
        assert.strictEqual(imageAt(text, text.length - 5)?.target, 'last.png');
      }
    });

    it('reads balanced brackets in alt text, as CommonMark does (0.1.0 missed these)', () => {
      assert.deepStrictEqual(findImages('an ![image in a [bracket]](img.png)').map((i) => [i.alt, i.target]), [['image in a [bracket]', 'img.png']]);
    });

    it('alt text does not span a blank line', () => {
      assert.deepStrictEqual(findImages('![one\n\ntwo](x.png)'), []);
    });

    it('looks up a reference definition far from the cursor', () => {
      const text = `![far][ref]\n\n${'filler line\n'.repeat(5000)}\n[ref]: images/far.png\n`;
      assert.strictEqual(imageAt(text, 3)?.target, 'images/far.png');
    });

    it('scans only a part of the document when told where the whole is (the Quick Fix reads the lines around the cursor)', () => {
      const whole = `# Doc\n\n![near][ref]\n\n${'filler line\n'.repeat(2000)}\n[ref]: images/near.png\n`;
      const part = whole.slice(0, 40);
      const found = imageAt(part, 10, () => whole);
      assert.strictEqual(found?.target, 'images/near.png');
      assert.strictEqual(whole.slice(found.targetStart, found.targetEnd), 'images/near.png', 'definition offsets are the whole text\'s');
    });
  });
});
