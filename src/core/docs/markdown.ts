/** Finding markdown images in text, and keeping an insertion point valid while the user types. */

export interface MarkdownImage {
  readonly alt: string;
  /** For `![alt](…)` and `![alt][ref]`: where the alt text as written ends (it starts at `start + 2`). */
  readonly altEnd?: number;
  /** The link target as written, without `<…>` or a title. */
  readonly target: string;
  /** Offsets of the target text in the document (inside `<…>` when bracketed). */
  readonly targetStart: number;
  readonly targetEnd: number;
  readonly bracketed: boolean;
  /** Offsets of the whole image, `![` to the closing `)` or `]`. */
  readonly start: number;
  readonly end: number;
  readonly reference?: string;
}

/** Bounds that keep every scan linear: no image is longer than these, however hostile the text. */
const MAX_ALT = 2000;
const MAX_TARGET = 2048;
const MAX_TITLE = 1000;
const MAX_LABEL = 999;
const MAX_OPEN = 32;
const MAX_PARENS = 8;
/** How far around the cursor `imageAt` looks: more than the longest image these bounds allow. */
const WINDOW = 8192;

export function unescapeAlt(alt: string): string {
  return alt.indexOf('\\') < 0 ? alt : alt.replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');
}

interface Destination {
  readonly target: string;
  readonly targetStart: number;
  readonly bracketed: boolean;
  readonly end: number;
}

interface ReferenceUse {
  readonly start: number;
  readonly end: number;
  readonly altEnd: number;
  readonly alt: string;
  readonly label: string;
}

const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const CR = 0x0d;
const BANG = 0x21;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const PAREN = 0x28;
const RPAREN = 0x29;
const COLON = 0x3a;
const LT = 0x3c;
const GT = 0x3e;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const SPACE = 0x20;

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** Spaces, tabs and at most one line break from `i`; where they end. */
function skipSpace(text: string, i: number, to: number): number {
  let newline = false;
  while (i < to) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
    } else if ((c === '\n' || c === '\r') && !newline) {
      newline = true;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      break;
    }
  }
  return i;
}

/**
 * `(destination "title")` from just after the "(". A bare destination stops at "]" and a bracketed
 * one at "<", so no scan can run over the start of another: each character is read a bounded
 * number of times.
 */
function parseDestination(text: string, open: number, to: number): Destination | undefined {
  let i = skipSpace(text, open, to);
  const bracketed = text.charCodeAt(i) === LT;
  const targetStart = bracketed ? i + 1 : i;
  let target: string;
  if (bracketed) {
    i++;
    const limit = Math.min(to, i + MAX_TARGET);
    for (; i < limit; i++) {
      const c = text.charCodeAt(i);
      if (c === GT) {
        break;
      }
      if (c === NEWLINE || c === CR || c === LT) {
        return undefined;
      }
      if (c === BACKSLASH) {
        i++;
      }
    }
    if (i >= limit) {
      return undefined;
    }
    target = text.slice(targetStart, i);
    i++;
  } else {
    let depth = 0;
    const limit = Math.min(to, i + MAX_TARGET);
    for (; i < limit; i++) {
      const c = text.charCodeAt(i);
      if (c === BACKSLASH) {
        i++;
      } else if (c === PAREN) {
        if (++depth > MAX_PARENS) {
          return undefined;
        }
      } else if (c === RPAREN) {
        if (depth === 0) {
          break;
        }
        depth--;
      } else if (c <= 0x20 || c === 0x7f || c === CLOSE) {
        break;
      }
    }
    if (i >= limit || depth !== 0) {
      return undefined;
    }
    target = text.slice(targetStart, i);
  }
  const afterTarget = i;
  i = skipSpace(text, i, to);
  const q = text.charCodeAt(i);
  if (i > afterTarget && (q === DQUOTE || q === SQUOTE || q === PAREN)) {
    const close = q === PAREN ? RPAREN : q;
    const limit = Math.min(to, i + 1 + MAX_TITLE);
    let j = i + 1;
    let lineBreaks = 0;
    for (; j < limit; j++) {
      const c = text.charCodeAt(j);
      if (c === close) {
        break;
      }
      if (c === BACKSLASH) {
        j++;
      } else if ((c === NEWLINE && ++lineBreaks > 1) || (q === PAREN && c === PAREN)) {
        return undefined;
      }
    }
    if (j >= limit) {
      return undefined;
    }
    i = skipSpace(text, j + 1, to);
  }
  if (text.charCodeAt(i) !== RPAREN) {
    return undefined;
  }
  return { target, targetStart, bracketed, end: i + 1 };
}

/** Whether the line after the break at `i` (a "\n") is blank; reads only that line's leading white space. */
function blankLineAfter(text: string, i: number, to: number): boolean {
  let j = i + 1;
  while (j < to && (isSpace(text[j]) || text[j] === '\r')) {
    j++;
  }
  return j >= to || text[j] === '\n';
}


/** How many backslashes run back from `i - 1` to no earlier than `from`. */
function backslashesBefore(text: string, i: number, from: number): number {
  let j = i;
  while (j > from && text.charCodeAt(j - 1) === BACKSLASH) {
    j--;
  }
  return i - j;
}

/**
 * Where the character-by-character scan, started at `from` with no bracket open, would next leave
 * one open: an unescaped "![" (its "!") or "[", else `to`. Between `from` and there only
 * backslashes matter (each escapes the next character), so the "[" is found with indexOf and the
 * run of backslashes before it is counted; a "[" whose "]" follows with no bracket, backslash or
 * line break between is passed over. Every character is still read a bounded number of times.
 */
function nextOpening(text: string, from: number, to: number): number {
  for (let at = from; at < to; ) {
    const j = text.indexOf('[', at);
    if (j < 0 || j >= to) {
      return to;
    }
    if (j > at && text.charCodeAt(j - 1) === BANG) {
      // An unescaped "!" opens with this "["; an escaped one leaves the "[" unescaped.
      return backslashesBefore(text, j - 1, at) % 2 === 0 ? j - 1 : j;
    }
    if (backslashesBefore(text, j, at) % 2 !== 0) {
      at = j + 1;
      continue;
    }
    // A "[" closed by a "]" with nothing between that matters (a link's text) opens and closes: read past it.
    let k = j + 1;
    for (; k < to; k++) {
      const c = text.charCodeAt(k);
      if (c === CLOSE || c === OPEN || c === BACKSLASH || c === NEWLINE) {
        break;
      }
    }
    if (k >= to || text.charCodeAt(k) !== CLOSE) {
      return j;
    }
    at = k + 1;
  }
  return to;
}

/** Inline images and uses of reference-style images in text[from, to), in one pass. */
function scan(text: string, from: number, to: number): { images: MarkdownImage[]; references: ReferenceUse[] } {
  const images: MarkdownImage[] = [];
  const references: ReferenceUse[] = [];
  // Open brackets, innermost last (position, negated for "!["); alt text cannot span a blank
  // line, so a blank line clears them; only the innermost MAX_OPEN are kept.
  let open: number[] = [];
  for (let i = from; i < to; i++) {
    if (!open.length) {
      // Nothing open: only an unescaped "[" or "![" can start anything, found without reading each character.
      i = nextOpening(text, i, to);
      if (i >= to) {
        break;
      }
    }
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      i++;
    } else if (c === NEWLINE) {
      if (open.length && blankLineAfter(text, i, to)) {
        open = [];
      }
    } else if (c === OPEN || (c === BANG && text.charCodeAt(i + 1) === OPEN)) {
      if (open.length >= 2 * MAX_OPEN) {
        open = open.slice(MAX_OPEN);
      }
      open.push(c === BANG ? -1 - i : i);
      if (c === BANG) {
        i++;
      }
    } else if (c === CLOSE && open.length) {
      const top = open.pop()!;
      if (top >= 0) {
        continue;
      }
      const at = -1 - top;
      if (i - at - 2 > MAX_ALT) {
        continue;
      }
      const next = text.charCodeAt(i + 1);
      if (next === PAREN) {
        const dest = parseDestination(text, i + 2, to);
        if (dest) {
          images.push({
            alt: unescapeAlt(text.slice(at + 2, i)),
            altEnd: i,
            target: dest.target,
            targetStart: dest.targetStart,
            targetEnd: dest.targetStart + dest.target.length,
            bracketed: dest.bracketed,
            start: at,
            end: dest.end,
          });
          // Brackets and reference-style uses inside the image's alt text end with it.
          while (open.length && (open[open.length - 1] < 0 ? -1 - open[open.length - 1] : open[open.length - 1]) > at) {
            open.pop();
          }
          while (references.length && references[references.length - 1].start > at) {
            references.pop();
          }
          i = dest.end - 1;
        }
        continue;
      }
      if (next === COLON) {
        continue;
      }
      const rawAlt = text.slice(at + 2, i);
      let label = rawAlt;
      let end = i + 1;
      if (next === OPEN) {
        const close = findLabelEnd(text, i + 2, to);
        if (close >= 0) {
          label = text.slice(i + 2, close) || rawAlt;
          end = close + 1;
        }
      }
      references.push({ start: at, end, alt: unescapeAlt(rawAlt), altEnd: i, label });
      i = end - 1;
    }
  }
  return { images, references };
}

/** The "]" that closes a reference label starting at `i`, or -1: labels hold no brackets. */
function findLabelEnd(text: string, i: number, to: number): number {
  const limit = Math.min(to, i + MAX_LABEL);
  for (; i < limit; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
    } else if (c === ']') {
      return i;
    } else if (c === '[') {
      return -1;
    }
  }
  return -1;
}

function normalizeLabel(label: string): string {
  return label.toLowerCase().replace(/\s+/g, ' ').trim();
}

interface Definition {
  readonly target: string;
  readonly targetStart: number;
  readonly bracketed: boolean;
}

/** `[label]: destination` lines; the first definition of a label wins. One pass, line by line. */
function findDefinitions(text: string): Map<string, Definition> {
  const defs = new Map<string, Definition>();
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) {
      lineEnd = text.length;
    }
    let i = lineStart;
    while (i < lineEnd && i - lineStart < 3 && text.charCodeAt(i) === SPACE) {
      i++;
    }
    if (text.charCodeAt(i) === OPEN) {
      const close = findLabelEnd(text, i + 1, lineEnd);
      if (close > i + 1 && text[close + 1] === ':') {
        const id = normalizeLabel(text.slice(i + 1, close));
        let j = close + 2;
        while (j < lineEnd && isSpace(text[j])) {
          j++;
        }
        let k = j;
        let bracketed = false;
        if (text[j] === '<') {
          bracketed = true;
          k = j + 1;
          while (k < lineEnd && text[k] !== '>') {
            k++;
          }
          k = k < lineEnd ? k : -1;
        } else {
          while (k < lineEnd && !/\s/.test(text[k])) {
            k++;
          }
        }
        if (id && k > j && !defs.has(id)) {
          const targetStart = bracketed ? j + 1 : j;
          defs.set(id, { target: text.slice(targetStart, k), targetStart, bracketed });
        }
      }
    }
    lineStart = lineEnd + 1;
  }
  return defs;
}

function resolve(references: readonly ReferenceUse[], definitions: () => Map<string, Definition>): MarkdownImage[] {
  const out: MarkdownImage[] = [];
  for (const r of references) {
    const label = normalizeLabel(r.label);
    const def = definitions().get(label);
    if (def) {
      out.push({
        alt: r.alt,
        altEnd: r.altEnd,
        target: def.target,
        targetStart: def.targetStart,
        targetEnd: def.targetStart + def.target.length,
        bracketed: def.bracketed,
        start: r.start,
        end: r.end,
        reference: label,
      });
    }
  }
  return out;
}

/** Every inline and reference-style image in the text, in order. Linear in the text's length. */
export function findImages(text: string): MarkdownImage[] {
  const { images, references } = scan(text, 0, text.length);
  let defs: Map<string, Definition> | undefined;
  const resolved = references.length ? resolve(references, () => (defs ??= findDefinitions(text))) : [];
  return [...images, ...resolved].sort((a, b) => a.start - b.start);
}

/**
 * The image whose text holds the offset (its ends included). Only the lines around the offset are
 * scanned, so it costs the same in a 10 MB file as in a short one; reference definitions are looked
 * up in the whole text only when the image there is reference-style (`wholeText`, when `text` is
 * itself a part of a document; the definitions' offsets are then the whole text's).
 */
export function imageAt(text: string, offset: number, wholeText: () => string = () => text): MarkdownImage | undefined {
  // Start at a line start when one is near, else mid-line: no image is as long as the window.
  const earliest = Math.max(0, offset - WINDOW);
  const back = earliest === 0 ? -1 : text.lastIndexOf('\n', earliest);
  const from = earliest === 0 ? 0 : back >= earliest - WINDOW ? back + 1 : earliest;
  const to = Math.min(text.length, offset + WINDOW);
  const { images, references } = scan(text, from, to);
  const inline = images.find((img) => offset >= img.start && offset <= img.end);
  if (inline) {
    return inline;
  }
  const use = references.filter((r) => offset >= r.start && offset <= r.end);
  let defs: Map<string, Definition> | undefined;
  return use.length ? resolve(use, () => (defs ??= findDefinitions(wholeText())))[0] : undefined;
}

/** A local, relative link target (not a URL, not a fragment), as a decoded path. */
export function localTarget(target: string): string | undefined {
  const t = target.trim();
  // A scheme (`https:`, `data:`) needs a colon: most paths have none to look at.
  if (!t || (t.includes(':') && /^[a-z][a-z0-9+.-]*:/i.test(t)) || t.startsWith('#') || t.startsWith('//')) {
    return undefined;
  }
  const query = t.indexOf('?');
  const fragment = t.indexOf('#');
  const end = query >= 0 && (fragment < 0 || query < fragment) ? query : fragment;
  const path = end >= 0 ? t.slice(0, end) : t;
  if (!path.includes('%')) {
    return path; // nothing to decode
  }
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export interface TextChange {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

/**
 * Moves an offset across one change event (all changes relative to the text before it), so an
 * insertion still lands where it was asked for. An edit that spans the offset moves it to the edit's end.
 */
export function shiftOffset(offset: number, changes: readonly TextChange[]): number {
  let anchor = offset;
  for (const c of changes) {
    if (c.offset < anchor && c.offset + c.length > anchor) {
      anchor = c.offset + c.length;
    }
  }
  let delta = 0;
  for (const c of changes) {
    if (c.offset + c.length <= anchor) {
      delta += c.text.length - c.length;
    }
  }
  return anchor + delta;
}
