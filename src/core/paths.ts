/**
 * Path math on URI paths: posix separators, a leading "/", Windows drives as "/c:/…" (what
 * vscode.Uri.path gives).
 */

export function normalizePath(path: string): string {
  let p = path.replace(/\\/g, '/');
  if (/^[A-Za-z]:\//.test(p)) {
    p = `/${p}`;
  }
  // VS Code writes drive letters in lower case in URI paths.
  p = p.replace(/^\/([A-Za-z]):/, (_m, d: string) => `/${d.toLowerCase()}:`);
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
  return path.replace(/^\/([A-Za-z]):/, (_m, d: string) => `/${d.toLowerCase()}:`);
}

export function isInside(child: string, folder: string): boolean {
  const c = comparable(normalizePath(child));
  const f = comparable(normalizePath(folder)).replace(/\/$/, '');
  return c === f || c.startsWith(`${f}/`);
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
  return normalizePath(`${dir}/${rel}`);
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
