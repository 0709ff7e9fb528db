/**
 * Filling the missing images of a docs tree: the scan of every markdown file in scope (with the
 * reason each image is left alone), and the run, through the one placement pipeline, at a pace
 * that adapts to the server's rate limit.
 */
import { fromUtf8 } from '../core/bytes';
import * as vscode from 'vscode';
import { FillJobHost, FillMade, runFillJob } from '../core/fill/jobs';
import { checkWorkspaceFile, relativeTo } from './workspaceFiles';
import * as core from '../core/fill/fill';
import { formatOfExtension } from '../core/images/imageFormat';
import { IllustrateError } from '../core/errors';
import { DEFAULT_EXCLUDES, gitignoreRules, globRules, IgnoreRule, isIgnored, MAX_IGNORE_BYTES, MAX_RULES } from '../core/docs/glob';
import { basename, dirname, isInside, relativePath } from '../core/paths';
import { GeneratedImage, weightNote } from '../core/api/generator';
import { Anchor, checkRealFileLocation, checkRealLocation, isInsideScope, placeImage, replaceImageFile, scopeFor, uriExists } from './placement';
import { EditorSites } from './sites';
import { Services } from './services';
import { readSettings } from './settings';
import { ImageFiles, keepReplaced } from './imageFiles';
import { reportThumbnails } from './reports';
import { ImageCodec } from '../core/images/codec';

const MARKDOWN = '**/*.{md,markdown,mdx}';

export type FillTarget = core.FillTarget<vscode.Uri>;
export type FillSkip = core.FillSkip<vscode.Uri>;
export type FillPlan = core.FillPlan<vscode.Uri>;
export type MadeImage = FillMade<vscode.Uri>;
export type FillOutcome = core.FillOutcome<vscode.Uri, MadeImage>;
export type { FillProgress } from '../core/fill/fill';
export { failureMessage } from '../core/fill/fill';

/**
 * The estimated cost of making `targets`, each with the settings of its own folder (a multi-root
 * workspace's folders may use other models and sizes); undefined when a price is unknown.
 */
export function fillEstimate(targets: readonly FillTarget[]): number | undefined {
  let total = 0;
  for (const t of targets) {
    const one = core.fillEstimate(readSettings(t.links[0]?.document ?? t.uri), [t]);
    if (one === undefined) {
      return undefined;
    }
    total += one;
  }
  return total;
}

/** The workspace's files as the shared scan sees them, with the sites of one operation (configs read once). */
export function workspaceHost(sites = new EditorSites()): core.FillHost<vscode.Uri> {
  // Any file system may be case-insensitive here: a name its listing lacks is asked directly.
  const exists = core.listedExistence<vscode.Uri>(
    (uri) => uri.with({ path: dirname(uri.path) }),
    (uri) => uri.toString(),
    (uri) => basename(uri.path),
    async (folder) => (await vscode.workspace.fs.readDirectory(folder)).map(([name]) => name),
    uriExists,
    false,
  );
  return {
    text: documentText,
    root: (document) => {
      try {
        return scopeFor(document).root;
      } catch {
        return undefined;
      }
    },
    site: (document, root) => sites.finder(root).siteFor(document.path, root.path),
    path: (uri) => uri.path,
    at: (root, path) => root.with({ path, query: '', fragment: '' }),
    key: (uri) => uri.toString(),
    inside: isInsideScope,
    name: (uri) => basename(uri.path),
    exists,
    checkReal: checkRealLocation,
    checkRealFile: checkRealFileLocation,
  };
}


async function readIgnoreFile(uri: vscode.Uri, log: (line: string) => void): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (!(stat.type & vscode.FileType.File) || stat.type & vscode.FileType.SymbolicLink) {
      return undefined;
    }
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.length > MAX_IGNORE_BYTES) {
      log(`${uri.path}: larger than ${MAX_IGNORE_BYTES / 1024} KB; only its beginning is used`);
    }
    return fromUtf8(bytes.subarray(0, MAX_IGNORE_BYTES));
  } catch {
    return undefined;
  }
}

/**
 * The rules that leave files out of a folder's scan: `files.exclude`, `search.exclude`, the
 * `.gitignore` files at every level and `.git/info/exclude`, matched by the shared linear matcher.
 */
async function ignoreRules(folder: vscode.WorkspaceFolder, gitignores: readonly vscode.Uri[], log: (line: string) => void): Promise<IgnoreRule[]> {
  const settings = core.excludeGlobs((key) => vscode.workspace.getConfiguration(undefined, folder.uri).get(key));
  const rules = [...globRules(DEFAULT_EXCLUDES, () => undefined), ...globRules(settings, (g) => log(`exclude pattern "${g}" cannot be read; skipped`))];
  const exclude = await readIgnoreFile(vscode.Uri.joinPath(folder.uri, '.git/info/exclude'), log);
  if (exclude !== undefined) {
    rules.push(...gitignoreRules(exclude, '', (where) => log(`${where}: a pattern that cannot be read is skipped`), '.git/info/exclude'));
  }
  // Shallower files first: a deeper .gitignore has the last word below its folder.
  const own = gitignores
    .filter((u) => isInsideScope(folder.uri, u))
    .map((u) => ({ uri: u, base: relativePath(folder.uri.path, dirname(u.path)).replace(/^\.$/, '') }))
    .filter((g) => !isIgnored(rules, g.base ? `${g.base}/.gitignore` : '.gitignore', false))
    .sort((a, b) => a.base.split('/').length - b.base.split('/').length || a.base.localeCompare(b.base));
  for (const g of own) {
    const text = await readIgnoreFile(g.uri, log);
    if (text !== undefined && rules.length < MAX_RULES) {
      rules.push(...gitignoreRules(text, g.base, (where) => log(`${where}: a pattern that cannot be read is skipped`), g.base ? `${g.base}/.gitignore` : '.gitignore').slice(0, MAX_RULES - rules.length));
    }
  }
  return rules;
}

async function documentText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) {
    return open.getText();
  }
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > core.MAX_DOCUMENT_BYTES) {
    throw new IllustrateError('options', vscode.l10n.t('{0} is larger than {1} MB; Illustrate does not read it.', basename(uri.path), core.MAX_DOCUMENT_BYTES / 1048576));
  }
  return fromUtf8(await vscode.workspace.fs.readFile(uri));
}

/**
 * The markdown files in scope (one file, a folder, or the whole workspace), or with `glob` other
 * files under the folder, without what the ignore rules leave out, and never through a link:
 * search follows links (`search.followSymlinks`), so each file found is checked to really be
 * inside its folder.
 */
export async function filesInScope(resource: vscode.Uri | undefined, token: vscode.CancellationToken, log: (line: string) => void, glob = MARKDOWN): Promise<vscode.Uri[]> {
  if (resource) {
    // From the Explorer, or a command link's arguments: inside a workspace folder, through no link out.
    await checkWorkspaceFile(resource);
    const stat = await vscode.workspace.fs.stat(resource);
    if (stat.type & vscode.FileType.File) {
      return [resource];
    }
  }
  const include = resource ? new vscode.RelativePattern(resource, glob) : glob;
  const [found, gitignores] = await Promise.all([
    vscode.workspace.findFiles(include, undefined, undefined, token),
    vscode.workspace.findFiles(resource ? new vscode.RelativePattern(resource, '**/.gitignore') : '**/.gitignore', undefined, 5000, token),
  ]);
  // The .gitignore files above the folder asked for count too.
  if (resource) {
    const folder = vscode.workspace.getWorkspaceFolder(resource);
    for (let at = dirname(resource.path); folder && isInside(at, folder.uri.path); at = dirname(at)) {
      gitignores.push(resource.with({ path: `${at}/.gitignore` }));
      if (at === folder.uri.path) {
        break;
      }
    }
  }
  const rulesByFolder = new Map<string, Promise<IgnoreRule[]>>();
  const out: vscode.Uri[] = [];
  for (const uri of found) {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) {
      continue;
    }
    let rules = rulesByFolder.get(folder.uri.toString());
    if (!rules) {
      rules = ignoreRules(folder, gitignores, log);
      rulesByFolder.set(folder.uri.toString(), rules);
    }
    if (isIgnored(await rules, relativePath(folder.uri.path, uri.path), false)) {
      continue;
    }
    const real = await checkRealLocation(folder.uri, uri).then(
      () => true,
      () => false,
    );
    if (real) {
      out.push(uri);
    } else {
      log(`${uri.path}: through a symbolic link; not scanned`);
    }
  }
  return out;
}

/** Every missing image in scope, each target once, and what is left alone and why. */
export async function scanForMissing(resource: vscode.Uri | undefined, token: vscode.CancellationToken, log: (line: string) => void = () => undefined, options: { readonly gif?: boolean } = {}): Promise<FillPlan> {
  const files = (await filesInScope(resource, token, log)).sort((a, b) => a.path.localeCompare(b.path));
  return core.scanMissing(files, workspaceHost(), () => token.isCancellationRequested, options);
}

/** A target as the documents link it now; undefined when no link to it is left. */
export function relink(uri: vscode.Uri, prompt: string, documents: readonly vscode.Uri[]): Promise<FillTarget | undefined> {
  return core.relinkTarget(uri, prompt, documents, workspaceHost());
}

/**
 * The documents a run retargets links in: each opened once, with whether it had unsaved changes
 * before the run touched it (those are left for the user to save; the others are saved at the end).
 */
export class RunDocuments {
  private readonly documents = new Map<string, Promise<vscode.TextDocument>>();
  private readonly wasDirty = new Set<string>();

  open(uri: vscode.Uri): Promise<vscode.TextDocument> {
    const key = uri.toString();
    let doc = this.documents.get(key);
    if (!doc) {
      // The promise is kept at once: targets that finish together share one open.
      doc = Promise.resolve(vscode.workspace.openTextDocument(uri)).then((d) => {
        if (d.isDirty) {
          this.wasDirty.add(key);
        }
        return d;
      });
      this.documents.set(key, doc);
    }
    return doc;
  }

  async saveTouched(): Promise<void> {
    for (const pending of this.documents.values()) {
      const doc = await pending.catch(() => undefined);
      if (doc?.isDirty && !this.wasDirty.has(doc.uri.toString())) {
        await doc.save();
      }
    }
  }
}

/** Writes one target's image and points every link to it at the file: one edit, one undo. */
export async function placeTarget(target: FillTarget, image: GeneratedImage, documents: RunDocuments, signal?: AbortSignal): Promise<vscode.Uri> {
  const anchors: Anchor[] = [];
  try {
    const links = [];
    for (const l of target.links) {
      const doc = await documents.open(l.document);
      const anchor = new Anchor(doc, l.image.targetStart);
      anchors.push(anchor);
      links.push({ anchor, image: l.image, html: l.image.html });
    }
    const document = target.links[0].document;
    const placed = await placeImage({
      scope: scopeFor(document),
      settings: readSettings(document),
      prompt: target.prompt,
      model: image.options.model,
      image,
      wanted: target.uri,
      link: { kind: 'retargetAll', links },
      signal,
    });
    return placed.file;
  } finally {
    anchors.forEach((a) => a.dispose());
  }
}

/**
 * Writes a stale target's new picture over the old one, in its own format: one edit, one undo. The
 * old picture goes to the Image Studio's history first, as Regenerate's does.
 */
async function replaceTarget(services: Services, target: FillTarget, image: GeneratedImage): Promise<vscode.Uri> {
  const named = formatOfExtension(target.uri.path);
  if (named && named !== image.format) {
    throw new IllustrateError('options', vscode.l10n.t('Illustrate could not write {0} as {1} here, so the picture was left as it was. Try again in VS Code on the desktop, or link a .png file.', basename(target.uri.path), named.toUpperCase()));
  }
  const old = await new ImageFiles().read(target.uri);
  if (old) {
    await keepReplaced(services.history, old, target.prompt, image.options);
  }
  await replaceImageFile(target.uri, image.bytes);
  return target.uri;
}

/**
 * Makes every target, at most `concurrency` at once, fewer while the server rate-limits. Cancel
 * starts nothing new and aborts what is in flight; finished images stay. Documents that were
 * not dirty before get their retargeted links saved.
 */
export async function runFill(services: Services, targets: readonly FillTarget[], signal: AbortSignal, onProgress: (p: core.FillProgress) => void, replacing?: ReadonlySet<string>): Promise<FillOutcome> {
  const documents = new RunDocuments();
  const host: FillJobHost<vscode.Uri, vscode.Uri> = {
    generator: services.generator,
    settings: (target) => readSettings(target.links[0].document),
    path: (uri) => uri.path,
    // A stale image is made again in place: same file, same links.
    write: (target, image, inPlace, run) => (inPlace ? replaceTarget(services, target, image) : placeTarget(target, image, documents, run)),
    // Reviewed beside the next generations (`illustrate.review`): the verdict is written into the
    // file's record once it is in; with retry, the picture not kept goes to the Studio's history.
    reviewer: services.reviewer,
    rewrite: (_target, file, image) => replaceImageFile(file, image.bytes),
    keepAside: (target, image) =>
      services.history.keepVersion({ prompt: target.prompt, bytes: image.bytes, format: image.format, width: image.width, height: image.height, options: image.options, cost: image.cost, savedAs: vscode.workspace.asRelativePath(target.uri, false) }),
  };
  const outcome = await runFillJob(host, targets, { concurrency: readSettings(targets[0]?.links[0]?.document).fillConcurrency, signal, onProgress, replacing: (t) => replacing?.has(t.uri.toString()) === true });
  await documents.saveTouched();
  return outcome;
}

/**
 * The run's report, as markdown for the preview: each picture's thumbnail carried in it (`data:`),
 * made from the bytes written, those that failed review first.
 */
export async function fillReport(plan: FillPlan, outcome: FillOutcome, root: vscode.Uri | undefined, codec: ImageCodec | undefined): Promise<string> {
  const rel = relativeTo(root);
  const first = (m: MadeImage): number => ({ fail: 0, unreviewed: 1, pass: 2 })[m.review?.verdict.status ?? 'pass'];
  const thumbnails = await reportThumbnails(codec, [...outcome.made].sort((a, b) => first(a) - first(b)).map((m) => ({ uri: m.file, bytes: m.image.bytes })));
  return core.fillReport(plan, outcome, rel, (m) => ({ file: rel(m.file), width: m.image.width, height: m.image.height, format: m.image.format, weight: weightNote(m.image), src: thumbnails.get(m.file.toString()), review: m.review }));
}
