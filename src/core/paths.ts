/**
 * Path math on URI paths: posix separators, a leading "/", Windows drives as "/c:/…" (what
 * vscode.Uri.path gives).
 */

const SLASH = 0x2f;
const DOT = 0x2e;
const COLON = 0x3a;
const BACKSLASH = 0x5c;

/**
 * Whether normalizePath would give `path` back as it is: absolute, forward slashes only, no empty,
 * "." or ".." segment, no trailing slash, no drive letter. One pass over the path; most paths a scan
 * meets are so, and are then neither split nor joined.
 */
function isNormal(path: string): boolean {
  const n = path.length;
  if (path.charCodeAt(0) !== SLASH || path.charCodeAt(2) === COLON) {
    return false;
  }
  for (let i = 0; i < n; i++) {
    const c = path.charCodeAt(i);
    if (c === BACKSLASH) {
      return false;
    }
    if (c !== SLASH) {
      continue;
    }
    // A slash starts a segment: not empty (nor the end, but for "/"), not "." nor "..".
    const next = i + 1 < n ? path.charCodeAt(i + 1) : -1;
    if (next === SLASH || (next === -1 && n > 1)) {
      return false;
    }
    if (next === DOT) {
      const after = i + 2 < n ? path.charCodeAt(i + 2) : SLASH;
      if (after === SLASH || (after === DOT && (i + 3 === n || path.charCodeAt(i + 3) === SLASH))) {
        return false;
      }
    }
  }
  return true;
}

export function normalizePath(path: string): string {
  if (isNormal(path)) {
    return path;
  }
  let p = path.includes('\\') ? path.replace(/\\/g, '/') : path;
  if (p.charCodeAt(1) === COLON && /^[A-Za-z]:\//.test(p)) {
    p = `/${p}`;
  }
  // VS Code writes drive letters in lower case in URI paths.
  p = comparable(p);
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') {
      continue;
    }
    if (seg === '..') {
      out.pop();
      continue;
    }
    out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** Drive letters compare without case, as Windows does. */
function comparable(path: string): string {
  return path.charCodeAt(2) !== COLON ? path : path.replace(/^\/([A-Za-z]):/, (_m, d: string) => `/${d.toLowerCase()}:`);
}

export function isInside(child: string, folder: string): boolean {
  const c = comparable(normalizePath(child));
  const normal = comparable(normalizePath(folder));
  const f = normal.endsWith('/') ? normal.slice(0, -1) : normal;
  return c === f || (c.length > f.length && c.charCodeAt(f.length) === SLASH && c.startsWith(f));
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function splitExt(name: string): { stem: string; ext: string } {
  const i = name.lastIndexOf('.');
  return i > 0 ? { stem: name.slice(0, i), ext: name.slice(i) } : { stem: name, ext: '' };
}

export function joinPath(dir: string, rel: string): string {
  // Leading "/" and "./" of `rel` add no segment to an absolute `dir`: left out, the joined path is often normal already.
  let from = 0;
  if (dir.length > 1 && dir.charCodeAt(0) === SLASH) {
    for (;;) {
      if (rel.charCodeAt(from) === SLASH) {
        from++;
      } else if (rel.charCodeAt(from) === DOT && rel.charCodeAt(from + 1) === SLASH) {
        from += 2;
      } else {
        break;
      }
    }
  }
  return normalizePath(`${dir}/${from ? rel.slice(from) : rel}`);
}

/** Relative posix path from a folder to a file. */
export function relativePath(fromDir: string, to: string): string {
  const a = comparable(normalizePath(fromDir)).split('/').filter(Boolean);
  const bOrig = normalizePath(to).split('/').filter(Boolean);
  const b = comparable(normalizePath(to)).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) {
    i++;
  }
  const up = a.slice(i).map(() => '..');
  return [...up, ...bOrig.slice(i)].join('/') || '.';
}

/** Lowercase ascii words of the prompt, at most `max` characters, cut at a word. */
export function slugify(prompt: string, max = 48): string {
  const words = prompt
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const w of words) {
    const next = slug ? `${slug}-${w}` : w;
    if (next.length > max) {
      if (!slug) {
        slug = w.slice(0, max);
      }
      break;
    }
    slug = next;
  }
  return slug || 'image';
}
