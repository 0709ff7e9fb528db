/** Image formats by their magic numbers: the API's mime label is not trusted. */

/** The largest image file Illustrate reads whole (to send, describe or rewrite it). */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'heic';

export const EXTENSIONS: Readonly<Record<ImageFormat, string>> = { png: '.png', jpeg: '.jpg', webp: '.webp', gif: '.gif', heic: '.heic' };
export const MIME_TYPES: Readonly<Record<ImageFormat, string>> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
};

export function sniffFormat(head: Uint8Array): ImageFormat | undefined {
  const b = head;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) {
    return 'png';
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    return 'jpeg';
  }
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') {
    return 'webp';
  }
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) {
    return 'gif';
  }
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp' && /^(heic|heix|mif1|msf1|heif)$/.test(ascii(b, 8, 12))) {
    return 'heic';
  }
  return undefined;
}

/** Which known format a file name's extension claims, if any. */
export function formatOfExtension(name: string): ImageFormat | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  switch (ext) {
    case 'png':
      return 'png';
    case 'jpg':
    case 'jpeg':
      return 'jpeg';
    case 'webp':
      return 'webp';
    case 'gif':
      return 'gif';
    case 'heic':
    case 'heif':
      return 'heic';
    default:
      return undefined;
  }
}

export function pixelSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const format = sniffFormat(bytes);
  if (format === 'png' && bytes.length >= 24) {
    return { width: u32(bytes, 16), height: u32(bytes, 20) };
  }
  if (format === 'jpeg') {
    return jpegSize(bytes);
  }
  if (format === 'webp' && bytes.length >= 30) {
    const kind = ascii(bytes, 12, 16);
    if (kind === 'VP8X') {
      return { width: 1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16)), height: 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16)) };
    }
    if (kind === 'VP8 ') {
      return { width: (bytes[26] | (bytes[27] << 8)) & 0x3fff, height: (bytes[28] | (bytes[29] << 8)) & 0x3fff };
    }
    if (kind === 'VP8L') {
      const bits = bytes[21] | (bytes[22] << 8) | (bytes[23] << 16) | (bytes[24] << 24);
      return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
  }
  return undefined;
}

function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  // Markers are walked as libjpeg reads them: bytes before an 0xFF are skipped, fill 0xFFs too, and
  // TEM, RST0-7 and SOI carry no length (read as a length, they would hide the real frame header).
  // Of several frame headers, the largest: the decoder's, whichever it takes.
  let best: { width: number; height: number } | undefined;
  let i = 2;
  while (i < b.length) {
    if (b[i] !== 0xff) {
      i++;
      continue;
    }
    while (i < b.length && b[i] === 0xff) {
      i++;
    }
    if (i + 2 >= b.length) {
      break;
    }
    const marker = b[i++];
    if (marker === 0x00 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) {
      break; // the end, or the scan: no frame header after it counts
    }
    const len = (b[i] << 8) | b[i + 1];
    // SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc && i + 6 < b.length) {
      const size = { height: (b[i + 3] << 8) | b[i + 4], width: (b[i + 5] << 8) | b[i + 6] };
      if (!best || size.width * size.height > best.width * best.height) {
        best = size;
      }
    }
    if (len < 2) {
      break;
    }
    i += len;
  }
  return best;
}

function u32(b: Uint8Array, i: number): number {
  return ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
}

function ascii(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end && i < b.length; i++) {
    s += String.fromCharCode(b[i]);
  }
  return s;
}

/** The format of an image the API takes as a reference (anything it can read but GIF), or undefined. */
export function referenceFormat(bytes: Uint8Array): Exclude<ImageFormat, 'gif'> | undefined {
  const format = sniffFormat(bytes.subarray(0, 16));
  return format === 'gif' ? undefined : format;
}
