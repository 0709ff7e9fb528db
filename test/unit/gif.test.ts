/**
 * A GIF's first frame, so a GIF can be described (the API does not take GIF): the pixels are the
 * ones libvips decodes (sharp, a dev dependency), plain and interlaced; broken GIFs give nothing,
 * huge ones the decode guard's refusal, never a hang. Then through the real codec worker: a small JPEG the describe call sends.
 */
import * as assert from 'assert';
import sharp from 'sharp';
import { decodeGifFirstFrame } from '../../src/core/images/gif';
import { pixelSize, sniffFormat } from '../../src/core/images/imageFormat';
import { WorkerCodec } from '../../src/node/codec';
import * as path from 'path';

async function gif(width: number, height: number, progressive: boolean): Promise<{ gif: Buffer; rgb: Buffer }> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      raw[o] = (x * 7) % 256;
      raw[o + 1] = (y * 13) % 256;
      raw[o + 2] = ((x + y) * 5) % 256;
    }
  }
  const out = await sharp(raw, { raw: { width, height, channels: 3 } }).gif({ progressive }).toBuffer();
  const rgb = await sharp(out).removeAlpha().raw().toBuffer();
  return { gif: out, rgb };
}

describe('GIF first frame', function () {
  this.timeout(60_000);
  for (const progressive of [false, true]) {
    it(`decodes ${progressive ? 'an interlaced' : 'a'} GIF to the pixels libvips reads`, async () => {
      const { gif: bytes, rgb } = await gif(97, 61, progressive);
      const frame = decodeGifFirstFrame(bytes);
      assert.ok(frame);
      assert.deepStrictEqual([frame.width, frame.height], [97, 61]);
      let differ = 0;
      for (let i = 0; i < 97 * 61; i++) {
        if (frame.data[i * 4] !== rgb[i * 3] || frame.data[i * 4 + 1] !== rgb[i * 3 + 1] || frame.data[i * 4 + 2] !== rgb[i * 3 + 2] || frame.data[i * 4 + 3] !== 255) {
          differ++;
        }
      }
      assert.strictEqual(differ, 0);
    });
  }

  it('a truncated or damaged GIF gives nothing; a huge one is refused', async () => {
    const { gif: bytes } = await gif(40, 30, false);
    assert.strictEqual(decodeGifFirstFrame(bytes.subarray(0, 40)), undefined);
    const damaged = Buffer.from(bytes);
    damaged.fill(0xff, 40, 200);
    assert.ok(decodeGifFirstFrame(damaged) === undefined || decodeGifFirstFrame(damaged)?.width === 40);
    const huge = Buffer.from(bytes);
    huge.writeUInt16LE(65535, 6);
    huge.writeUInt16LE(65535, 8);
    assert.throws(() => decodeGifFirstFrame(huge), /65535×65535 pixels, more than Illustrate will decode/);
    assert.strictEqual(decodeGifFirstFrame(Buffer.from('GIF89a')), undefined);
  });

  it('the codec worker makes a GIF a small JPEG, as the describe call sends it', async () => {
    const { gif: bytes } = await gif(1500, 300, false);
    const codec = new WorkerCodec(path.resolve(__dirname, '../../../dist'));
    const out = await codec.convert(bytes, 'gif', 'jpeg', { quality: 80, maxWidth: 768 });
    codec.stop();
    assert.strictEqual(sniffFormat(out.bytes), 'jpeg');
    assert.deepStrictEqual(pixelSize(out.bytes), { width: 768, height: 154 });
  });
});
