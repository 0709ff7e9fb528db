/**
 * Alt text that cannot serve as a description (nor as a prompt): the words linters flag
 * (markdownlint-github's no-default-alt-text, jsx-a11y's redundant words) and file-name-like text.
 */
import { Dialect, htmlAttribute, imageDescription } from '../escape';
import { basename } from '../paths';
import { trimEndOf } from '../text';

/** Words that name a kind of picture, not what it shows. */
const GENERIC = new Set(
  [
    'image',
    'img',
    'picture',
    'pic',
    'photo',
    'photograph',
    'screenshot',
    'screen shot',
    'screen capture',
    'screencap',
    'screengrab',
    'capture',
    'snapshot',
    'alt text',
    'alt',
    'output',
    'figure',
    'graphic',
    'illustration',
    'icon',
    'diagram',
    'placeholder',
    'untitled',
    'todo',
    'tbd',
    'demo',
    'example',
    'preview',
  ].map((w) => w.toLowerCase()),
);

/** Screenshot tools' default names with a date: `Screen Shot 2024-05-01 at 10.32.11`. */
const TOOL_DEFAULT = /^(screen ?shot|screenshot|clean ?shot|screencast|screen recording|capture d[’']écran|bildschirmfoto)\b.*\d{4}-\d{2}-\d{2}/i;
const IMAGE_FILE = /\.(png|jpe?g|gif|webp|avif|svg|bmp|tiff?|heic)$/i;

/**
 * Why `alt` cannot describe the picture (so cannot be its prompt), or undefined when it can.
 * `target` is the link, to tell alt text that only repeats the file name.
 */
export function genericAlt(alt: string, target: string): 'generic' | 'fileName' | undefined {
  const text = alt.trim().replace(/\s+/g, ' ');
  if (!text) {
    return undefined;
  }
  const lower = trimEndOf(text.toLowerCase(), /[.:!]/);
  // A generic word numbered (`image 2`, `figure_3`): the digits, then the separators before them.
  const digits = trimEndOf(lower, /\d/);
  const unnumbered = digits.length < lower.length ? trimEndOf(digits, /[\s_-]/) : lower;
  // No letter at all (`✔`, `---`, `1`) describes nothing.
  if (GENERIC.has(lower) || GENERIC.has(unnumbered) || TOOL_DEFAULT.test(text) || !/\p{L}/u.test(text)) {
    return 'generic';
  }
  const file = basename(target.split(/[?#]/)[0]);
  // The file name itself; one word that is also the file's stem (`![fox](fox.png)`) may still describe it.
  if (IMAGE_FILE.test(text) || lower === file.toLowerCase()) {
    return 'fileName';
  }
  // One token that reads like an identifier (`perf-basic-scheduling`, `failure1`, `img_023`): a name, not a description.
  if (!/\s/.test(text) && /[-_]|\d/.test(text) && /^[\w.-]+$/.test(text)) {
    return 'fileName';
  }
  return undefined;
}

/** Why an image's alt text needs writing: none at all, or one that describes nothing. */
export type AltNeed = 'missing' | 'generic' | 'fileName';

/** The parts of a linked image the alt-text rules look at (a `DocImage`). */
export interface AltImage {
  readonly alt: string;
  readonly target: string;
  readonly start: number;
  readonly altEnd?: number;
  /** Where the whole link ends, and for a reference-style image its label (normalized). */
  readonly end?: number;
  readonly reference?: string;
  readonly html?: boolean;
  readonly altValue?: { readonly start: number; readonly end: number; readonly quoted: boolean };
  readonly ariaHidden?: boolean;
}

/**
 * What an image's alt text needs, or undefined when it is fine or meant to be empty: markdown
 * `![](…)` has none (markdownlint MD045); HTML `<img>` without `alt` has none, while `alt=""` is
 * decorative and `aria-hidden="true"` is hidden from screen readers; a generic or file-name alt
 * text describes nothing (GitHub's no-default-alt-text and more).
 */
export function altNeed(image: AltImage): AltNeed | undefined {
  if (image.html) {
    if (image.ariaHidden) {
      return undefined;
    }
    if (!image.altValue) {
      return 'missing';
    }
    if (!image.alt.trim() || image.alt.trim().startsWith('{')) {
      return undefined;
    }
    return genericAlt(image.alt, image.target);
  }
  if (image.altEnd === undefined) {
    return undefined;
  }
  return image.alt.trim() ? genericAlt(image.alt, image.target) : 'missing';
}

/** One replacement in a document's text. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * The edit that gives an image the alt text `alt` (one line, as plain text), changing nothing
 * else of the line: markdown replaces what is between `![` and `]` (escaped); HTML replaces the
 * `alt` value or adds ` alt="…"` after `<img`. `decorative`: HTML gets `alt=""`; markdown has no
 * decorative marker, so it gets no edit (undefined).
 */
export function altEdit(image: AltImage, alt: string, decorative = false, dialect: Dialect = 'markdown'): TextEdit | undefined {
  const line = alt.replace(/\s+/g, ' ').trim();
  if (image.html) {
    const value = decorative ? '' : htmlAttribute(line);
    if (!image.altValue) {
      return { start: image.start + 4, end: image.start + 4, text: ` alt="${value}"` };
    }
    return image.altValue.quoted
      ? { start: image.altValue.start, end: image.altValue.end, text: value }
      : { start: image.altValue.start, end: image.altValue.end, text: `"${value}"` };
  }
  if (decorative || image.altEnd === undefined || !line) {
    return undefined;
  }
  const text = imageDescription(line, dialect);
  // `![label]` and `![label][]` take their label from the alt text: the new alt text keeps the old label.
  const labelIsAlt = image.reference !== undefined && image.end !== undefined && (image.end === image.altEnd + 1 || image.end === image.altEnd + 3);
  return labelIsAlt ? { start: image.start + 2, end: image.end!, text: `${text}][${image.reference}]` } : { start: image.start + 2, end: image.altEnd, text };
}

/** Applies non-overlapping edits to a text (any order), in one pass. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let at = 0;
  for (const e of sorted) {
    parts.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
