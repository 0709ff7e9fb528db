/**
 * A report's thumbnails carried inside it: each picture made small (WebP, at most 256 pixels wide)
 * by the real codec worker, as a `data:` URI; a WebP the codec cannot read carried as it is when
 * small; the report's budget holds the document small.
 */
import * as assert from 'assert';
import * as path from 'path';
import { FillOutcome } from '../../src/core/fill/fill';
import { pixelSize, sniffFormat } from '../../src/core/images/imageFormat';
import { MAX_REPORT_THUMBNAIL_BYTES, THUMBNAIL_PIXELS, thumbnailDataUris } from '../../src/core/images/thumbnail';
import { ReviewMade, ReviewPlan, reviewReport, ReviewTarget } from '../../src/core/review/job';
import { WorkerCodec } from '../../src/node/codec';
import { makeJpeg, makePng, makeWebp } from '../fake-gemini/images';

const DIST = path.resolve(__dirname, '../../../dist');

function decoded(uri: string): { mime: string; bytes: Buffer } {
  const m = /^data:(image\/[a-z]+);base64,([A-Za-z0-9+/=]+)$/.exec(uri);
  assert.ok(m, uri.slice(0, 80));
  return { mime: m[1], bytes: Buffer.from(m[2], 'base64') };
}

describe('report thumbnails as data: URIs', function () {
  this.timeout(60_000);
  const codec = new WorkerCodec(DIST);
  after(() => codec.stop());

  it('a PNG and a JPEG made small as WebP, at most 256 pixels wide; a small WebP as it is; what cannot be read gets none', async () => {
    const png = makePng(1024, 768);
    const webp = makeWebp(64, 48);
    const uris = await thumbnailDataUris(
      [
        { key: 'png', read: () => Promise.resolve(png) },
        { key: 'jpeg', read: () => Promise.resolve(makeJpeg(600, 400)) },
        { key: 'webp', read: () => Promise.resolve(webp) },
        { key: 'gone', read: () => Promise.resolve(undefined) },
        { key: 'broken', read: () => Promise.reject(new Error('unreadable')) },
        { key: 'text', read: () => Promise.resolve(Buffer.from('not a picture')) },
      ],
      codec,
    );
    assert.deepStrictEqual([...uris.keys()], ['png', 'jpeg', 'webp']);
    const small = decoded(uris.get('png')!);
    assert.strictEqual(small.mime, 'image/webp');
    assert.strictEqual(sniffFormat(small.bytes), 'webp');
    assert.deepStrictEqual(pixelSize(small.bytes), { width: THUMBNAIL_PIXELS, height: 192 });
    assert.ok(small.bytes.length < png.length / 4, `${small.bytes.length} bytes`);
    assert.deepStrictEqual(pixelSize(decoded(uris.get('jpeg')!).bytes), { width: 256, height: 171 });
    assert.deepStrictEqual(decoded(uris.get('webp')!), { mime: 'image/webp', bytes: webp });
  });

  it('without a codec only small files are carried; the report\'s budget stops the thumbnails, in the order given', async () => {
    const big = makePng(1024, 768, { noise: true });
    const none = await thumbnailDataUris([{ key: 'big', read: () => Promise.resolve(big) }], undefined);
    assert.strictEqual(none.size, 0, 'a large PNG is not carried whole');
    const tiny = makePng(32, 32);
    assert.strictEqual((await thumbnailDataUris([{ key: 'tiny', read: () => Promise.resolve(tiny) }], undefined)).size, 1);
    // Thumbnails of noise weigh the most: enough of them pass the budget.
    const noisy = makePng(256, 256, { noise: true });
    const one = decoded((await thumbnailDataUris([{ key: 0, read: () => Promise.resolve(noisy) }], codec)).get(0)!).bytes.length;
    const count = Math.ceil(MAX_REPORT_THUMBNAIL_BYTES / one) + 3;
    let reads = 0;
    const many = await thumbnailDataUris(
      Array.from({ length: count }, (_, i) => ({ key: i, read: () => ((reads += 1), Promise.resolve(noisy)) })),
      codec,
    );
    assert.ok(many.size < count && many.size >= count - 4, `${many.size} of ${count}`);
    assert.deepStrictEqual([...many.keys()], Array.from({ length: many.size }, (_, i) => i), 'the first ones, in order');
    const total = [...many.values()].reduce((n, u) => n + decoded(u).bytes.length, 0);
    assert.ok(total <= MAX_REPORT_THUMBNAIL_BYTES, `${total}`);
    assert.strictEqual(reads, many.size + 1, "nothing read once the budget is spent");
  });
});

describe('the review report with thumbnails carried in it', () => {
  const target = (uri: string, prompt: string): ReviewTarget<string> => ({ uri, prompt, links: [], format: 'png', words: { prompt, from: 'prompt' } });
  const made = [
    { target: target('img/kite.png', 'a kite'), verdict: { status: 'pass', problems: [], model: 'm', cost: 0, date: '' }, kept: true },
    { target: target('img/sign.png', 'a sign that reads "Open"'), verdict: { status: 'fail', problems: [{ kind: 'text', reason: 'it reads "Opne"' }], model: 'm', cost: 0, date: '' }, kept: true },
  ] as const;
  const outcome = { made, failed: [], cancelled: [], cost: 0, durationMs: 0 } as unknown as FillOutcome<string, ReviewMade, ReviewTarget<string>>;
  const plan: ReviewPlan<string> = { targets: made.map((m) => m.target), skipped: [], documents: 1 };

  it('a data: URI as the thumbnail\'s src, unchanged; a picture without one is named without an <img>; failures first', () => {
    const uri = 'data:image/webp;base64,UklGRh4AAABXRUJQVlA4TBEAAAAvAAAAAAfQ//73v/+BiOh/AAA=';
    const text = reviewReport(plan, outcome, [], { name: (p) => p, link: (p) => (p === 'img/sign.png' ? uri : undefined), title: 'Review', summary: '1 failed' });
    assert.ok(text.includes(`<img src="${uri}" width="160" alt="img/sign.png">`), text);
    assert.strictEqual(text.split('<img').length, 2, 'one thumbnail');
    assert.ok(text.indexOf('## failed review: `img/sign.png`') < text.indexOf('## passed: `img/kite.png`'), text);
    assert.ok(text.includes('- text: it reads "Opne"'), text);
  });
});
