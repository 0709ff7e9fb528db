/**
 * A docs folder on disk, for the command-line tool and the MCP server: the shared scan's view of
 * its files, the markdown files in scope, and the placement of an image and its link by the same
 * rules as the editor's (inside the root, through no link out, never over an existing file; the
 * link written only once the file is). Paths are absolute, with forward slashes.
 */
import * as l10n from '@vscode/l10n';
import { promises as fs } from 'fs';
import * as path from 'path';
import { scanDocument } from '../core/docs/docScan';
import { applyEdits, TextEdit } from '../core/docs/altText';
import { cancelled, IllustrateError } from '../core/errors';
import { dialectOf } from '../core/escape';
import { FillHost, listedExistence, MAX_DOCUMENT_BYTES } from '../core/fill/fill';
import { DEFAULT_EXCLUDES, gitignoreRules, globRules, IgnoreRule, MAX_IGNORE_BYTES, MAX_RULES, matchesLast } from '../core/docs/glob';
import { ImageFormat } from '../core/images/imageFormat';
import { localTarget } from '../core/docs/markdown';
import { basename, dirname, isInside, joinPath, normalizePath, relativePath } from '../core/paths';
import { resolveLink, SiteFinder, SiteHost, SiteModel, SiteOverride } from '../core/docs/sites';
import { altTextFromPrompt, imageLink, newImagePath, PathPlanner, pathForFormat, outsideByLink, PlacementSettings, readsOutside, retargetLink, unsafeLinkName } from '../core/images/placement';
import { ReferenceHost } from '../core/images/styleReferences';
import { readSmallFile } from './files';
import { checkRealFile, checkRealPath, pathExists } from './realPath';

const MARKDOWN = /\.(md|markdown|mdx)$/i;

/** A local path as the rest of Illustrate writes paths: absolute, normalized, forward slashes. */
export function toPosix(p: string): string {
  return normalizePath(path.resolve(p).replace(/\\/g, '/'));
}

/** One decoder for every document: decoding a whole text at once keeps no state between calls. */
const UTF8 = new TextDecoder();

async function readText(file: string): Promise<string> {
  const read = await readSmallFile(file, MAX_DOCUMENT_BYTES);
  if (!read) {
    throw new IllustrateError('options', l10n.t('Cannot read {0}: it is not a regular file.', basename(file)));
  }
  if (read.truncated) {
    throw new IllustrateError('options', l10n.t('{0} is larger than {1} MB; Illustrate does not read it.', basename(file), MAX_DOCUMENT_BYTES / 1048576));
  }
  return UTF8.decode(read.bytes);
}

/** Site configs and folder listings on disk: configs read up to 256 KB, never run. */
const diskSiteHost: SiteHost = {
  list: (dir) => fs.readdir(dir).catch(() => []),
  read: async (file) => {
    const read = await readSmallFile(file, 256 * 1024);
    return read ? new TextDecoder().decode(read.bytes) : undefined;
  },
};

/**
 * Text edits to one file at a time, for the whole process: the MCP server's calls each open a
 * workspace of their own, and two of them finishing in one document must both keep their link.
 */
const documentLocks = new Map<string, Promise<unknown>>();

/**
 * Puts `data` at `file` in one step: written whole to a new file beside it, then renamed over it.
 * A reader never sees half of it, and whatever was at `file` (a link included) is replaced, never
 * written through. The temporary file is removed again if anything fails.
 */
async function writeByRename(file: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const temp = `${dirname(file)}/.${basename(file)}.illustrate-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await fs.writeFile(temp, data, { flag: 'wx', ...(mode === undefined ? {} : { mode }) });
    await fs.rename(temp, file);
  } catch (e: unknown) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}

/** Replaces a document's text in one step, keeping its permissions; only a regular file. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const stat = await fs.lstat(file);
  if (!stat.isFile()) {
    throw new IllustrateError('unwritable', l10n.t('{0} is not a regular file (a link, or a folder), so Illustrate will not write it.', basename(file)));
  }
  await writeByRename(file, text, stat.mode & 0o7777);
}

/** An ignore file of a folder (`.gitignore`, `.git/info/exclude`), as rules for paths relative to the scan's root. */
async function ignoreFileRules(folder: string, base: string, name: string, warn: (line: string) => void): Promise<IgnoreRule[]> {
  const read = await readSmallFile(joinPath(folder, name), MAX_IGNORE_BYTES);
  if (!read) {
    return [];
  }
  const shown = base ? `${base}/${name}` : name;
  if (read.truncated) {
    warn(l10n.t('{0} is larger than {1} KB; only its beginning is used.', shown, MAX_IGNORE_BYTES / 1024));
  }
  return gitignoreRules(new TextDecoder().decode(read.bytes), base, (where) => warn(l10n.t('{0}: a pattern Illustrate cannot read is skipped.', where)), shown);
}

export class DiskWorkspace {
  /** `root` is absolute; nothing is written outside it. `warn` hears of what a scan had to leave out. */
  constructor(
    readonly root: string,
    private readonly warn: (line: string) => void = () => undefined,
    site?: SiteOverride,
  ) {
    this.sites = new SiteFinder(diskSiteHost, site);
  }

  /** The sites of the folder's pages, each config read once per workspace (a CLI run, an MCP call). */
  readonly sites: SiteFinder;

  /** The scan's view of the folder. */
  readonly host: FillHost<string> = {
    text: readText,
    root: (document) => (isInside(document, this.root) ? this.root : undefined),
    site: (document, root) => this.sites.siteFor(document, root),
    path: (p) => p,
    at: (_root, p) => p,
    key: (p) => p,
    inside: (root, p) => isInside(p, root),
    name: basename,
    exists: pathExists,
    checkReal: checkRealPath,
    checkRealFile,
  };

  /**
   * The host for one scan of many pages: whether a file is there is read from its folder's listing
   * (one listing per folder, not one call per link), and the real place of a folder is resolved
   * once. Fresh for each scan: what it knows is as of the scan.
   */
  scanHost(): FillHost<string> {
    // Each folder listed once, with which of its names are links: for whether a file is there and for its real place.
    const listings = new Map<string, Promise<Map<string, boolean>>>();
    const listing = (dir: string): Promise<Map<string, boolean>> => {
      let names = listings.get(dir);
      if (!names) {
        names = fs.readdir(dir, { withFileTypes: true }).then(
          (entries) => new Map(entries.map((e) => [e.name, e.isSymbolicLink()])),
          (e: unknown) => {
            // A folder that is not there holds nothing (the images/ folder a fill will make): no need to ask for each name in it.
            const code = (e as NodeJS.ErrnoException).code;
            if (code === 'ENOENT' || code === 'ENOTDIR') {
              return new Map<string, boolean>();
            }
            throw e;
          },
        );
        names.catch(() => undefined);
        listings.set(dir, names);
      }
      return names;
    };
    // Linux disks spell names one way: a name its listing lacks is not there.
    const exists = listedExistence<string>(dirname, (p) => p, basename, async (dir) => (await listing(dir)).keys(), pathExists, process.platform === 'linux');
    const realPlaces = new Map<string, Promise<string | undefined>>();
    const realPlace = (p: string): Promise<string | undefined> => {
      let real = realPlaces.get(p);
      if (!real) {
        real = fs.realpath(p).then(
          (r) => r.replace(/\\/g, '/'),
          () => undefined,
        );
        realPlaces.set(p, real);
      }
      return real;
    };
    const reals = new Map<string, Promise<void>>();
    const folderInside = (root: string, dir: string): Promise<void> => {
      const key = `${root}\0${dir}`;
      let checked = reals.get(key);
      if (!checked) {
        const probe = `${dir}/.illustrate-probe`;
        // A folder that lists (and holds no probe) is there: its real place, resolved once, decides.
        checked = Promise.all([listing(dir).catch(() => undefined), realPlace(root), realPlace(dir)]).then(([names, realRoot, realDir]) => {
          if (!names || names.has('.illustrate-probe') || realDir === undefined) {
            return checkRealPath(root, probe);
          }
          if (!isInside(realDir, realRoot ?? root)) {
            throw outsideByLink();
          }
          return undefined;
        });
        checked.catch(() => undefined);
        reals.set(key, checked);
      }
      return checked;
    };
    return {
      ...this.host,
      exists,
      // A missing target is no link itself; its folder decides, once per folder.
      checkReal: async (root, p) => ((await exists(p)) ? checkRealPath(root, p) : folderInside(root, dirname(p))),
      // A file its folder's listing shows is no link is where its folder really is: one real path per folder, not per file.
      checkRealFile: async (root, p) => {
        const link = await listing(dirname(p)).then(
          (names) => names.get(basename(p)),
          () => undefined,
        );
        const [realRoot, realDir] = link === false ? await Promise.all([realPlace(root), realPlace(dirname(p))]) : [];
        if (realDir === undefined) {
          return checkRealFile(root, p);
        }
        if (!isInside(joinPath(realDir, basename(p)), realRoot ?? root)) {
          throw readsOutside();
        }
      },
    };
  }

  /** Style references are looked up under the root. */
  readonly references: ReferenceHost<string> = {
    roots: () => [this.root],
    join: (root, rel) => joinPath(root, rel),
    inside: (root, p) => isInside(p, root),
    size: (p) =>
      fs.stat(p).then(
        (s) => (s.isFile() ? s.size : undefined),
        () => undefined,
      ),
    checkReal: checkRealPath,
    read: (p) => fs.readFile(p),
  };

  relative(p: string): string {
    return relativePath(this.root, p);
  }

  /** A path the user gave, from the working directory, refused when it leaves the root. */
  inside(given: string, what: string): string {
    const p = toPosix(given);
    if (!isInside(p, this.root)) {
      throw new IllustrateError('destination', l10n.t('{0} "{1}" is outside {2}, so Illustrate will not touch it. Use a path inside it.', what, given, this.root));
    }
    return p;
  }

  /**
   * The markdown files under `paths` (files or folders; the root when none), sorted, without
   * `.git`, `node_modules`, what the `.gitignore` files at every level (and `.git/info/exclude`)
   * list and the `excludes` globs. Links to folders are not followed, and a path given through
   * one that leads outside the root is refused.
   */
  async markdownFiles(paths: readonly string[], excludes: readonly string[] = []): Promise<string[]> {
    const warn = (line: string): void => this.warn(line);
    const base: IgnoreRule[] = [
      ...globRules(DEFAULT_EXCLUDES, warn),
      ...globRules(excludes, (g) => warn(l10n.t('The exclude pattern "{0}" cannot be read; it is skipped.', g))),
      ...(await ignoreFileRules(joinPath(this.root, '.git/info'), '', 'exclude', warn)),
    ];
    // Each folder's rules are its ancestors' plus its own .gitignore: a rule speaks only below its folder.
    const out = new Set<string>();
    let budget = MAX_RULES;
    /** `relDir`: `dir` relative to the root ('' for the root), as this.relative gives it. */
    const walk = async (dir: string, relDir: string, rules: readonly IgnoreRule[]): Promise<void> => {
      const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
      let here = rules;
      if (entries.some((e) => e.name === '.gitignore')) {
        const own = await ignoreFileRules(dir, relDir, '.gitignore', warn);
        if (own.length > budget) {
          warn(l10n.t('More than {0} ignore rules: the rest are not used.', MAX_RULES));
        }
        here = [...rules, ...own.slice(0, Math.max(0, budget))];
        budget -= Math.min(budget, own.length);
      }
      for (const e of entries) {
        const directory = e.isDirectory();
        if (!directory && !(e.isFile() && MARKDOWN.test(e.name))) {
          continue;
        }
        const p = joinPath(dir, e.name);
        // A plain name is its folder's path and itself; any other (a backslash in it, say) is worked out whole.
        const rel = p === `${dir}/${e.name}` ? (relDir ? `${relDir}/${e.name}` : e.name) : this.relative(p);
        if (directory) {
          if (!matchesLast(here, rel, true)) {
            await walk(p, rel, here);
          }
        } else if (!matchesLast(here, rel, false)) {
          out.add(p);
        }
      }
    };
    const realRoot = await fs.realpath(this.root).catch(() => this.root);
    for (const given of paths.length ? paths : [this.root]) {
      const p = this.inside(given, l10n.t('The path'));
      const stat = await fs.lstat(p).catch(() => undefined);
      if (!stat) {
        throw new IllustrateError('options', l10n.t('"{0}" does not exist.', given));
      }
      const real = toPosix(await fs.realpath(p).catch(() => p));
      if (stat.isSymbolicLink() || !isInside(real, toPosix(realRoot))) {
        throw new IllustrateError('destination', l10n.t('"{0}" is a symbolic link or leads outside {1} through one, so Illustrate will not read it. Use a path inside it.', given, this.root));
      }
      if (stat.isDirectory()) {
        // The folders above the path bring their .gitignore files too; walk reads the path's own.
        const rel = this.relative(p).replace(/^\.$/, '');
        const rules = [...base];
        if (rel) {
          rules.push(...(await ignoreFileRules(this.root, '', '.gitignore', warn)));
          const parts = rel.split('/');
          for (let i = 1; i < parts.length; i++) {
            const folder = parts.slice(0, i).join('/');
            rules.push(...(await ignoreFileRules(joinPath(this.root, folder), folder, '.gitignore', warn)));
          }
        }
        await walk(p, rel, rules);
      } else if (stat.isFile()) {
        out.add(p);
      }
    }
    return [...out].sort((a, b) => a.localeCompare(b));
  }

  /**
   * Where a report may be written, checked before anything is spent: inside the root, reached
   * through no link, and not anything but a regular file. It is written as a new file (renamed
   * into place), so nothing that was there is ever written through.
   */
  async reportPath(given: string): Promise<string> {
    const p = this.inside(given, l10n.t('The report'));
    await checkRealPath(this.root, p).catch(() => {
      throw new IllustrateError('destination', l10n.t('{0} is a symbolic link or is reached through one, so Illustrate will not write the report there. Choose a path inside the project that is not a link.', this.relative(p)));
    });
    await this.checkFolders(p);
    const stat = await fs.lstat(p).catch(() => undefined);
    if (stat && !stat.isFile()) {
      throw new IllustrateError('destination', l10n.t('{0} is not a regular file, so Illustrate will not write the report there. Choose another path.', this.relative(p)));
    }
    return p;
  }

  async writeReport(file: string, text: string): Promise<void> {
    await checkRealPath(this.root, file);
    await fs.mkdir(dirname(file), { recursive: true });
    await writeByRename(file, text).catch((e: unknown) => {
      throw new IllustrateError('unwritable', l10n.t('Could not write the report {0}: {1}.', this.relative(file), (e as NodeJS.ErrnoException).code ?? 'error'));
    });
  }

  /**
   * A document named by the user or a client, for a link: a markdown or MDX file inside the root,
   * a regular file reached through no link.
   */
  async document(given: string): Promise<string> {
    const p = this.inside(given, l10n.t('The document'));
    if (!MARKDOWN.test(p)) {
      throw new IllustrateError('options', l10n.t('{0} is not a markdown file (.md, .markdown or .mdx): Illustrate only writes links into markdown.', this.relative(p)));
    }
    await checkRealPath(this.root, p).catch(() => {
      throw new IllustrateError('destination', l10n.t('{0} is a symbolic link or is reached through one, so Illustrate will not write into it. Use a markdown file inside the project that is not a link.', this.relative(p)));
    });
    const stat = await fs.lstat(p).catch(() => undefined);
    if (!stat?.isFile()) {
      throw new IllustrateError('options', l10n.t('Cannot read {0}. Check the path of the document.', this.relative(p)));
    }
    return p;
  }

  /**
   * Everything that would stop the write, before anything is sent (and billed): the file inside
   * the root, by its path and through links, a name that can be written, a document that can be.
   */
  async preflight(p: DiskPlacement): Promise<void> {
    const planned = this.plannedPath(p, 'png');
    if (p.wanted) {
      const problem = unsafeLinkName(basename(p.wanted));
      if (problem) {
        throw new IllustrateError('destination', l10n.t('The file name {0}, so Illustrate will not write it. Choose another name.', problem));
      }
    }
    await checkRealPath(this.root, planned);
    await this.checkFolders(planned);
    if (p.document && p.link.kind !== 'none') {
      await fs.access(p.document, fs.constants.R_OK | fs.constants.W_OK).catch(() => {
        throw new IllustrateError('unwritable', l10n.t('Cannot write {0}: it does not exist or is read-only.', this.relative(p.document as string)));
      });
    }
  }

  /** Every name on the way can be made, and the nearest folder that exists is a folder, not a file. */
  private async checkFolders(planned: string): Promise<void> {
    for (const part of this.relative(planned).split('/')) {
      const problem = unsafeLinkName(part);
      if (problem) {
        throw new IllustrateError('destination', l10n.t('The path {0}: a name in it {1}. Choose another path.', JSON.stringify(this.relative(planned).slice(0, 120)), problem));
      }
    }
    for (let at = dirname(planned); isInside(at, this.root); at = dirname(at)) {
      const stat = await fs.stat(at).catch(() => undefined);
      if (stat) {
        if (!stat.isDirectory()) {
          throw new IllustrateError('destination', l10n.t('{0} is a file, not a folder, so nothing can be written under it. Choose another path.', this.relative(at)));
        }
        return;
      }
      if (at === this.root) {
        return;
      }
    }
  }

  private plannedPath(p: DiskPlacement, format: ImageFormat): string {
    const planned = p.wanted ? pathForFormat(p.wanted, format) : newImagePath({ documentPath: p.document, rootPath: this.root, settings: p.settings, prompt: p.prompt, format, model: p.model, now: new Date() });
    if (!isInside(planned, this.root)) {
      throw new IllustrateError('destination', l10n.t('That image path is outside {0}, so Illustrate will not write it. Use a path inside it.', this.root));
    }
    return planned;
  }

  /**
   * Writes the image (never over an existing file: a taken name moves to the next free one), then
   * its link. If the link cannot be written, the image is removed again: both or neither.
   */
  async place(p: DiskPlacement, bytes: Uint8Array, format: ImageFormat): Promise<{ file: string; link: string }> {
    if (p.replace && p.wanted && pathForFormat(p.wanted, format) === p.wanted) {
      await this.replaceFile(p.wanted, bytes);
      return { file: p.wanted, link: imageLink(altTextFromPrompt(p.prompt), p.document ? dirname(p.document) : this.root, p.wanted, dialectOf(p.document ?? '')) };
    }
    const planner = p.planner ?? new PathPlanner({ exists: pathExists });
    let file = await planner.free(this.plannedPath(p, format), () => p.signal?.aborted === true);
    for (let attempt = 0; ; attempt++) {
      if (p.signal?.aborted) {
        throw cancelled();
      }
      await checkRealPath(this.root, file);
      try {
        await fs.mkdir(dirname(file), { recursive: true });
        await fs.writeFile(file, bytes, { flag: 'wx' });
        break;
      } catch (e: unknown) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 4) {
          throw new IllustrateError('unwritable', l10n.t('Could not write {0}: {1}. Check the folder\'s permissions or the destination, then try again.', this.relative(file), (e as NodeJS.ErrnoException).code ?? 'error'));
        }
        planner.reject(file);
        file = await planner.free(this.plannedPath(p, format));
      }
    }
    try {
      const link = await this.writeLinks(p, file);
      return { file, link };
    } catch (e: unknown) {
      await fs.rm(file, { force: true });
      throw e;
    }
  }

  /** Replaces an image in place: a regular file inside the root, through no link, written whole then renamed over it. */
  private async replaceFile(file: string, bytes: Uint8Array): Promise<void> {
    await checkRealPath(this.root, file);
    const stat = await fs.lstat(file).catch(() => undefined);
    if (stat && !stat.isFile()) {
      throw new IllustrateError('unwritable', l10n.t('{0} is not a regular file, so Illustrate will not write over it.', this.relative(file)));
    }
    await writeByRename(file, bytes).catch((e: unknown) => {
      throw new IllustrateError('unwritable', l10n.t('Could not write {0}: {1}. Check the folder\'s permissions, then try again.', this.relative(file), (e as NodeJS.ErrnoException).code ?? 'error'));
    });
  }

  private async writeLinks(p: DiskPlacement, file: string): Promise<string> {
    const from = p.document ? dirname(p.document) : this.root;
    const link = imageLink(altTextFromPrompt(p.prompt), from, file, dialectOf(p.document ?? ''));
    const { link: where } = p;
    if (where.kind === 'none' || !p.document) {
      return link;
    }
    if (where.kind === 'insert') {
      await this.edit(p.document, (text) => insertLine(text, link, where.line));
      return link;
    }
    if (file !== p.wanted) {
      for (const document of where.documents) {
        const site = await this.sites.siteFor(document, this.root);
        await this.edit(document, (text) => this.retarget(site, document, text, p.wanted as string, file));
      }
    }
    return link;
  }

  /** Every link in `text` that leads to `wanted`, pointed at `file` instead (same style). */
  private retarget(site: SiteModel, document: string, text: string, wanted: string, file: string): string {
    const edits = new Map<number, { end: number; text: string }>();
    for (const image of scanDocument(text, { blocks: site.blocks })) {
      const local = image.skip && image.skip !== 'emptyAlt' ? undefined : localTarget(image.target);
      const r = local ? resolveLink(site, document, image.target, image.html === true && !image.imported, text) : undefined;
      // An imported image's import is code: it is never rewritten.
      if (local && !image.imported && r?.kind === 'file' && r.candidates.includes(wanted)) {
        // Images that share one reference definition share its range: it is changed once.
        edits.set(image.targetStart, { end: image.targetEnd, text: retargetLink(local, image.bracketed || image.html === true, basename(file)) });
      }
    }
    let out = '';
    let at = 0;
    for (const [start, e] of [...edits].sort((a, b) => a[0] - b[0])) {
      if (start >= at) {
        out += text.slice(at, start) + e.text;
        at = e.end;
      }
    }
    return out + text.slice(at);
  }

  /**
   * Writes alt texts into a document as `edits` (offsets in `planned`, the text the plan was made
   * from). A document changed since is left as it is: its offsets no longer hold.
   */
  async writeEdits(document: string, planned: string, edits: readonly TextEdit[]): Promise<void> {
    await this.edit(document, (text) => {
      if (text !== planned) {
        throw new IllustrateError('unwritable', l10n.t('{0} changed while the images were described, so it was left as it is. Run the command again.', this.relative(document)));
      }
      return applyEdits(text, edits);
    });
  }

  /** Replaces an image's bytes where it is (its record of the alt text it stands for), inside the workspace only. */
  async rewriteImage(file: string, bytes: Uint8Array): Promise<void> {
    await checkRealPath(this.root, file);
    await writeByRename(file, bytes).catch((e: unknown) => {
      throw new IllustrateError('unwritable', l10n.t('Could not write {0}: {1}. Check that it is writable, then try again.', this.relative(file), (e as NodeJS.ErrnoException).code ?? 'error'));
    });
  }

  /** Reads, changes and writes one document, one change at a time per document. */
  private async edit(document: string, change: (text: string) => string): Promise<void> {
    const previous = documentLocks.get(document) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      // Checked again at the write: the document may have become a link since it was named.
      await checkRealPath(this.root, document);
      const text = await readText(document);
      const changed = change(text);
      if (changed !== text) {
        await writeAtomically(document, changed);
      }
    });
    documentLocks.set(document, next);
    void next.finally(() => {
      if (documentLocks.get(document) === next) {
        documentLocks.delete(document);
      }
    }).catch(() => undefined);
    try {
      await next;
    } catch (e: unknown) {
      if (e instanceof IllustrateError) {
        throw e;
      }
      throw new IllustrateError('unwritable', l10n.t('Could not write the link into {0}: {1}. Check that it is writable, then try again.', this.relative(document), (e as NodeJS.ErrnoException).code ?? 'error'));
    }
  }
}

/** `text` without its trailing line ends (`\n` or `\r\n`), looking at each once. */
function withoutTrailingLines(text: string): string {
  let end = text.length;
  while (text[end - 1] === '\n') {
    end -= text[end - 2] === '\r' ? 2 : 1;
  }
  return text.slice(0, end);
}

/** The link as its own paragraph at a 1-based line (the end when none, or past the end). */
export function insertLine(text: string, link: string, line?: number): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (line === undefined) {
    const body = withoutTrailingLines(text);
    return body ? `${body}${eol}${eol}${link}${eol}` : `${link}${eol}`;
  }
  let offset = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) {
      return insertLine(text, link);
    }
    offset = next + 1;
  }
  return `${text.slice(0, offset)}${link}${eol}${eol}${text.slice(offset)}`;
}

export interface DiskPlacement {
  readonly settings: PlacementSettings;
  readonly prompt: string;
  readonly model: string;
  /** The document the link is for (links are relative to it; the destination may use it). */
  readonly document?: string;
  /** The file the user or a document's link asked for; its extension follows the real format. */
  readonly wanted?: string;
  readonly link: { readonly kind: 'none' } | { readonly kind: 'insert'; readonly line?: number } | { readonly kind: 'retargetAll'; readonly documents: readonly string[] };
  readonly planner?: PathPlanner;
  readonly signal?: AbortSignal;
  /** Write over `wanted` (a stale image made again): a new file renamed over it, never through a link. */
  readonly replace?: boolean;
}
