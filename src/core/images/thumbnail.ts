/**
 * A report's thumbnails carried inside the report: small pictures as `data:` URIs, for a report
 * the editor shows unsaved in its markdown preview. That preview's policy lets an image load from
 * `data:` (and https:), while a `file:` link to a picture of the workspace does not load in every
 * editor (code-server's preview shows it broken). Each is made small by the codec (at most
 * `THUMBNAIL_PIXELS` wide, WebP, which keeps transparency), and a report holds at most
 * `MAX_REPORT_THUMBNAIL_BYTES` of them, so the document stays small: past that a picture is named
 * without its thumbnail. A report written to a file (the CLI's `--report`) links its pictures instead.
 */
import { toBase64 } from '../bytes';
import { CodecUnavailable, ImageCodec } from './codec';
import { ImageFormat, MIME_TYPES, sniffFormat } from './imageFormat';

/** The widest a thumbnail is made, in pixels: sharp at the report's 160 CSS pixels on a high-density screen. */
export const THUMBNAIL_PIXELS = 256;
/** WebP quality of a thumbnail. */
export const THUMBNAIL_QUALITY = 70;
/** A picture the codec cannot read (a WebP) is carried as it is when it is no larger than this. */
export const MAX_UNCONVERTED_THUMBNAIL_BYTES = 48 * 1024;
/** The most the thumbnails of one report may weigh together (their bytes before base64). */
export const MAX_REPORT_THUMBNAIL_BYTES = 1536 * 1024;

/** One picture for a thumbnail: its bytes, read when its turn comes (undefined when it cannot be). */
export interface ThumbnailSource<K> {
  readonly key: K;
  read(): Promise<Uint8Array | undefined>;
}

/** A picture as a small image, its bytes and their format; undefined when none can be made. */
async function smallPicture(codec: ImageCodec | undefined, bytes: Uint8Array, signal?: AbortSignal): Promise<{ bytes: Uint8Array; format: ImageFormat } | undefined> {
  const format = sniffFormat(bytes.subarray(0, 16));
  if (codec && (format === 'png' || format === 'jpeg' || format === 'gif')) {
    try {
      const made = await codec.convert(bytes, format, 'webp', { quality: THUMBNAIL_QUALITY, maxWidth: THUMBNAIL_PIXELS }, signal);
      return { bytes: made.bytes, format: 'webp' };
    } catch (e: unknown) {
      if (signal?.aborted || !(e instanceof CodecUnavailable)) {
        // A picture the codec refuses (too large to decode, broken) gets no thumbnail.
        return undefined;
      }
    }
  }
  const shown = format === 'png' || format === 'jpeg' || format === 'webp' || format === 'gif';
  return shown && bytes.length <= MAX_UNCONVERTED_THUMBNAIL_BYTES ? { bytes, format } : undefined;
}

/**
 * Thumbnails as `data:` URIs, one picture at a time (the codec runs one job at a time anyway), in
 * the order given, until the report's budget is spent; a picture that cannot be read or made small
 * has none. Never throws: a report without a thumbnail still says everything.
 */
export async function thumbnailDataUris<K>(sources: readonly ThumbnailSource<K>[], codec: ImageCodec | undefined, signal?: AbortSignal): Promise<Map<K, string>> {
  const uris = new Map<K, string>();
  let spent = 0;
  for (const source of sources) {
    if (signal?.aborted) {
      break;
    }
    const bytes = await source.read().catch(() => undefined);
    const small = bytes && (await smallPicture(codec, bytes, signal));
    if (!small) {
      continue;
    }
    if (spent + small.bytes.length > MAX_REPORT_THUMBNAIL_BYTES) {
      // The budget is spent: the rest are named without one.
      break;
    }
    spent += small.bytes.length;
    uris.set(source.key, `data:${MIME_TYPES[small.format]};base64,${toBase64(small.bytes)}`);
  }
  return uris;
}
