/**
 * Difference matting on known pictures (not the model): each picture (colour and alpha as real
 * numbers, as drawn) composed over pure white and over pure black, each render rounded to 8 bits
 * once as a PNG of it holds it, then matted back and compared with the picture. Then the codec's
 * worker doing the same to two PNG files, as a transparent image is made.
 */
import * as assert from 'assert';
import * as path from 'path';
import { IllustrateError } from '../../src/core/errors';
import { sniffFormat } from '../../src/core/images/imageFormat';
import { backdropsOf, matte, mattePair, MISALIGNED_SHARE, PURE_BACKDROPS } from '../../src/core/images/matting';
import { WorkerCodec } from '../../src/node/codec';
import { composeOver, Rgba, rgbPng, sprite, TruePicture } from '../fake-gemini/images';
import { alphaAt, decodeImage } from '../fixtures/pixels';

const WHITE = [255, 255, 255] as const;
const BLACK = [0, 0, 0] as const;

/** A picture of `width`×`height` whose every pixel `at` gives: colour 0-255, alpha 0-1. */
function picture(width: number, height: number, at: (x: number, y: number) => [number, number, number, number]): TruePicture {
  const data = new Float64Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set(at(x, y), (y * width + x) * 4);
    }
  }
  return { data, width, height };
}

/** A generator of the same numbers on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Alpha error over every pixel, colour error where the true alpha is over one half, in levels of 255. */
interface Errors {
  readonly meanAlpha: number;
  readonly maxAlpha: number;
  readonly meanColour: number;
  readonly maxColour: number;
}

function errors(truth: TruePicture, got: Uint8ClampedArray | Uint8Array): Errors {
  let alphaSum = 0;
  let alphaMax = 0;
  let colourSum = 0;
  let colourMax = 0;
  let colourCount = 0;
  for (let i = 0; i < got.length; i += 4) {
    const da = Math.abs(got[i + 3] - truth.data[i + 3] * 255);
    alphaSum += da;
    alphaMax = Math.max(alphaMax, da);
    if (truth.data[i + 3] > 0.5) {
      for (let c = 0; c < 3; c++) {
        const dc = Math.abs(got[i + c] - truth.data[i + c]);
        colourSum += dc;
        colourMax = Math.max(colourMax, dc);
        colourCount++;
      }
    }
  }
  return { meanAlpha: alphaSum / (got.length / 4), maxAlpha: alphaMax, meanColour: colourCount ? colourSum / colourCount : 0, maxColour: colourMax };
}

function roundTrip(truth: TruePicture): Errors {
  const result = matte(composeOver(truth, WHITE).data, composeOver(truth, BLACK).data, truth.width, truth.height);
  assert.ok(result.ok, `refused: ${JSON.stringify(result)}`);
  return errors(truth, result.data);
}

const PICTURES: Record<string, () => TruePicture> = {
  'a gradient of alpha (0 to 1) under changing colours': () => picture(512, 96, (x, y) => [(y * 8.3) % 256, 255 - x / 2, (x * y) % 256, x / 511]),
  'coloured shapes with soft edges, clear and opaque areas (the stand-in’s picture)': () => sprite(320, 240),
  'every alpha and colour at random': () => {
    const r = seeded(7);
    return picture(256, 256, () => [r() * 255, r() * 255, r() * 255, r()]);
  },
  'fully opaque': () => picture(64, 64, (x, y) => [x * 4, y * 4, 128.4, 1]),
};

/** What each picture measured, for the report at the end of the run. */
const measured: Record<string, Errors> = {};

describe('difference matting, on known pictures', () => {
  for (const [name, make] of Object.entries(PICTURES)) {
    it(`${name}: mean alpha error ≤ 1/255, colour error ≤ 2/255 where alpha > 0.5`, () => {
      const e = roundTrip(make());
      measured[name] = e;
      assert.ok(e.meanAlpha <= 1, `mean alpha error ${e.meanAlpha.toFixed(3)}/255`);
      assert.ok(e.meanColour <= 2, `mean colour error ${e.meanColour.toFixed(3)}/255`);
      // Not the bar, but what one rounding in each render can do at most: a level in each
      // difference, half a level in the alpha written; the colour's worst at alpha just over 0.5.
      assert.ok(e.maxAlpha <= 1.5, `max alpha error ${e.maxAlpha.toFixed(2)}/255`);
      assert.ok(e.maxColour <= 4, `max colour error ${e.maxColour.toFixed(2)}/255`);
    });
  }

  after(() => {
    for (const [name, e] of Object.entries(measured)) {
      console.log(`      measured, ${name}: alpha mean ${e.meanAlpha.toFixed(3)} max ${e.maxAlpha.toFixed(2)}; colour (alpha > 0.5) mean ${e.meanColour.toFixed(3)} max ${e.maxColour.toFixed(2)} (levels of 255)`);
    }
  });

  it('a clear area comes back clear (alpha 0, colour 0) and an opaque one opaque (alpha 255, its colour)', () => {
    const truth = picture(40, 20, (x) => (x < 20 ? [0, 0, 0, 0] : [10, 200, 90, 1]));
    const result = matte(composeOver(truth, WHITE).data, composeOver(truth, BLACK).data, 40, 20);
    assert.ok(result.ok);
    assert.deepStrictEqual([...result.data.subarray(0, 4)], [0, 0, 0, 0]);
    assert.deepStrictEqual([...result.data.subarray(30 * 4, 30 * 4 + 4)], [10, 200, 90, 255]);
    assert.strictEqual(result.implausible, 0);
  });

  it('the mean of the three channels is the better alpha (the choice matting.ts makes): the max or min of them errs more', () => {
    const truth = PICTURES['every alpha and colour at random']();
    const w = composeOver(truth, WHITE).data;
    const b = composeOver(truth, BLACK).data;
    let byMax = 0;
    let byMin = 0;
    for (let i = 0; i < w.length; i += 4) {
      const d = [w[i] - b[i], w[i + 1] - b[i + 1], w[i + 2] - b[i + 2]];
      byMax += Math.abs(Math.min(255, Math.max(0, Math.round(255 - Math.max(...d)))) - truth.data[i + 3] * 255);
      byMin += Math.abs(Math.min(255, Math.max(0, Math.round(255 - Math.min(...d)))) - truth.data[i + 3] * 255);
    }
    const pixels = w.length / 4;
    const mean = roundTrip(truth).meanAlpha;
    assert.ok(mean < byMax / pixels && mean < byMin / pixels, `mean ${mean} vs max ${byMax / pixels} vs min ${byMin / pixels}`);
  });

  it('colour from both renders errs less than the issue’s B / alpha alone', () => {
    const truth = PICTURES['every alpha and colour at random']();
    const w = composeOver(truth, WHITE).data;
    const b = composeOver(truth, BLACK).data;
    const result = matte(w, b, truth.width, truth.height);
    assert.ok(result.ok);
    let fromBlack = 0;
    let count = 0;
    for (let i = 0; i < w.length; i += 4) {
      if (truth.data[i + 3] > 0.5) {
        const alpha = 1 - (w[i] - b[i] + w[i + 1] - b[i + 1] + w[i + 2] - b[i + 2]) / 765;
        for (let c = 0; c < 3; c++) {
          fromBlack += Math.abs(Math.min(255, Math.round(b[i + c] / alpha)) - truth.data[i + c]);
          count++;
        }
      }
    }
    const both = errors(truth, result.data).meanColour;
    assert.ok(both < fromBlack / count, `both ${both} vs B/alpha ${fromBlack / count}`);
  });

  it('renders with a little noise (a few levels, as compression leaves) are accepted, and stay close', () => {
    const truth = sprite(320, 240);
    const r = seeded(3);
    const noisy = (p: Rgba): Rgba => ({ ...p, data: p.data.map((v, i) => (i % 4 === 3 ? v : v + Math.round((r() - 0.5) * 6))) });
    const result = mattePair(noisy(composeOver(truth, WHITE)), noisy(composeOver(truth, BLACK)));
    assert.ok(result.ok, JSON.stringify(result));
    const e = errors(truth, result.data);
    assert.ok(e.meanAlpha <= 2 && e.meanColour <= 3, JSON.stringify(e));
  });

  it('backdrops a little off pure (#FAFAFA and #060606) are read from the picture’s edge: the clear corners stay clear', () => {
    const truth = sprite(200, 160);
    const white = composeOver(truth, [250, 250, 250]);
    const black = composeOver(truth, [6, 6, 6]);
    const backdrops = backdropsOf(white, black);
    assert.deepStrictEqual(backdrops, { white: [250, 250, 250], black: [6, 6, 6] });
    const result = mattePair(white, black);
    assert.ok(result.ok);
    assert.strictEqual(result.data[3], 0, 'the corner is clear');
    assert.ok(errors(truth, result.data).meanAlpha <= 1);
    // Read as pure, the same pair leaves a haze over the whole backdrop.
    const naive = matte(white.data, black.data, 200, 160, PURE_BACKDROPS);
    assert.ok(naive.ok && naive.data[3] > 0);
  });

  it('a picture drawn to its edges has no backdrop to take away: refused, not written as an opaque "transparent" image', () => {
    const truth = picture(50, 50, (x) => [200, 30, x, 1]);
    assert.strictEqual(backdropsOf(composeOver(truth, WHITE), composeOver(truth, BLACK)), undefined);
    assert.deepStrictEqual(mattePair(composeOver(truth, WHITE), composeOver(truth, BLACK)), { ok: false, reason: 'noBackdrop' });
  });

  for (const shift of [2, 3, 5]) {
    it(`a black render shifted by ${shift} pixels is refused as misaligned`, () => {
      const result = mattePair(composeOver(sprite(320, 240), WHITE), composeOver(sprite(320, 240, shift), BLACK));
      assert.strictEqual(result.ok, false);
      // The same test on matte itself, over pure backdrops.
      assert.strictEqual(matte(composeOver(sprite(320, 240), WHITE).data, composeOver(sprite(320, 240, shift), BLACK).data, 320, 240).ok, false);
      assert.ok(!result.ok && result.reason === 'misaligned' && result.implausible > MISALIGNED_SHARE, JSON.stringify(result));
    });
  }

  it('a black render that is the white one (the model changed nothing) is refused, not read as an opaque picture', () => {
    const white = composeOver(sprite(160, 120), WHITE);
    assert.deepStrictEqual(mattePair(white, white), { ok: false, reason: 'noBackdrop' });
  });

  it('two renders of different sizes are refused, with both sizes', () => {
    const result = mattePair(composeOver(sprite(320, 240), WHITE), composeOver(sprite(300, 240), BLACK));
    assert.deepStrictEqual(result, { ok: false, reason: 'size', white: { width: 320, height: 240 }, black: { width: 300, height: 240 } });
    const raw = matte(new Uint8Array(16), new Uint8Array(12), 2, 2);
    assert.strictEqual(raw.ok, false);
  });
});

describe('matting two PNG files in the codec’s worker', function () {
  this.timeout(60_000);
  const codec = new WorkerCodec(path.resolve(__dirname, '../../../dist'));
  after(() => codec.stop());
  const truth = sprite(400, 300);
  const white = rgbPng(composeOver(truth, WHITE));
  const black = rgbPng(composeOver(truth, BLACK));

  it('writes a PNG with alpha: clear corners, an opaque centre, the picture’s alpha within a level', async () => {
    const out = await codec.matte({ bytes: white, from: 'png' }, { bytes: black, from: 'png' }, 'png', { quality: 80, maxWidth: 0 });
    assert.ok(out.report.ok, JSON.stringify(out.report));
    const decoded = await decodeImage(out.bytes);
    assert.deepStrictEqual([decoded.width, decoded.height], [400, 300]);
    for (const [x, y] of [[0, 0], [399, 0], [0, 299], [399, 299]]) {
      assert.strictEqual(alphaAt(decoded, x, y), 0, `corner ${x},${y}`);
    }
    assert.strictEqual(alphaAt(decoded, 200, 150), 255);
    assert.ok(errors(truth, decoded.data).meanAlpha <= 1);
  });

  it('writes a WebP with alpha when asked, scaled to maxWidth', async () => {
    const out = await codec.matte({ bytes: white, from: 'png' }, { bytes: black, from: 'png' }, 'webp', { quality: 80, maxWidth: 200 });
    assert.strictEqual(sniffFormat(out.bytes.subarray(0, 16)), 'webp');
    assert.deepStrictEqual([out.width, out.height], [200, 150]);
    // VP8X with the alpha flag, or a lossless VP8L: a WebP that holds transparency.
    const kind = Buffer.from(out.bytes.subarray(12, 16)).toString('latin1');
    assert.ok(kind === 'VP8L' || (kind === 'VP8X' && (out.bytes[20] & 0x10) !== 0), kind);
    const decoded = await decodeImage(out.bytes);
    assert.strictEqual(alphaAt(decoded, 0, 0), 0, 'a clear corner');
    assert.strictEqual(alphaAt(decoded, 100, 75), 255, 'an opaque centre');
  });

  it('reports a misaligned pair and a pair of two sizes, and writes no image for them', async () => {
    const shifted = rgbPng(composeOver(sprite(400, 300, 4), BLACK));
    const misaligned = await codec.matte({ bytes: white, from: 'png' }, { bytes: shifted, from: 'png' }, 'png', { quality: 80, maxWidth: 0 });
    assert.strictEqual(misaligned.bytes.length, 0);
    assert.ok(!misaligned.report.ok && misaligned.report.reason === 'misaligned');
    const smaller = rgbPng(composeOver(sprite(300, 300), BLACK));
    const sized = await codec.matte({ bytes: white, from: 'png' }, { bytes: smaller, from: 'png' }, 'png', { quality: 80, maxWidth: 0 });
    assert.deepStrictEqual(sized.report, { ok: false, reason: 'size', white: { width: 400, height: 300 }, black: { width: 300, height: 300 } });
  });

  it('refuses JPEG (it holds no alpha) before the worker is asked', async () => {
    await assert.rejects(codec.matte({ bytes: white, from: 'png' }, { bytes: black, from: 'png' }, 'jpeg' as never, { quality: 80, maxWidth: 0 }), (e: unknown) => e instanceof IllustrateError);
  });
});
