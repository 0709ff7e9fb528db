/**
 * The images a markdown document links to, for filling in the missing ones: inline, `<…>`,
 * reference-style and HTML `<img>`, each with the reason it is left alone, if any. Linear in the
 * document: code regions are found line by line, images by the linear scanner.
 */
import * as l10n from '@vscode/l10n';
import { findImages, localTarget, MarkdownImage } from './markdown';
import { splitExt } from './paths';

export type SkipReason = 'inCode' | 'remote' | 'dataUri' | 'unsupportedFormat' | 'emptyAlt';

/** Why an image is left alone, in the user's language. */
export function skipReason(reason: SkipReason): string {
  switch (reason) {
    case 'inCode':
      return l10n.t('inside code');
    case 'remote':
      return l10n.t('a remote URL');
    case 'dataUri':
      return l10n.t('a data: URI');
    case 'unsupportedFormat':
      return l10n.t('a format Illustrate cannot make (.svg, .gif)');
    case 'emptyAlt':
      return l10n.t('no alt text to use as the prompt');
  }
}

export interface DocImage extends MarkdownImage {
  readonly html?: boolean;
  /** The decoded local path the link names, when it is one. */
  readonly local?: string;
  readonly skip?: SkipReason;
}

const MAX_IMG_TAG = 2000;
const BACKTICK = 0x60;

/** [start, end) offsets of fenced code blocks, indented code blocks and inline code spans. */
export function codeRegions(text: string): [number, number][] {
  const regions: [number, number][] = [];
  let fence: { char: string; length: number; start: number } | undefined;
  let previousBlank = true;
  let indented: number | undefined;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) {
      lineEnd = text.length;
    }
    const line = text.slice(lineStart, lineEnd);
    const blank = line.trim() === '';
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1][0] === fence.char && close[1].length >= fence.length) {
        regions.push([fence.start, lineEnd]);
        fence = undefined;
      }
    } else {
      const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      const isIndented = /^( {4}|\t)/.test(line) && !blank;
      if (indented !== undefined && !isIndented && !blank) {
        regions.push([indented, lineStart]);
        indented = undefined;
      }
      if (open) {
        fence = { char: open[1][0], length: open[1].length, start: lineStart };
      } else if (isIndented && previousBlank && indented === undefined) {
        indented = lineStart;
      } else if (indented === undefined && !blank) {
        inlineCode(text, lineStart, lineEnd, regions);
      }
    }
    previousBlank = blank;
    lineStart = lineEnd + 1;
  }
  if (fence) {
    regions.push([fence.start, text.length]);
  }
  if (indented !== undefined) {
    regions.push([indented, text.length]);
  }
  return regions.sort((a, b) => a[0] - b[0]);
}

/**
 * Inline code spans on one line: a run of backticks closed by the next run of the same length.
 * The runs are listed once and matched through a queue per length, so a line costs its length.
 */
function inlineCode(text: string, from: number, to: number, out: [number, number][]): void {
  const runs: { start: number; length: number }[] = [];
  // Read within the line only: an indexOf would search on to the next backtick, however far.
  for (let i = from; i < to; ) {
    if (text.charCodeAt(i) !== BACKTICK) {
      i++;
      continue;
    }
    let n = i;
    while (n < to && text.charCodeAt(n) === BACKTICK) {
      n++;
    }
    runs.push({ start: i, length: n - i });
    i = n;
  }
  const byLength = new Map<number, number[]>();
  runs.forEach((r, index) => {
    const list = byLength.get(r.length);
    if (list) {
      list.push(index);
    } else {
      byLength.set(r.length, [index]);
    }
  });
  const next = new Map<number, number>();
  for (let i = 0; i < runs.length; i++) {
    const { length, start } = runs[i];
    const queue = byLength.get(length)!;
    let at = next.get(length) ?? 0;
    while (at < queue.length && queue[at] <= i) {
      at++;
    }
    next.set(length, at);
    if (at < queue.length) {
      const j = queue[at];
      out.push([start, runs[j].start + length]);
      i = j;
    }
  }
}

function attribute(tag: string, name: string): { value: string; start: number } | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  if (!m) {
    return undefined;
  }
  const value = m[2] ?? m[3] ?? m[4] ?? '';
  return { value, start: m.index + m[0].length - value.length - (m[2] !== undefined || m[3] !== undefined ? 1 : 0) };
}

/** `<img src=… alt=…>` tags, bounded in length. */
function htmlImages(text: string): MarkdownImage[] {
  const out: MarkdownImage[] = [];
  const re = /<img\b/gi;
  let nextGt = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    // The next '>' only moves forward: found once for all the tags before it, the scan stays linear.
    if (nextGt < m.index) {
      nextGt = text.indexOf('>', m.index);
      if (nextGt < 0) {
        break;
      }
    }
    const end = nextGt;
    if (end - m.index > MAX_IMG_TAG) {
      continue;
    }
    const tag = text.slice(m.index, end + 1);
    const src = attribute(tag, 'src');
    if (!src) {
      continue;
    }
    const alt = attribute(tag, 'alt')?.value ?? '';
    const targetStart = m.index + src.start;
    out.push({ alt, target: src.value, targetStart, targetEnd: targetStart + src.value.length, bracketed: false, start: m.index, end: end + 1 });
    re.lastIndex = end + 1;
  }
  return out;
}

const UNSUPPORTED = new Set(['.svg', '.gif']);

/** Every image the document links to, with the reason it would be left alone, if any. */
export function scanDocument(text: string): DocImage[] {
  const code = codeRegions(text);
  const inCode = (offset: number): boolean => {
    // Regions are sorted and disjoint: a binary search keeps the whole scan linear-logarithmic.
    let lo = 0;
    let hi = code.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (offset < code[mid][0]) {
        hi = mid - 1;
      } else if (offset >= code[mid][1]) {
        lo = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  };
  const images: DocImage[] = [...findImages(text), ...htmlImages(text).map((i) => ({ ...i, html: true }))];
  return images
    .sort((a, b) => a.start - b.start)
    .map((image): DocImage => {
      const trimmed = image.target.trim();
      const local = localTarget(trimmed);
      let skip: SkipReason | undefined;
      if (inCode(image.start)) {
        skip = 'inCode';
      } else if (/^data:/i.test(trimmed)) {
        skip = 'dataUri';
      } else if (!local) {
        skip = 'remote';
      } else if (UNSUPPORTED.has(splitExt(local).ext.toLowerCase())) {
        skip = 'unsupportedFormat';
      } else if (!image.alt.trim()) {
        skip = 'emptyAlt';
      }
      return { ...image, local, skip };
    });
}
