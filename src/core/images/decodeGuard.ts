/**
 * The one gate before any image is decoded: its pixel size read from its header (PNG IHDR, JPEG
 * SOF, WebP VP8/VP8L/VP8X, GIF screen and first frame), refused above a cap. A decoder allocates
 * what the header claims, so a few KB of zeros claiming 16000×16000 would take gigabytes; a header
 * whose size cannot be read is refused too. Every conversion passes here before its worker is
 * asked, and again inside the worker before the codec runs.
 */
import * as l10n from '@vscode/l10n';
import { IllustrateError } from '../errors';
import { ImageFormat, pixelSize, sniffFormat } from './imageFormat';

/**
 * The most pixels decoded: the API's largest answer is 4K at 8:1 (12288×1536, 18.9 megapixels);
 * 24 leaves room for a 6000×4000 photo. A conversion at the cap peaked at 1.2 GB (decoded RGBA
 * copied between the codecs' WebAssembly memories); a 16000×16000 PNG of 30 KB went past 3.4 GB.
 */
export const MAX_DECODE_PIXELS = 24_000_000;

/** The longest side decoded: the API's longest is 12288, and a WebP holds at most 16383. */
export const MAX_DECODE_SIDE = 16_384;

/** Refuses `width`×`height` above the caps; decoders check each size they allocate for here. */
export function checkPixels(width: number, height: number): void {
  if (width > MAX_DECODE_SIDE || height > MAX_DECODE_SIDE || width * height > MAX_DECODE_PIXELS) {
    throw new IllustrateError(
      'tooLarge',
      l10n.t(
        'The image is {0}×{1} pixels, more than Illustrate will decode (at most {2} megapixels and {3} pixels a side, so that a small file cannot fill the memory). Scale it down and save it again, or write its alt text by hand.',
        width,
        height,
        MAX_DECODE_PIXELS / 1_000_000,
        MAX_DECODE_SIDE,
      ),
    );
  }
}

/**
 * The pixel size of an image of `format` (as the caller sniffed it), read from its header and
 * checked against the caps; throws when it is over them or cannot be read, or the bytes are another format.
 */
export function decodableSize(bytes: Uint8Array, format: ImageFormat): { readonly width: number; readonly height: number } {
  const sizes = sniffFormat(bytes.subarray(0, 16)) === format ? headerSizes(bytes, format) : undefined;
  if (!sizes || sizes.some((s) => !s.width || !s.height)) {
    throw new IllustrateError('tooLarge', l10n.t('Illustrate cannot read the size of this image from its header, so it will not decode it. Save it again as a PNG or JPEG, or write its alt text by hand.'));
  }
  for (const s of sizes) {
    checkPixels(s.width, s.height);
  }
  return sizes[0];
}

/** The image's size, then any other size its decoder allocates for (a GIF's first frame). */
function headerSizes(bytes: Uint8Array, format: ImageFormat): { width: number; height: number }[] | undefined {
  if (format === 'gif') {
    return gifSizes(bytes);
  }
  // The decoders take the first chunk for IHDR; pixelSize reads its place whatever it holds.
  if (format === 'png' && String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') {
    return undefined;
  }
  const size = pixelSize(bytes);
  return size && [size];
}

/** A GIF's logical screen and its first frame (the decoder allocates for both). */
function gifSizes(b: Uint8Array): { width: number; height: number }[] | undefined {
  const u16 = (i: number): number => b[i] | (b[i + 1] << 8);
  if (b.length < 13) {
    return undefined;
  }
  let at = 13 + (b[10] & 0x80 ? 3 * (1 << ((b[10] & 7) + 1)) : 0);
  // Extensions (introducer, label, then sub-blocks up to an empty one) come before the first image descriptor.
  while (at < b.length && b[at] === 0x21) {
    at += 2;
    while (at < b.length && b[at] > 0) {
      at += b[at] + 1;
    }
    at++;
  }
  if (at + 9 >= b.length || b[at] !== 0x2c) {
    return undefined;
  }
  return [
    { width: u16(6), height: u16(8) },
    { width: u16(at + 5), height: u16(at + 7) },
  ];
}
