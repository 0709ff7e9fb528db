/**
 * Provenance that can be compared: everything an image was made from, written into PNG, JPEG and
 * WebP, read back from the header chunks alone; and the stale rules built on it.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CurrentStyle, staleReason } from '../../src/core/fill/check';
import { pixelSize } from '../../src/core/images/imageFormat';
import { crc32, fingerprint, ImageMetadata, joinWithInsert, metadataInsert, readProvenance, webpWithMetadata, withMetadata } from '../../src/core/images/metadata';
import { VERSION } from '../../src/core/version';
import { makeJpeg, makePng, makeWebp } from '../fake-gemini/images';

const FULL: ImageMetadata = {
  prompt: 'the request flow — "API" <-> DB & cache',
  model: 'gemini-3.1-flash-image',
  aspectRatio: '16:9',
  imageSize: '2K',
  date: '2026-11-30T09:00:00.000Z',
  style: 'flat vector, two colours',
  styleReferences: [fingerprint(new Uint8Array([1, 2, 3])), fingerprint(new Uint8Array([4, 5]))],
  edit: { instruction: 'add a cache box between API and DB', source: fingerprint(new Uint8Array([9])) },
  version: VERSION,
  cost: 0.134,
  transparent: true,
  twinOf: { kind: 'translation', path: '../img/flow.png', source: fingerprint(new Uint8Array([7, 7])), lang: 'ja' },
};

function written(format: 'png' | 'jpeg' | 'webp', meta: ImageMetadata): Uint8Array {
  if (format === 'webp') {
    return webpWithMetadata(makeWebp(40, 30), 40, 30, meta);
  }
  const image = format === 'png' ? makePng(40, 30) : makeJpeg(40, 30);
  return joinWithInsert([image], image.length, metadataInsert(format, meta));
}

describe('provenance', () => {
  for (const format of ['png', 'jpeg', 'webp'] as const) {
    it(`round trip in ${format.toUpperCase()}: every field back, the picture unchanged`, () => {
      const bytes = written(format, FULL);
      assert.deepStrictEqual(readProvenance(bytes), { ...FULL, keptAlt: undefined });
      assert.deepStrictEqual(pixelSize(bytes), { width: 40, height: 30 });
    });

    it(`"Keep this image" in ${format.toUpperCase()}: the record is replaced, not added to, and the picture is the same`, () => {
      const bytes = written(format, FULL);
      const kept = withMetadata(bytes, format, { ...FULL, keptAlt: 'the request flow with the new cache' }, { width: 40, height: 30 });
      assert.strictEqual(readProvenance(kept)?.keptAlt, 'the request flow with the new cache');
      assert.strictEqual(readProvenance(kept)?.prompt, FULL.prompt);
      assert.deepStrictEqual(pixelSize(kept), { width: 40, height: 30 });
      // Written twice, it is as long as written once: the old record is gone.
      const twice = withMetadata(kept, format, { ...FULL, keptAlt: 'the request flow with the new cache' }, { width: 40, height: 30 });
      assert.strictEqual(twice.length, kept.length);
    });
  }

  it('reads the PNG record from its header chunks only: the pixels can be cut off', () => {
    const bytes = written('png', FULL);
    const idat = Buffer.from(bytes).indexOf('IDAT');
    assert.strictEqual(readProvenance(bytes.subarray(0, idat + 4))?.edit?.instruction, FULL.edit?.instruction);
  });

  it('files from before the full record still give their prompt, model and date', () => {
    // What Illustrate wrote until now: Software, Description and Comment, no record.
    const png = makePng(8, 8);
    const comment = 'model=gemini-2.5-flash-image; aspectRatio=1:1; imageSize=1K; date=2026-05-01T00:00:00.000Z';
    const chunk = (type: string, data: Buffer): Buffer => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(body));
      return Buffer.concat([len, body, crc]);
    };
    const old = Buffer.concat([png.subarray(0, 33), chunk('tEXt', Buffer.from('Software\0Illustrate', 'latin1')), chunk('iTXt', Buffer.concat([Buffer.from('Description\0\0\0\0\0', 'latin1'), Buffer.from('a fox')])), chunk('iTXt', Buffer.concat([Buffer.from('Comment\0\0\0\0\0', 'latin1'), Buffer.from(comment)])), png.subarray(33)]);
    assert.deepStrictEqual(readProvenance(old), { prompt: 'a fox', model: 'gemini-2.5-flash-image', aspectRatio: '1:1', imageSize: '1K', date: '2026-05-01T00:00:00.000Z' });
  });

  it('an image from elsewhere has none', () => {
    assert.strictEqual(readProvenance(makePng(8, 8)), undefined);
    assert.strictEqual(readProvenance(makeJpeg(8, 8)), undefined);
    assert.strictEqual(readProvenance(makeWebp(8, 8)), undefined);
  });

  it('records the version of package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string };
    assert.strictEqual(VERSION, pkg.version);
  });
});

describe('stale rules', () => {
  const style: CurrentStyle = { text: 'flat vector, two colours', references: FULL.styleReferences };

  it('the alt text as made, or one the writer kept: fine', () => {
    assert.strictEqual(staleReason(FULL, FULL.prompt, style), undefined);
    assert.strictEqual(staleReason(FULL, `  ${FULL.prompt.replace(/ /g, '\n')} `, style), undefined, 'spacing and line breaks do not count');
    assert.strictEqual(staleReason({ ...FULL, keptAlt: 'the request flow with the new cache' }, 'the request flow with the new cache', style), undefined);
  });

  it('alt text edited', () => {
    assert.strictEqual(staleReason(FULL, 'the request flow with the new cache', style), 'alt');
  });

  it('style text edited', () => {
    assert.strictEqual(staleReason(FULL, FULL.prompt, { ...style, text: 'watercolour' }), 'style');
  });

  it("a style reference's bytes changed, or one was added", () => {
    assert.strictEqual(staleReason(FULL, FULL.prompt, { ...style, references: [fingerprint(new Uint8Array([1, 2, 4])), FULL.styleReferences![1]] }), 'styleReferences');
    assert.strictEqual(staleReason(FULL, FULL.prompt, { ...style, references: [...FULL.styleReferences!, 'x'] }), 'styleReferences');
  });

  it('references that cannot be read now, or an image made without the style: only the alt text counts', () => {
    assert.strictEqual(staleReason(FULL, FULL.prompt, { text: style.text }), undefined);
    const unstyled: ImageMetadata = { ...FULL, style: undefined, styleReferences: undefined };
    assert.strictEqual(staleReason(unstyled, FULL.prompt, { text: 'watercolour', references: [] }), undefined);
  });
});
