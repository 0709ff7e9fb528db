/** Finding markdown images in text, and keeping an insertion point valid while the user types. */

export interface MarkdownImage {
  readonly alt: string;
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

const INLINE = /!\[((?:\\.|[^\]\\])*)\]\(\s*(<(?:\\.|[^>\\\n])*>|(?:\\.|[^\s()\\]|\((?:\\.|[^\s()\\])*\))*)(\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
const REFERENCE = /!\[((?:\\.|[^\]\\])*)\](?:\[([^\]]*)\])?/g;

export function unescapeAlt(alt: string): string {
  return alt.replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');
}

/** Every inline and reference-style image in the text. */
export function findImages(text: string): MarkdownImage[] {
  const images: MarkdownImage[] = [];
  const covered: [number, number][] = [];
  for (const m of text.matchAll(INLINE)) {
    const start = m.index ?? 0;
    const raw = m[2];
    const bracketed = raw.startsWith('<');
    const targetStart = start + m[0].indexOf(raw, 2 + m[1].length + 2) + (bracketed ? 1 : 0);
    const target = bracketed ? raw.slice(1, -1) : raw;
    images.push({ alt: unescapeAlt(m[1]), target, targetStart, targetEnd: targetStart + target.length, bracketed, start, end: start + m[0].length });
    covered.push([start, start + m[0].length]);
  }
  const definitions = findDefinitions(text);
  for (const m of text.matchAll(REFERENCE)) {
    const start = m.index ?? 0;
    if (covered.some(([a, b]) => start >= a && start < b)) {
      continue;
    }
    const next = text[start + m[0].length];
    if (next === '(' || next === ':') {
      continue;
    }
    const id = (m[2] || m[1]).toLowerCase().replace(/\s+/g, ' ').trim();
    const def = definitions.get(id);
    if (!def) {
      continue;
    }
    images.push({
      alt: unescapeAlt(m[1]),
      target: def.target,
      targetStart: def.targetStart,
      targetEnd: def.targetStart + def.target.length,
      bracketed: def.bracketed,
      start,
      end: start + m[0].length,
      reference: id,
    });
  }
  return images.sort((a, b) => a.start - b.start);
}

function findDefinitions(text: string): Map<string, { target: string; targetStart: number; bracketed: boolean }> {
  const defs = new Map<string, { target: string; targetStart: number; bracketed: boolean }>();
  const re = /^ {0,3}\[((?:\\.|[^\]\\])+)\]:[ \t]*(<[^>\n]*>|\S+)/gm;
  for (const m of text.matchAll(re)) {
    const id = m[1].toLowerCase().replace(/\s+/g, ' ').trim();
    if (defs.has(id)) {
      continue;
    }
    const raw = m[2];
    const bracketed = raw.startsWith('<');
    const target = bracketed ? raw.slice(1, -1) : raw;
    const targetStart = (m.index ?? 0) + m[0].length - raw.length + (bracketed ? 1 : 0);
    defs.set(id, { target, targetStart, bracketed });
  }
  return defs;
}

/** The image whose text holds the offset (its ends included). */
export function imageAt(text: string, offset: number): MarkdownImage | undefined {
  return findImages(text).find((img) => offset >= img.start && offset <= img.end);
}

/** A local, relative link target (not a URL, not a fragment), as a decoded path. */
export function localTarget(target: string): string | undefined {
  const t = target.trim();
  if (!t || /^[a-z][a-z0-9+.-]*:/i.test(t) || t.startsWith('#') || t.startsWith('//')) {
    return undefined;
  }
  const path = t.split(/[?#]/)[0];
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
