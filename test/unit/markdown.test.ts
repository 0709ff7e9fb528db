import * as assert from 'assert';
import { findImages, imageAt, localTarget, shiftOffset } from '../../src/core/markdown';

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

  it('treats URLs and empty targets as not local', () => {
    assert.strictEqual(localTarget('https://example.com/a.png'), undefined);
    assert.strictEqual(localTarget(''), undefined);
    assert.strictEqual(localTarget('data:image/png;base64,AAAA'), undefined);
    assert.strictEqual(localTarget('images/my%20cat.png'), 'images/my cat.png');
    assert.strictEqual(localTarget('./a.png#frag'), './a.png');
  });

  it('keeps an insertion offset valid across edits before, after and at it', () => {
    assert.strictEqual(shiftOffset(10, [{ offset: 0, length: 0, text: 'abc' }]), 13);
    assert.strictEqual(shiftOffset(10, [{ offset: 20, length: 5, text: '' }]), 10);
    assert.strictEqual(shiftOffset(10, [{ offset: 5, length: 10, text: 'x' }]), 6);
  });
});
