/**
 * Destination paths, file names and link text. Paths here are URI paths: posix separators, a
 * leading "/", Windows drives as "/c:/…" (what vscode.Uri.path gives).
 */

export interface DestinationContext {
  /** URI path of the document, or undefined when there is none. */
  readonly documentPath: string | undefined;
  /** URI path of the workspace folder that holds the result. */
  readonly workspaceFolderPath: string;
  /** The new file's name, with extension. */
  readonly fileName: string;
  readonly now: Date;
}

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

const TIME_VARS = (now: Date): Record<string, string> => ({
  unixTime: String(Math.floor(now.getTime() / 1000)),
  isoTime: now.toISOString(),
});

/** The variables of markdown.copyFiles.destination, for one file. */
export function destinationVariables(ctx: DestinationContext): Record<string, string> {
  const { ext } = splitExt(ctx.fileName);
  const docDir = ctx.documentPath ? dirname(ctx.documentPath) : ctx.workspaceFolderPath;
  const docFile = ctx.documentPath ? basename(ctx.documentPath) : '';
  const docParts = splitExt(docFile);
  const relDir = relativePath(ctx.workspaceFolderPath, docDir);
  return {
    documentDirName: docDir,
    documentRelativeDirName: relDir === '.' ? '' : relDir,
    documentFileName: docFile,
    documentBaseName: docParts.stem,
    documentExtName: docParts.ext.replace(/^\./, ''),
    documentFilePath: ctx.documentPath ?? '',
    documentRelativeFilePath: ctx.documentPath ? relativePath(ctx.workspaceFolderPath, ctx.documentPath) : '',
    documentWorkspaceFolder: ctx.workspaceFolderPath,
    fileName: ctx.fileName,
    fileExtName: ext.replace(/^\./, ''),
    ...TIME_VARS(ctx.now),
  };
}

/** Expands `${name}` and `${name/regex/replacement/flags}`; unknown names are left as they are. */
export function expandVariables(pattern: string, vars: Readonly<Record<string, string>>): string {
  return pattern.replace(/\$\{(\w+)(?:\/((?:\\.|[^/\\])*)\/((?:\\.|[^/\\])*)\/([a-z]*))?\}/g, (whole, name: string, re?: string, rep?: string, flags?: string) => {
    if (!(name in vars)) {
      return whole;
    }
    const value = vars[name];
    if (re === undefined) {
      return value;
    }
    try {
      return value.replace(new RegExp(re, flags), (rep ?? '').replace(/\\\//g, '/').replace(/\$\{(\d+)\}/g, '$$$1'));
    } catch {
      return value;
    }
  });
}

/**
 * Where the new file goes. A destination ending in "/" is a folder for `${fileName}`; one starting
 * with "/" is from the workspace root; anything else is relative to the document's folder.
 * Returns undefined when the result leaves the workspace folder.
 */
export function resolveDestination(pattern: string, ctx: DestinationContext): string | undefined {
  const vars = destinationVariables(ctx);
  let dest = expandVariables(pattern.trim() || 'images/', vars).replace(/\\/g, '/');
  if (dest.endsWith('/')) {
    dest += ctx.fileName;
  }
  let full: string;
  if (/^\/?[A-Za-z]:\//.test(dest) || isInside(dest, ctx.workspaceFolderPath)) {
    // An absolute path, as `${documentDirName}` or `${documentWorkspaceFolder}` expand to.
    full = normalizePath(dest);
  } else if (dest.startsWith('/')) {
    full = joinPath(ctx.workspaceFolderPath, dest);
  } else {
    full = joinPath(vars.documentDirName, dest);
  }
  return isInside(full, ctx.workspaceFolderPath) ? full : undefined;
}

/** `name.png`, then `name-1.png`, `name-2.png` … skipping names taken on disk or in this operation. */
export async function uniquePath(path: string, exists: (path: string) => Promise<boolean>, taken: ReadonlySet<string> = new Set()): Promise<string> {
  const dir = dirname(path);
  const { stem, ext } = splitExt(basename(path));
  for (let i = 0; i < 10_000; i++) {
    const candidate = i === 0 ? path : joinPath(dir, `${stem}-${i}${ext}`);
    if (!taken.has(candidate) && !(await exists(candidate))) {
      return candidate;
    }
  }
  throw new Error('no free file name');
}

const encoder = new TextEncoder();

function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** Names Windows reserves for devices, in any case and with any extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9]|conin\$|conout\$)$/i;
/** File systems take names of at most 255 bytes; room is kept for a "-9999" clash suffix. */
const MAX_NAME_BYTES = 255;
const SUFFIX_ROOM = 5;

/** A file name that works on every OS: no device names, at most 255 bytes in UTF-8. */
export function safeFileName(stem: string, ext: string): string {
  let safe = stem.replace(/[. ]+$/, '') || 'image';
  if (RESERVED.test(safe)) {
    safe = `${safe}-image`;
  }
  const room = MAX_NAME_BYTES - SUFFIX_ROOM - utf8Length(ext);
  if (utf8Length(safe) > room) {
    let cut = '';
    for (const ch of safe) {
      if (utf8Length(cut + ch) > room) {
        break;
      }
      cut += ch;
    }
    safe = cut;
  }
  return `${safe}${ext}`;
}

/** Whether a name from a document's link can be written as it is: no control characters, not too long, no device name. */
export function unsafeLinkName(name: string): string | undefined {
  if (/[\x00-\x1f\x7f]/.test(name)) {
    return 'contains a control character';
  }
  if (utf8Length(name) > MAX_NAME_BYTES) {
    return 'is longer than 255 bytes';
  }
  if (RESERVED.test(splitExt(name).stem)) {
    return 'is a name Windows reserves for a device';
  }
  return undefined;
}

/** A link destination as VS Code's markdown paste writes it: `<…>` when needed, never %20. */
export function formatLinkTarget(relPath: string): string {
  const needsBrackets = /[\s<>\x00-\x1f]/.test(relPath) || !balancedParens(relPath);
  return needsBrackets ? `<${relPath.replace(/[<>]/g, (c) => (c === '<' ? '%3C' : '%3E'))}>` : relPath;
}

function balancedParens(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth < 0) {
        return false;
      }
    }
  }
  return depth === 0;
}

/** Alt text from a prompt: one line, at most `max` characters cut at a word, brackets escaped. */
export function altTextFromPrompt(prompt: string, max = 120): string {
  let text = prompt.replace(/\s+/g, ' ').trim();
  if (text.length > max) {
    const cut = text.slice(0, max);
    const space = cut.lastIndexOf(' ');
    text = (space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, '');
  }
  return escapeAlt(text || 'image');
}

export function escapeAlt(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/([[\]])/g, '\\$1');
}

export function markdownImage(alt: string, relPath: string): string {
  return `![${alt}](${formatLinkTarget(relPath)})`;
}
