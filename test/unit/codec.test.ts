/**
 * The image codec (jSquash in a worker thread, as the extension host and the command line run it),
 * the metadata in every format Illustrate writes, the output settings and the format a link asks
 * for (through the command line: test/cli/codec.test.ts).
 */
import * as assert from 'assert';
import * as path from 'path';
import { IllustrateError } from '../../src/core/errors';
import { outputFor, outputSettings } from '../../src/core/images/codec';
import { pixelSize, sniffFormat } from '../../src/core/images/imageFormat';
import { joinWithInsert, metadataInsert, readMetadata, webpWithMetadata } from '../../src/core/images/metadata';
import { WorkerCodec } from '../../src/node/codec';
import { makePng } from '../fake-gemini/images';

const DIST = path.resolve(__dirname, '../../../dist');
const META = { prompt: 'a flow of requests <through> a "cache" & back', model: 'gemini-nano-banana-2.1', aspectRatio: '16:9', imageSize: '2K', date: '2026-11-30T06:00:00.000Z' };

describe('the image codec, in its worker thread', function () {
  this.timeout(60_000);
  const codec = new WorkerCodec(DIST);
  after(() => codec.stop());
  const png = makePng(1376, 768);

  for (const to of ['webp', 'jpeg', 'png'] as const) {
    it(`PNG → ${to}: the output is a ${to} of the same pixel size`, async () => {
      const out = await codec.convert(png, 'png', to, { quality: 80, maxWidth: 0 });
      assert.strictEqual(sniffFormat(out.bytes.subarray(0, 16)), to);
      assert.deepStrictEqual({ width: out.width, height: out.height }, { width: 1376, height: 768 });
      assert.deepStrictEqual(pixelSize(out.bytes), { width: 1376, height: 768 });
    });
  }

  it('JPEG in, scaled down to maxWidth (height kept in proportion)', async () => {
    const jpeg = (await codec.convert(png, 'png', 'jpeg', { quality: 90, maxWidth: 0 })).bytes;
    const out = await codec.convert(jpeg, 'jpeg', 'webp', { quality: 80, maxWidth: 688 });
    assert.deepStrictEqual(pixelSize(out.bytes), { width: 688, height: 384 });
  });

  it('cancel stops the conversion at once, and the next one works', async () => {
    const controller = new AbortController();
    const pending = codec.convert(png, 'png', 'webp', { quality: 80, maxWidth: 0 }, controller.signal);
    controller.abort();
    await assert.rejects(pending, (e: unknown) => e instanceof IllustrateError && e.kind === 'cancelled');
    const again = await codec.convert(png, 'png', 'webp', { quality: 80, maxWidth: 0 });
    assert.strictEqual(sniffFormat(again.bytes.subarray(0, 16)), 'webp');
  });

  it('metadata round trip in PNG, JPEG and WebP: one reader gets the prompt and the options back', async () => {
    const webp = await codec.convert(png, 'png', 'webp', { quality: 80, maxWidth: 0 });
    const jpeg = await codec.convert(png, 'png', 'jpeg', { quality: 80, maxWidth: 0 });
    const files = {
      png: joinWithInsert([png], png.length, metadataInsert('png', META)),
      jpeg: joinWithInsert([jpeg.bytes], jpeg.bytes.length, metadataInsert('jpeg', META)),
      webp: webpWithMetadata(webp.bytes, webp.width, webp.height, META),
    };
    for (const [format, bytes] of Object.entries(files)) {
      const read = readMetadata(bytes);
      const text = `${read.Description ?? ''}\n${read.Comment ?? ''}`;
      assert.ok(text.includes(META.prompt), `${format}: ${JSON.stringify(read)}`);
      assert.ok(text.includes('model=gemini-nano-banana-2.1; aspectRatio=16:9; imageSize=2K; date=2026-11-30T06:00:00.000Z'), format);
    }
    // The WebP stays a valid extended WebP: VP8X with the XMP flag, the RIFF size right, the pixels readable.
    const w = files.webp;
    assert.strictEqual(Buffer.from(w.subarray(12, 16)).toString('latin1'), 'VP8X');
    assert.ok((w[20] & 0x04) !== 0, 'the XMP flag');
    assert.strictEqual(Buffer.from(w).readUInt32LE(4), w.length - 8);
    assert.deepStrictEqual(pixelSize(w), { width: 1376, height: 768 });
    const decoded = await codec.convert(w.slice(), 'png' as never, 'png', { quality: 80, maxWidth: 0 }).catch(() => undefined);
    assert.strictEqual(decoded, undefined, 'WebP is not an input format (the model sends PNG or JPEG)');
  });
});

describe('output settings and the format a link asks for', () => {
  it('are clamped: quality 1-100, width 0 or 64-16384, unknown formats are auto', () => {
    assert.deepStrictEqual(outputSettings('webp', 150, 10), { format: 'webp', quality: 100, maxWidth: 64 });
    assert.deepStrictEqual(outputSettings('gif', -3, -1), { format: 'auto', quality: 1, maxWidth: 0 });
    assert.deepStrictEqual(outputSettings(undefined, 'high', 1e9), { format: 'auto', quality: 80, maxWidth: 16384 });
  });

  it('the link’s extension wins; the setting decides new links; AVIF is refused before anything is sent', () => {
    const s = outputSettings('webp', 70, 0);
    assert.strictEqual(outputFor('docs/img/flow.jpg', s).format, 'jpeg');
    assert.strictEqual(outputFor('docs/img/flow.PNG', s).format, 'png');
    assert.strictEqual(outputFor(undefined, s).format, 'webp');
    assert.strictEqual(outputFor(undefined, outputSettings('auto', 80, 0)).format, undefined, 'auto keeps the model’s format');
    assert.throws(() => outputFor('docs/img/flow.avif', s), /cannot write AVIF/);
  });
});
