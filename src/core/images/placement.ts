/**
 * Where a new image goes and how it is linked: destination and file name variables, free names,
 * and the link text. Pure: files are reached only through `PlacementFs`, so the extension, the
 * command-line tool and the tests all plan the same way.
 */
import * as l10n from '@vscode/l10n';
import { utf8Length } from '../bytes';
import { IllustrateError } from '../errors';
import { Dialect, imageDescription, linkDestination } from '../escape';
import { EXTENSIONS, formatOfExtension, ImageFormat } from './imageFormat';
import { basename, dirname, isInside, joinPath, normalizePath, relativePath, slugify, splitExt } from '../paths';
import { compileLinear } from '../linearRegex';
import { trimEndOf } from '../text';

export interface DestinationContext {
  /** URI path of the document, or undefined when there is none. */
  readonly documentPath: string | undefined;
  /** URI path of the workspace folder that holds the result. */
  readonly workspaceFolderPath: string;
  /** The new file's name, with extension. */
  readonly fileName: string;
  readonly now: Date;
}

/** The time variables, one set for destinations and file names; `isoTime` fits in a file name. */
export function timeVariables(now: Date): Record<'unixTime' | 'isoTime', string> {
  return { unixTime: String(Math.floor(now.getTime() / 1000)), isoTime: now.toISOString().replace(/[:.]/g, '-') };
}

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
    ...timeVariables(ctx.now),
  };
}

/**
 * Expands `${name}` and `${name/regex/replacement/flags}`; unknown names are left as they are. The
 * regex may come from a repository's settings: it runs in linear time (`compileLinear`), and one
 * it cannot run that way (a backreference, lookaround) leaves the value as it is, as an invalid one does.
 */
export function expandVariables(pattern: string, vars: Readonly<Record<string, string>>): string {
  return pattern.replace(/\$\{(\w+)(?:\/((?:\\.|[^/\\])*)\/((?:\\.|[^/\\])*)\/([a-z]*))?\}/g, (whole, name: string, re?: string, rep?: string, flags?: string) => {
    if (!(name in vars)) {
      return whole;
    }
    const value = vars[name];
    if (re === undefined) {
      return value;
    }
    const replacement = (rep ?? '').replace(/\\\//g, '/').replace(/\$\{(\d+)\}/g, '$$$1');
    return compileLinear(re, flags ?? '')?.replace(value, replacement) ?? value;
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



/** Names Windows reserves for devices, in any case and with any extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9]|conin\$|conout\$)$/i;
/** File systems take names of at most 255 bytes; room is kept for a "-9999" clash suffix. */
const MAX_NAME_BYTES = 255;
const SUFFIX_ROOM = 5;

/** A file name that works on every OS: no device names, at most 255 bytes in UTF-8. */
export function safeFileName(stem: string, ext: string): string {
  let safe = trimEndOf(stem, /[. ]/) || 'image';
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
    return l10n.t('contains a control character');
  }
  // No UTF-16 unit takes more than 3 bytes: a short name is not measured.
  if (name.length * 3 > MAX_NAME_BYTES && utf8Length(name) > MAX_NAME_BYTES) {
    return l10n.t('is longer than 255 bytes');
  }
  if (RESERVED.test(splitExt(name).stem)) {
    return l10n.t('is a name Windows reserves for a device');
  }
  return undefined;
}

/** Alt text from a prompt: one line, at most `max` characters cut at a word (plain text: the link builder escapes it). */
export function altTextFromPrompt(prompt: string, max = 120): string {
  let text = prompt.replace(/\s+/g, ' ').trim();
  if (text.length > max) {
    const cut = text.slice(0, max);
    const space = cut.lastIndexOf(' ');
    text = trimEndOf(space > max / 2 ? cut.slice(0, space) : cut, /[\s,.;:!?-]/);
  }
  return text || 'image';
}

/**
 * The one link builder: `![alt](target)` from a document's folder to an image, a relative posix
 * path wrapped in `<…>` when needed. `alt` is plain text, escaped here for the document's dialect.
 */
export function imageLink(alt: string, fromDir: string, toImage: string, dialect: Dialect = 'markdown'): string {
  return `![${imageDescription(alt, dialect)}](${linkTarget(fromDir, toImage)})`;
}

/** A link destination from a document's folder to an image: relative, posix, `<…>` when needed. */
export function linkTarget(fromDir: string, toImage: string): string {
  return linkDestination(relativePath(fromDir, toImage));
}

/**
 * A link target as the user wrote it, pointing at a file with another name in the same folder (its
 * extension changed with the format, or `-1` added): same style, `<…>` kept when it was there.
 */
export function retargetLink(written: string, bracketed: boolean, newName: string): string {
  const dir = written.includes('/') ? written.slice(0, written.lastIndexOf('/') + 1) : '';
  const target = `${dir}${newName}`;
  return bracketed ? target : linkDestination(target);
}

/** The new file's stem from the file name pattern, made safe for every OS. */
export function fileNameFor(pattern: string, vars: { prompt: string; documentBaseName: string; model: string; now: Date }, ext: string): string {
  const stem =
    expandVariables(pattern, { promptSlug: slugify(vars.prompt), documentBaseName: vars.documentBaseName, model: vars.model, ...timeVariables(vars.now) })
      .replace(/[\\/:*?"<>|\x00-\x1f]+/g, '-')
      .trim() || slugify(vars.prompt);
  return safeFileName(stem, ext);
}

/** Whether a path is taken: the small window on the file system that planning needs. */
export interface PlacementFs {
  exists(path: string): Promise<boolean>;
}

/**
 * Free names for new files, `name.png`, then `name-1.png`, `name-2.png` …, skipping names taken on
 * disk and names this planner already gave out (one operation placing several images).
 */
export class PathPlanner {
  private readonly taken = new Set<string>();

  constructor(private readonly fs: PlacementFs) {}

  async free(path: string, isCancelled: () => boolean = () => false): Promise<string> {
    const dir = dirname(path);
    const { stem, ext } = splitExt(basename(path));
    for (let i = 0; i < 10_000; i++) {
      if (isCancelled()) {
        throw new Error('cancelled');
      }
      const candidate = i === 0 ? path : joinPath(dir, `${stem}-${i}${ext}`);
      if (!this.taken.has(candidate) && !(await this.fs.exists(candidate))) {
        this.taken.add(candidate);
        return candidate;
      }
    }
    throw new Error('no free file name');
  }

  /** A name found taken after all (written meanwhile by someone else): never given out again. */
  reject(path: string): void {
    this.taken.add(path);
  }
}

/** The refusal of a path that goes through a symbolic link out of the workspace. */
/** An existing file whose real place is outside the workspace: it is not read, sent or changed. */
export function readsOutside(): IllustrateError {
  return new IllustrateError(
    'options',
    l10n.t('That image is reached through a symbolic link that leads outside the workspace folder, so Illustrate will not read it, send it or change it. Copy the picture into the workspace, then try again.'),
  );
}

export function outsideByLink(): IllustrateError {
  return new IllustrateError(
    'destination',
    l10n.t('That image path goes through a symbolic link that leads outside the workspace folder (or is a link itself), so Illustrate will not write it. Choose a path inside the workspace that is not a link.'),
  );
}

/** The settings that decide where an image goes (read once per operation, for the document). */
export interface PlacementSettings {
  readonly destination: string;
  readonly fileName: string;
}

function outsideDestination(destination: string): IllustrateError {
  return new IllustrateError(
    'destination',
    l10n.t('The destination "{0}" points outside the workspace folder, so nothing was saved. Change "illustrate.destination" to a folder inside the workspace.', destination),
  );
}

/** Where a new image goes by the settings (paths are posix), before looking at what exists. */
export function newImagePath(p: {
  readonly documentPath: string | undefined;
  readonly rootPath: string;
  readonly settings: PlacementSettings;
  readonly prompt: string;
  readonly format: ImageFormat;
  readonly model: string;
  readonly now: Date;
}): string {
  const documentBaseName = p.documentPath ? splitExt(basename(p.documentPath)).stem : '';
  const fileName = fileNameFor(p.settings.fileName, { prompt: p.prompt, documentBaseName, model: p.model, now: p.now }, EXTENSIONS[p.format]);
  const path = resolveDestination(p.settings.destination, { documentPath: p.documentPath, workspaceFolderPath: p.rootPath, fileName, now: p.now });
  if (!path) {
    throw outsideDestination(p.settings.destination);
  }
  return path;
}

/** A link's own target with its extension fixed to what the image really is (`a.png` holding a JPEG is `a.jpg`). */
export function pathForFormat(wanted: string, format: ImageFormat): string {
  const { stem, ext } = splitExt(wanted);
  const claimed = formatOfExtension(ext);
  return claimed === format ? wanted : `${claimed ? stem : wanted}${EXTENSIONS[format]}`;
}
