/**
 * The images a markdown document links to, for filling in the missing ones: inline, `<…>`,
 * reference-style and HTML `<img>`, each with the reason it is left alone, if any. Linear in the
 * document: code regions are found line by line, images by the linear scanner.
 */
import * as l10n from '@vscode/l10n';
import { findImages, localTarget, MarkdownImage } from './markdown';
import { splitExt } from '../paths';
import { MarkdownBlocks } from './sites';

export type SkipReason = 'inCode' | 'remote' | 'dataUri' | 'unsupportedFormat' | 'avif' | 'emptyAlt' | 'jsx';

/** A link as a plan or a finding shows it: the markdown or HTML form it was written in, with its alt text and target. */
export function linkText(image: { readonly alt: string; readonly target: string; readonly html?: boolean; readonly imported?: ImportedImage }): string {
  if (image.imported) {
    return `<${image.imported.tag} src=${image.imported.src}${image.alt ? ` alt="${image.alt}"` : ''}>`;
  }
  return image.html ? `<img src="${image.target}"${image.alt ? ` alt="${image.alt}"` : ''}>` : `![${image.alt}](${image.target})`;
}

/** An MDX image whose src is code naming a file: an import, `require('./x.png')`, `useBaseUrl('/img/x.png')`. */
export interface ImportedImage {
  /** The tag as written: `img`, `Image`. */
  readonly tag: string;
  /** The src expression as written: `{hero}`. */
  readonly src: string;
}

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
    case 'avif':
      return l10n.t('an AVIF image, which Illustrate cannot write yet (link a .webp instead)');
    case 'jsx':
      return l10n.t('its src is a JSX expression (src={…}): code, which Illustrate does not rewrite');
  }
}

export interface DocImage extends MarkdownImage {
  readonly html?: boolean;
  /** HTML: the alt attribute's value, where it is (absent: no alt attribute). */
  readonly altValue?: { readonly start: number; readonly end: number; readonly quoted: boolean };
  /** HTML: `aria-hidden="true"`, hidden from screen readers (no alt text needed). */
  readonly ariaHidden?: boolean;
  /** The decoded local path the link names, when it is one. */
  readonly local?: string;
  /** MDX: the file is named by code (an import); `target` is the module path, and it is never rewritten. */
  readonly imported?: ImportedImage;
  readonly skip?: SkipReason;
}

const MAX_IMG_TAG = 2000;
const BACKTICK = 0x60;

/** Indented blocks whose content is markdown, not code (MkDocs' extensions); lists always are. */
export interface ScanOptions {
  readonly blocks?: MarkdownBlocks;
  /** GIF links are images like the others (for alt text; Illustrate cannot make GIFs). */
  readonly gif?: boolean;
}

const LIST_ITEM = /^([-+*]|\d{1,9}[.)])( {1,4}|\t|$)/;

const SPACE = 0x20;
const TAB = 0x09;
/**
 * First characters of a line that may open or close something (a fence, a list item, an
 * admonition, details, a tab, a definition): a line starting with any other printable ASCII
 * character is read without slicing it.
 */
const MARKERS = new Set([...'`~-+*0123456789!?=:'].map((c) => c.charCodeAt(0)));

/** The content column a container opened on this line gives its lines (a list item, an admonition…); undefined for none. */
function containerStart(rest: string, at: number, blocks: MarkdownBlocks | undefined): number | undefined {
  const item = LIST_ITEM.exec(rest);
  if (item) {
    const spaces = item[2] === '\t' ? 1 : item[2].length;
    // Five or more spaces after the marker: the content starts one space after it (CommonMark).
    return at + item[1].length + (spaces > 4 ? 1 : Math.max(spaces, 1));
  }
  if (blocks) {
    if ((blocks.admonition && /^!!!\s+\S/.test(rest)) || (blocks.details && /^\?\?\?\+?\s+\S/.test(rest)) || (blocks.tabbed && /^===\+?\s+"/.test(rest)) || (blocks.defList && /^:\s{1,3}\S/.test(rest))) {
      return at + 4;
    }
  }
  return undefined;
}

/**
 * [start, end) offsets of fenced code blocks, indented code blocks and inline code spans, with
 * list items (and, with `blocks`, admonitions, details, tabs and definitions) taken as containers:
 * their indented content is markdown, and code inside them is indented past their content column.
 */
export function codeRegions(text: string, options: ScanOptions = {}): [number, number][] {
  return regionsOfCode(text, options, () => true);
}

/**
 * Whether a line, read in order, holds a character an image or a comment starts with ("!", "<",
 * "{"): only there does scanDocument ask whether an offset is in an inline code span. Each
 * character's next place is searched on from the last, so all lines together cost the text's length.
 */
function linesWithStarts(text: string): (lineStart: number, lineEnd: number) => boolean {
  const next = [-1, -1, -1];
  const chars = ['!', '<', '{'];
  return (lineStart, lineEnd) => {
    let found = false;
    for (let k = 0; k < 3; k++) {
      if (next[k] !== Infinity && next[k] < lineStart) {
        const at = text.indexOf(chars[k], lineStart);
        next[k] = at < 0 ? Infinity : at;
      }
      found ||= next[k] < lineEnd;
    }
    return found;
  };
}

/** codeRegions, with inline code spans looked for only on the lines `spansOn` names (block regions on every line). */
function regionsOfCode(text: string, options: ScanOptions, spansOn: (lineStart: number, lineEnd: number) => boolean): [number, number][] {
  const regions: [number, number][] = [];
  let fence: { char: string; length: number; start: number; base: number } | undefined;
  let previousBlank = true;
  let indented: { start: number; base: number } | undefined;
  /** Content columns of the open containers, innermost last. */
  const containers: number[] = [];
  /** The next backtick at or after the line being read (-1: none left): lines without one have no code span. */
  let nextTick = text.indexOf('`');
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) {
      lineEnd = text.length;
    }
    // The line's indentation and first other character, read in place; a line whose first other
    // character may matter (white space of another kind, a marker, a fence) is sliced and read whole.
    let indent = 0;
    let first = lineStart;
    for (; first < lineEnd; first++) {
      const c = text.charCodeAt(first);
      if (c === SPACE) {
        indent++;
      } else if (c === TAB) {
        indent += 4 - (indent % 4);
      } else {
        break;
      }
    }
    const lead = first < lineEnd ? text.charCodeAt(first) : -1;
    const plain = lead > 0x20 && lead < 0x7f && !MARKERS.has(lead);
    const line = plain ? '' : text.slice(lineStart, lineEnd);
    const blank = lead < 0 || (!plain && (lead <= 0x20 || lead >= 0x7f) && line.trim() === '');
    if (fence) {
      const close = plain ? null : /^\s*(`{3,}|~{3,})\s*$/.exec(line);
      if (close && indent - fence.base <= 3 && close[1][0] === fence.char && close[1].length >= fence.length) {
        regions.push([fence.start, lineEnd]);
        fence = undefined;
      }
    } else if (!blank) {
      // Lines less indented than a container's content close it after a blank line (else they continue its paragraph).
      if (previousBlank || indented) {
        while (containers.length && indent < containers[containers.length - 1]) {
          containers.pop();
        }
      }
      const base = containers.length ? containers[containers.length - 1] : 0;
      if (indented !== undefined && (indent - indented.base < 4 || indented.base !== base)) {
        regions.push([indented.start, lineStart]);
        indented = undefined;
      }
      const relative = indent - base;
      const rest = plain ? '' : line.trimStart();
      if (indented === undefined && relative >= 4 && previousBlank) {
        indented = { start: lineStart, base };
      } else if (indented === undefined) {
        const open = relative <= 3 && !plain ? /^(`{3,}|~{3,})/.exec(rest) : null;
        if (open) {
          fence = { char: open[1][0], length: open[1].length, start: lineStart, base };
        } else {
          const inner = relative <= 3 && !plain ? containerStart(rest, indent, options.blocks) : undefined;
          if (inner !== undefined) {
            containers.push(inner);
          }
          if (nextTick >= 0 && nextTick < lineStart) {
            nextTick = text.indexOf('`', lineStart);
          }
          if (nextTick >= 0 && nextTick < lineEnd && spansOn(lineStart, lineEnd)) {
            nextTick = inlineCode(text, nextTick, lineEnd, regions);
          }
        }
      }
    }
    previousBlank = blank;
    lineStart = lineEnd + 1;
  }
  if (fence) {
    regions.push([fence.start, text.length]);
  }
  if (indented !== undefined) {
    regions.push([indented.start, text.length]);
  }
  return regions.sort((a, b) => a[0] - b[0]);
}

/**
 * [start, end) offsets of HTML comments (`<!-- … -->`) and MDX comments (`{/* … *\/}`) outside
 * code: what they hold is not on the page. One forward pass: each search starts where the last ended.
 */
export function commentRegions(text: string, inCode: (offset: number) => boolean): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  let nextHtml = text.indexOf('<!--', at);
  let nextMdx = text.indexOf('{/*', at);
  while (nextHtml >= 0 || nextMdx >= 0) {
    const html = nextHtml >= 0 && (nextMdx < 0 || nextHtml < nextMdx);
    const start = html ? nextHtml : nextMdx;
    if (inCode(start)) {
      at = start + 1;
    } else {
      const close = html ? text.indexOf('-->', start + 4) : text.indexOf('*/}', start + 3);
      const end = close < 0 ? text.length : close + 3;
      out.push([start, end]);
      at = end;
    }
    if (nextHtml >= 0 && nextHtml < at) {
      nextHtml = text.indexOf('<!--', at);
    }
    if (nextMdx >= 0 && nextMdx < at) {
      nextMdx = text.indexOf('{/*', at);
    }
  }
  return out;
}

/** Whether `offset` falls in one of the sorted, disjoint `regions` (a binary search). */
function within(regions: readonly [number, number][], offset: number): boolean {
  let lo = 0;
  let hi = regions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (offset < regions[mid][0]) {
      hi = mid - 1;
    } else if (offset >= regions[mid][1]) {
      lo = mid + 1;
    } else {
      return true;
    }
  }
  return false;
}

/**
 * Inline code spans on one line, from its first backtick `from` to its end `to`: a run of backticks
 * closed by the next run of the same length. The runs are listed once and matched through a queue
 * per length, so a line costs its length. Returns the first backtick after the line (-1: none), where
 * the next line's search starts: each backtick search goes on from where the last one stopped.
 */
function inlineCode(text: string, from: number, to: number, out: [number, number][]): number {
  const starts: number[] = [];
  const lengths: number[] = [];
  let i = from;
  while (i >= 0 && i < to) {
    let n = i + 1;
    while (n < to && text.charCodeAt(n) === BACKTICK) {
      n++;
    }
    starts.push(i);
    lengths.push(n - i);
    i = text.indexOf('`', n);
  }
  const byLength = new Map<number, number[]>();
  for (let r = 0; r < lengths.length; r++) {
    const list = byLength.get(lengths[r]);
    if (list) {
      list.push(r);
    } else {
      byLength.set(lengths[r], [r]);
    }
  }
  const next = new Map<number, number>();
  for (let r = 0; r < starts.length; r++) {
    const length = lengths[r];
    const queue = byLength.get(length)!;
    let at = next.get(length) ?? 0;
    while (at < queue.length && queue[at] <= r) {
      at++;
    }
    next.set(length, at);
    if (at < queue.length) {
      const j = queue[at];
      out.push([starts[r], starts[j] + length]);
      r = j;
    }
  }
  return i;
}

function isSpace(c: string | undefined): boolean {
  return c !== undefined && /\s/.test(c);
}

/**
 * The value of attribute `name` (lower case; matched in any ASCII case) of a tag, read as HTML reads
 * it: attributes left to right, each value in `"…"`, `'…'` or up to a space or `>`. So ` alt=` inside
 * another attribute's quoted value is part of that value, never an attribute. One pass.
 */
function attribute(tag: string, name: string): { value: string; start: number } | undefined {
  let i = 1;
  while (i < tag.length && !isSpace(tag[i]) && tag[i] !== '>' && tag[i] !== '/') {
    i++; // the tag's own name
  }
  for (;;) {
    while (i < tag.length && (isSpace(tag[i]) || tag[i] === '/')) {
      i++;
    }
    if (i >= tag.length || tag[i] === '>') {
      return undefined;
    }
    const nameStart = i;
    while (i < tag.length && !isSpace(tag[i]) && tag[i] !== '=' && tag[i] !== '>' && tag[i] !== '/') {
      i++;
    }
    const attr = tag.slice(nameStart, i).replace(/[A-Z]/g, (c) => c.toLowerCase());
    while (isSpace(tag[i])) {
      i++;
    }
    if (tag[i] !== '=') {
      continue; // a name without a value
    }
    i++;
    while (isSpace(tag[i])) {
      i++;
    }
    let value: { value: string; start: number };
    const quote = tag[i];
    if (quote === '"' || quote === "'") {
      const close = tag.indexOf(quote, i + 1);
      if (close < 0) {
        return undefined; // an unclosed value takes the rest of the tag
      }
      value = { value: tag.slice(i + 1, close), start: i + 1 };
      i = close + 1;
    } else {
      const start = i;
      while (i < tag.length && tag[i] !== '>' && !isSpace(tag[i])) {
        i++;
      }
      value = { value: tag.slice(start, i), start };
    }
    if (attr === name) {
      return value;
    }
  }
}

// `import hero from './hero.png'` (MDX ESM, or an Astro page's frontmatter), one per line.
const IMPORT_LINE = /^[ \t]*import[ \t]+([A-Za-z_$][\w$]{0,100})[ \t]+from[ \t]+(?:'([^'\n]{1,500})'|"([^"\n]{1,500})")/gm;
const IDENTIFIER = /^([A-Za-z_$][\w$]{0,100})(?:\.src)?$/;
const REQUIRE = /^require\(\s*(?:'([^'\n]{1,500})'|"([^"\n]{1,500})")\s*\)(?:\.default)?$/;
const USE_BASE_URL = /^useBaseUrl\(\s*(?:'([^'\n]{1,500})'|"([^"\n]{1,500})")\s*\)$/;

/** Default imports of image files: name → the module path and where its string is. */
function imageImports(text: string): Map<string, { path: string; start: number }> {
  const out = new Map<string, { path: string; start: number }>();
  for (const m of text.matchAll(IMPORT_LINE)) {
    const path = m[2] ?? m[3];
    if (/\.(png|jpe?g|webp|gif|svg|avif)$/i.test(path) && out.size < 1000) {
      out.set(m[1], { path, start: m.index + m[0].length - path.length - 1 });
    }
  }
  return out;
}

/** The file a JSX src expression names (`{hero}`, `{require('./x.png').default}`, `{useBaseUrl('/img/x.png')}`), or undefined. */
function expressionFile(expression: string, imports: () => Map<string, { path: string; start: number }>): { path: string; start?: number } | undefined {
  const inner = expression.slice(1, expression.indexOf('}')).trim();
  const name = IDENTIFIER.exec(inner);
  if (name) {
    return imports().get(name[1]);
  }
  const call = REQUIRE.exec(inner) ?? USE_BASE_URL.exec(inner);
  const path = call ? (call[1] ?? call[2]) : undefined;
  // A package's file (`pkg/x.png`) is not the site's: only paths relative to the page, the site or @site/.
  return path && (path.startsWith('.') || path.startsWith('/') || path.startsWith('@site/')) ? { path } : undefined;
}

/** Whether a character code is a word character as a regular expression's \b reads it ([A-Za-z0-9_]). */
function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** Whether `word` (lower case letters) is at `at` in any ASCII case, a whole word. */
function wordAt(text: string, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    if ((text.charCodeAt(at + k) | 0x20) !== word.charCodeAt(k)) {
      return false;
    }
  }
  return !isWordChar(text.charCodeAt(at + word.length));
}

/** The next `<img` or `<Image` (any case, a whole word) at or after `from`, as /<(?:img|Image)\b/gi finds it: each "<" found with indexOf. */
function nextImageTag(text: string, from: number): { index: number; name: string } | undefined {
  for (let i = text.indexOf('<', from); i >= 0; i = text.indexOf('<', i + 1)) {
    if (wordAt(text, i + 1, 'img')) {
      return { index: i, name: text.slice(i, i + 4) };
    }
    if (wordAt(text, i + 1, 'image')) {
      return { index: i, name: text.slice(i, i + 6) };
    }
  }
  return undefined;
}

/**
 * Where tags end as HTML reads them: at the first `>` outside a quoted attribute value, so
 * `<img alt="A -> B" src="flow.png">` is one tag. Linear over a document: the characters before a
 * tag's first `>` are walked once (the next tag starts after it), the quoted values found from a
 * list of the quotes' positions, and a tag reaching past its first `>` walks only ground no other
 * tag walked past its first `>`; a tag that cannot end within MAX_IMG_TAG ends at its first `>`.
 */
class TagEnds {
  private quotes: { readonly '"': number[]; readonly "'": number[] } | undefined;
  /** The furthest any tag has walked past its first `>`. */
  private extended = -1;

  constructor(private readonly text: string) {}

  /** The position of the next `quote` at or after `from`, or -1. */
  private nextQuote(quote: '"' | "'", from: number): number {
    if (!this.quotes) {
      const found = { '"': [] as number[], "'": [] as number[] };
      for (let i = 0; i < this.text.length; i++) {
        const c = this.text[i];
        if (c === '"' || c === "'") {
          found[c].push(i);
        }
      }
      this.quotes = found;
    }
    const list = this.quotes[quote];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] < from) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < list.length ? list[lo] : -1;
  }

  /** The `>` that ends the tag opened at `start` (its name `nameLength` long) whose first `>` is `firstGt`. */
  end(start: number, nameLength: number, firstGt: number): number {
    const { text } = this;
    // How far earlier tags walked past their first `>`: ground past this tag's first `>` is walked once.
    const before = this.extended;
    const limit = Math.min(start + MAX_IMG_TAG, text.length - 1);
    const done = (at: number, walked: number): number => {
      if (walked > firstGt) {
        this.extended = Math.max(this.extended, walked);
      }
      return at;
    };
    let i = start + nameLength;
    for (; i <= limit; i++) {
      if (i > firstGt && firstGt <= before) {
        return firstGt;
      }
      const c = text[i];
      if (c === '>') {
        return done(i, i);
      }
      if (c !== '=') {
        continue;
      }
      let v = i + 1;
      while (v <= limit && isSpace(text[v])) {
        v++;
      }
      const quote = text[v];
      if (quote !== '"' && quote !== "'") {
        continue;
      }
      const close = this.nextQuote(quote, v + 1);
      // An unclosed or overlong value: the tag ends at its first `>`, as before.
      if (close < 0 || close > limit) {
        return done(firstGt, v);
      }
      i = close;
    }
    return done(firstGt, i);
  }
}

/** `<img src=… alt=…>` tags (and MDX's `<Image src={…}>`), bounded in length; `imports` read only for a src={…}. */
function htmlImages(text: string, imports: () => Map<string, { path: string; start: number }>): DocImage[] {
  const out: DocImage[] = [];
  const ends = new TagEnds(text);
  let nextGt = -1;
  let from = 0;
  for (let m = nextImageTag(text, from); m; m = nextImageTag(text, from)) {
    from = m.index + m.name.length;
    // The next '>' only moves forward: found once for all the tags before it, the scan stays linear.
    if (nextGt < m.index) {
      nextGt = text.indexOf('>', m.index);
      if (nextGt < 0) {
        break;
      }
    }
    if (nextGt - m.index > MAX_IMG_TAG) {
      continue;
    }
    // A quoted value may hold a `>` (`alt="A -> B"`): the tag ends at the first one outside quotes.
    const end = ends.end(m.index, m.name.length, nextGt);
    // An `<img` inside this tag is part of it (and has no src if the tag has none): read each tag once.
    from = end + 1;
    const tag = text.slice(m.index, end + 1);
    const src = attribute(tag, 'src');
    if (!src) {
      continue;
    }
    const altAttr = attribute(tag, 'alt');
    // An alt attribute wrapped over lines is one sentence: the prompt and the plan show it on one line.
    const alt = (altAttr?.value ?? '').replace(/\s+/g, ' ').trim();
    const targetStart = m.index + src.start;
    const altValue = altAttr && { start: m.index + altAttr.start, end: m.index + altAttr.start + altAttr.value.length, quoted: tag[altAttr.start - 1] === '"' || tag[altAttr.start - 1] === "'" };
    const ariaHidden = attribute(tag, 'aria-hidden')?.value.toLowerCase() === 'true';
    const file = src.value.startsWith('{') ? expressionFile(src.value, imports) : undefined;
    if (file) {
      // The file an import names: reported and made at its path; the import and the tag stay as written.
      const imported: ImportedImage = { tag: tag.slice(1, m.name.length), src: src.value.slice(0, src.value.indexOf('}') + 1) };
      const at = file.start ?? targetStart;
      out.push({ alt, target: file.path, targetStart: at, targetEnd: at + (file.start === undefined ? src.value.length : file.path.length), bracketed: false, start: m.index, end: end + 1, altValue, ariaHidden, imported });
      continue;
    }
    out.push({ alt, target: src.value, targetStart, targetEnd: targetStart + src.value.length, bracketed: false, start: m.index, end: end + 1, altValue, ariaHidden });
  }
  return out;
}

const UNSUPPORTED = new Set(['.svg', '.gif']);

/** A path's extension in lower case (`.png`), '' for none. */
function extOf(path: string): string {
  return splitExt(path).ext.toLowerCase();
}

/**
 * Every image the document links to, with the reason it would be left alone, if any. Images in
 * HTML or MDX comments are not on the page and are not listed.
 */
export function scanDocument(text: string, options: ScanOptions = {}): DocImage[] {
  // Only image and comment starts are asked about: inline code spans are read on their lines only.
  const code = regionsOfCode(text, options, linesWithStarts(text));
  const inCode = (offset: number): boolean => within(code, offset);
  const comments = commentRegions(text, inCode);
  let imports: Map<string, { path: string; start: number }> | undefined;
  const importsOnce = (): Map<string, { path: string; start: number }> => (imports ??= text.includes('import') ? imageImports(text) : new Map());
  const images: DocImage[] = [...findImages(text), ...htmlImages(text, importsOnce).map((i) => Object.assign({}, i, { html: true }))];
  return images
    .filter((image) => !within(comments, image.start))
    .sort((a, b) => a.start - b.start)
    .map((image): DocImage => {
      const trimmed = image.target.trim();
      const jsx = image.html === true && trimmed.startsWith('{');
      const local = jsx ? undefined : localTarget(trimmed);
      let skip: SkipReason | undefined;
      if (inCode(image.start)) {
        skip = 'inCode';
      } else if (jsx) {
        skip = 'jsx';
      } else if (/^data:/i.test(trimmed)) {
        skip = 'dataUri';
      } else if (!local) {
        skip = 'remote';
      } else if (UNSUPPORTED.has(extOf(local)) && !(options.gif && extOf(local) === '.gif')) {
        skip = 'unsupportedFormat';
      } else if (extOf(local) === '.avif') {
        skip = 'avif';
      } else if (!image.alt.trim()) {
        skip = 'emptyAlt';
      }
      // Object.assign rather than a spread: the same object, several times faster on images of mixed shapes.
      return Object.assign({}, image, { local, skip });
    });
}
