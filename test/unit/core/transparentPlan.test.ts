/**
 * core/fill/transparentPlan.ts called directly, on a small tree in memory: which pictures Make
 * Backgrounds Transparent (and `illustrate variants --transparent`) would make and which it
 * leaves out and why (no such file, too large, not an image, already transparent, a JPEG, a
 * format with no alpha), each image once, and the prompt each keeps (its record's, else its alt
 * text, else its name), and the format and settings it is written with.
 */
import * as assert from 'assert';
import { DocImage } from '../../../src/core/docs/docScan';
import { IllustrateError } from '../../../src/core/errors';
import { FillLink } from '../../../src/core/fill/fill';
import { imagesAndAlts, planTransparentImages, TransparentPlanHost } from '../../../src/core/fill/transparentPlan';
import { withMetadata } from '../../../src/core/images/metadata';
import { settingsFrom } from '../../../src/core/settings';
import { makeJpeg, makePng, makeWebp } from '../../fake-gemini/images';

const PNG = makePng(40, 30);
const RECORD = { model: 'gemini-3.1-flash-image', aspectRatio: '1:1', imageSize: '1K', date: '2026-01-01T00:00:00Z' };
const GIF = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([40, 0, 30, 0, 0, 0, 0]), Buffer.from(';')]);
const settings = settingsFrom((k) => ({ model: 'gemini-3.1-flash-image', 'output.quality': 70, 'output.maxWidth': 800 })[k], () => undefined);

/** A tree in memory: files by path; `huge` are there at a size over the API's cap. */
function host(files: Record<string, Uint8Array>, alts: Map<string, string>, huge: readonly string[] = []): TransparentPlanHost<string> {
  return {
    size: (f) => Promise.resolve(huge.includes(f) ? 8 * 1048576 : files[f]?.length),
    read: (f) => Promise.resolve(files[f]),
    path: (f) => f,
    key: (f) => f,
    name: (f) => f.slice(f.lastIndexOf('/') + 1),
    settings: () => settings,
    alt: (f) => Promise.resolve(alts.get(f)),
  };
}

function link(document: string, alt: string, copy = false): FillLink<string> {
  return { document, image: { alt, target: 'x' } as DocImage, line: 3, copy };
}

describe('the plan of pictures to make transparent (core)', () => {
  const made = withMetadata(makePng(40, 30), 'png', { ...RECORD, prompt: 'the prompt it was made from' }, { width: 40, height: 30 });
  const clear = withMetadata(makePng(40, 30), 'png', { ...RECORD, prompt: 'a badge', transparent: true }, { width: 40, height: 30 });
  const tree: Record<string, Uint8Array> = {
    '/p/img/a.png': PNG,
    '/p/img/b.webp': makeWebp(40, 30),
    '/p/img/c.jpg': makeJpeg(40, 30),
    '/p/img/d.png': clear,
    '/p/img/e.gif': GIF,
    '/p/img/f.png': made,
    '/p/img/big.png': PNG,
    '/p/img/shot.PNG': PNG,
  };

  it('a folder and the images its pages link: each once, in order, the alt text from an original page before a copy', () => {
    const { images, alts } = imagesAndAlts(
      ['/p/img/a.png', '/p/img/b.webp'],
      [
        { uri: '/p/img/a.png', links: [link('/p/fr/page.md', 'le logo', true), link('/p/page.md', ' the logo ')] },
        { uri: '/p/other/z.png', links: [link('/p/page.md', '')] },
      ],
      (f) => f,
    );
    assert.deepStrictEqual(images, ['/p/img/a.png', '/p/img/b.webp', '/p/other/z.png']);
    assert.deepStrictEqual([...alts], [['/p/img/a.png', 'the logo']]);
  });

  it('left out with their reasons: no such file, too large, not an image, already transparent, a JPEG; the rest keep their record, alt text or name', async () => {
    const alts = new Map([
      ['/p/img/a.png', 'the company logo'],
      ['/p/img/f.png', 'an alt text that is not its prompt'],
    ]);
    const order = ['/p/img/a.png', '/p/img/b.webp', '/p/img/c.jpg', '/p/img/d.png', '/p/img/e.gif', '/p/img/f.png', '/p/img/big.png', '/p/img/gone.png', '/p/img/a.png', '/p/img/shot.PNG'];
    const plan = await planTransparentImages(host(tree, alts, ['/p/img/big.png']), order);
    assert.deepStrictEqual(
      plan.targets.map((t) => [t.uri, t.out, t.output.format, t.prompt]),
      [
        ['/p/img/a.png', '/p/img/a.png', 'png', 'the company logo'],
        ['/p/img/b.webp', '/p/img/b.webp', 'webp', 'b.webp'],
        ['/p/img/f.png', '/p/img/f.png', 'png', 'the prompt it was made from'],
        ['/p/img/shot.PNG', '/p/img/shot.PNG', 'png', 'shot.PNG'],
      ],
    );
    assert.deepStrictEqual(plan.targets[0].output, { format: 'png', quality: 70, maxWidth: 800 }, 'written at its settings');
    assert.deepStrictEqual(
      plan.skipped.map((k) => [k.file, k.kind, k.reason]),
      [
        ['/p/img/c.jpg', 'jpeg', 'a JPEG holds no transparent background: save it as a .png or .webp file and link that'],
        ['/p/img/d.png', 'transparent', 'already transparent (Illustrate made it so)'],
        ['/p/img/e.gif', 'unreadable', 'not a PNG, JPEG or WebP image'],
        ['/p/img/big.png', 'large', '8.0 MB; the API takes at most 7 MB per image'],
        ['/p/img/gone.png', 'missing', 'no such file'],
      ],
    );
  });

  it('with `out`, the format is the new file\'s: a JPEG source into a .png is planned; into a .jpg or a .gif it is left out', async () => {
    const h = host(tree, new Map());
    const into = await planTransparentImages(h, ['/p/img/c.jpg'], '/p/img/c.png');
    assert.deepStrictEqual(into.targets.map((t) => [t.uri, t.out, t.output.format, t.prompt]), [['/p/img/c.jpg', '/p/img/c.png', 'png', 'c.jpg']]);
    assert.deepStrictEqual((await planTransparentImages(h, ['/p/img/a.png'], '/p/img/a.jpeg')).skipped.map((k) => k.kind), ['jpeg']);
    assert.deepStrictEqual((await planTransparentImages(h, ['/p/img/a.png'], '/p/img/a.gif')).skipped.map((k) => k.kind), ['format']);
  });

  it('a reader that refuses a file (a link out of the project) leaves it out with the reader\'s message', async () => {
    const h = { ...host(tree, new Map()), read: () => Promise.reject(new IllustrateError('options', 'img/a.png is a link to outside the project.')) };
    const plan = await planTransparentImages(h, ['/p/img/a.png']);
    assert.deepStrictEqual(plan.targets, []);
    assert.deepStrictEqual(plan.skipped.map((k) => k.reason), ['img/a.png is a link to outside the project.']);
  });
});
