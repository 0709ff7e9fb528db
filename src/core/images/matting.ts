/**
 * Difference matting: a picture's alpha from two renders of it, one on pure white and one on pure
 * black. A pixel of colour F and coverage α shows W = α·F + (1 − α)·255 over white and B = α·F
 * over black, so W − B = (1 − α)·255 in every channel, and F = B / α. Pure: pixels in, pixels out,
 * one pass over them, nothing allocated per pixel (the decode guard caps how many there are).
 */

/** Decoded pixels: RGBA, 4 bytes a pixel, rows top to bottom. */
export interface Pixels {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/**
 * When more than this share of the picture's pixels (those that are not plain background in both
 * renders) cannot come from one picture over two backgrounds, the renders did not line up: the
 * model moved, resized or redrew something in the second. A shift of a few pixels makes every
 * coloured edge implausible (tens of percent in a real picture); compression noise, a few tenths.
 */
export const MISALIGNED_SHARE = 0.02;

/**
 * How far (of 255) a channel of the white render may fall below the black one's before the pixel
 * is implausible: W − B is (1 − α)·255 ≥ 0 in theory; JPEG and the model's own noise move a few levels.
 */
export const BELOW_TOLERANCE = 24;

/**
 * How far apart (of 255) the three channels' differences may be: in theory they are equal (one
 * alpha); JPEG's halved colour resolution spreads them at coloured edges. A misaligned coloured
 * edge spreads them by a hundred or more.
 */
export const SPREAD_TOLERANCE = 64;

/** A pixel within this (of 255) of the white backdrop in one render and the black in the other is background. */
const BACKGROUND_TOLERANCE = 8;

/** How far from pure white and pure black a render's backdrop may be and still be read as its backdrop. */
const BACKDROP_TOLERANCE = 40;

/** The two backdrops as the renders show them, per channel (a model may paint #FDFDFD, or #030303). */
export interface Backdrops {
  readonly white: readonly [number, number, number];
  readonly black: readonly [number, number, number];
}

export const PURE_BACKDROPS: Backdrops = { white: [255, 255, 255], black: [0, 0, 0] };

export type MatteResult =
  | {
      readonly ok: true;
      /** The picture, RGBA, with the alpha the two renders give (colour 0 where alpha is 0). */
      readonly data: Uint8ClampedArray;
      /** Share of the picture's pixels that were implausible (below MISALIGNED_SHARE). */
      readonly implausible: number;
    }
  | MatteRefusal;

/** Why a pair was not matted: two sizes, no plain backdrops at the picture's edge, or renders that do not line up. */
export type MatteRefusal =
  | { readonly ok: false; readonly reason: 'size'; readonly white: { readonly width: number; readonly height: number }; readonly black: { readonly width: number; readonly height: number } }
  | { readonly ok: false; readonly reason: 'noBackdrop' }
  | { readonly ok: false; readonly reason: 'misaligned'; readonly implausible: number };

/**
 * The backdrops the renders really show: the median of each channel over the pixels of the
 * picture's outer ring that look like backdrop in both (near white in one, near black in the
 * other). Undefined when less than a quarter of the ring does: the model did not change the
 * backdrop, or drew the picture to its edges, and there is no backdrop to take away.
 */
export function backdropsOf(white: Pixels, black: Pixels): Backdrops | undefined {
  const { width, height } = white;
  if (black.width !== width || black.height !== height || width < 2 || height < 2) {
    return undefined;
  }
  // One histogram per channel per render: the medians in one pass, whatever the ring's length.
  const histograms = Array.from({ length: 6 }, () => new Uint32Array(256));
  let ring = 0;
  let found = 0;
  const visit = (x: number, y: number): void => {
    ring++;
    const i = (y * width + x) * 4;
    const w = white.data;
    const b = black.data;
    if (w[i] < 255 - BACKDROP_TOLERANCE || w[i + 1] < 255 - BACKDROP_TOLERANCE || w[i + 2] < 255 - BACKDROP_TOLERANCE || b[i] > BACKDROP_TOLERANCE || b[i + 1] > BACKDROP_TOLERANCE || b[i + 2] > BACKDROP_TOLERANCE) {
      return;
    }
    found++;
    for (let c = 0; c < 3; c++) {
      histograms[c][w[i + c]]++;
      histograms[3 + c][b[i + c]]++;
    }
  };
  for (let x = 0; x < width; x++) {
    visit(x, 0);
    visit(x, height - 1);
  }
  for (let y = 1; y < height - 1; y++) {
    visit(0, y);
    visit(width - 1, y);
  }
  if (found < ring / 4) {
    return undefined;
  }
  const median = (h: Uint32Array): number => {
    let seen = 0;
    for (let v = 0; v < 256; v++) {
      seen += h[v];
      if (seen * 2 >= found) {
        return v;
      }
    }
    return 255;
  };
  const m = histograms.map(median);
  return { white: [m[0], m[1], m[2]], black: [m[3], m[4], m[5]] };
}

/**
 * Two renders as the model sent them, matted (`matte`) over the backdrops they show; refused when
 * they are not the same size or show no plain backdrop at the picture's edge.
 */
export function mattePair(white: Pixels, black: Pixels): MatteResult {
  if (white.width !== black.width || white.height !== black.height) {
    return { ok: false, reason: 'size', white: { width: white.width, height: white.height }, black: { width: black.width, height: black.height } };
  }
  const backdrops = backdropsOf(white, black);
  return backdrops ? matte(white.data, black.data, white.width, white.height, backdrops) : { ok: false, reason: 'noBackdrop' };
}

/**
 * The picture with alpha, from its render on white (`white`) and on black (`black`), both RGBA of
 * `width`×`height`; refused when the two do not line up (more than MISALIGNED_SHARE of the
 * picture's pixels implausible) or are not that size.
 *
 * Alpha is the mean over the three channels of 1 − (W − B) / (backdrop range): in theory the three
 * are equal, and each carries its own rounding (±0.5 level in W and in B), so their mean has a third
 * of one channel's error variance. The max (or min) of them would be biased by that noise towards
 * transparent (or opaque); the median of three throws two measurements away. A channel that
 * disagrees by more than noise is not averaged away: SPREAD_TOLERANCE counts it as misalignment.
 *
 * Colour is the least-squares F of both renders given alpha, (B + W − (1 − α)·255) / (2α) over pure
 * backdrops: the issue's B / α alone carries the whole of alpha's error into light colours
 * (255·δα/α); averaging it with W's own estimate halves that worst case, and averages the two
 * renders' rounding. Clamped to 0-255; where alpha is 0 the colour is 0.
 */
export function matte(white: Uint8Array | Uint8ClampedArray, black: Uint8Array | Uint8ClampedArray, width: number, height: number, backdrops: Backdrops = PURE_BACKDROPS): MatteResult {
  const pixels = width * height;
  if (white.length !== pixels * 4 || black.length !== pixels * 4) {
    const sizeOf = (data: Uint8Array | Uint8ClampedArray): { width: number; height: number } => (data.length === pixels * 4 ? { width, height } : { width: 0, height: 0 });
    return { ok: false, reason: 'size', white: sizeOf(white), black: sizeOf(black) };
  }
  const out = new Uint8ClampedArray(pixels * 4);
  const [w0, w1, w2] = backdrops.white;
  const [b0, b1, b2] = backdrops.black;
  // The backdrops' distance per channel (at least 1: a broken pair cannot divide by zero).
  const r0 = Math.max(1, w0 - b0);
  const r1 = Math.max(1, w1 - b1);
  const r2 = Math.max(1, w2 - b2);
  let informative = 0;
  let implausible = 0;
  for (let i = 0; i < out.length; i += 4) {
    const wr = white[i];
    const wg = white[i + 1];
    const wb = white[i + 2];
    const br = black[i];
    const bg = black[i + 1];
    const bb = black[i + 2];
    const dr = wr - br;
    const dg = wg - bg;
    const db = wb - bb;
    const backdrop = wr >= w0 - BACKGROUND_TOLERANCE && wg >= w1 - BACKGROUND_TOLERANCE && wb >= w2 - BACKGROUND_TOLERANCE && br <= b0 + BACKGROUND_TOLERANCE && bg <= b1 + BACKGROUND_TOLERANCE && bb <= b2 + BACKGROUND_TOLERANCE;
    if (!backdrop) {
      informative++;
      const low = Math.min(dr, dg, db);
      if (low < -BELOW_TOLERANCE || Math.max(dr, dg, db) - low > SPREAD_TOLERANCE) {
        implausible++;
      }
    }
    let alpha = 1 - (dr / r0 + dg / r1 + db / r2) / 3;
    alpha = alpha < 0 ? 0 : alpha > 1 ? 1 : alpha;
    const a8 = Math.round(alpha * 255);
    if (a8 === 0) {
      continue; // transparent black, as the array starts
    }
    const clear = 1 - alpha;
    const twice = 2 * alpha;
    out[i] = (br - clear * b0 + wr - clear * w0) / twice;
    out[i + 1] = (bg - clear * b1 + wg - clear * w1) / twice;
    out[i + 2] = (bb - clear * b2 + wb - clear * w2) / twice;
    out[i + 3] = a8;
  }
  const share = informative ? implausible / informative : 0;
  if (share > MISALIGNED_SHARE) {
    return { ok: false, reason: 'misaligned', implausible: share };
  }
  return { ok: true, data: out, implausible: share };
}
