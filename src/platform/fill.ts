/**
 * Filling the missing images of a docs tree: the scan of every markdown file in scope (with the
 * reason each image is left alone), and the run, through the one placement pipeline, at a pace
 * that adapts to the server's rate limit.
 */
import { fromUtf8 } from '../core/bytes';
import * as vscode from 'vscode';
import * as core from '../core/fill';
import { basename, relativePath } from '../core/paths';
import { optionsFromSettings, Settings } from '../core/settings';
import { GeneratedImage } from '../core/generator';
import { Anchor, checkRealLocation, isInsideScope, placeImage, scopeFor, targetUri, uriExists } from './placement';
import { Services } from './services';
import { readSettings } from './settings';

const MARKDOWN = '**/*.{md,markdown,mdx}';

export type FillTarget = core.FillTarget<vscode.Uri>;
export type FillSkip = core.FillSkip<vscode.Uri>;
export type FillPlan = core.FillPlan<vscode.Uri>;
export interface MadeImage {
  readonly file: vscode.Uri;
  readonly image: GeneratedImage;
}
export type FillOutcome = core.FillOutcome<vscode.Uri, MadeImage>;
export type { FillProgress } from '../core/fill';
export { failureMessage, fillEstimate } from '../core/fill';

/** The workspace's files as the shared scan sees them. */
export const workspaceHost: core.FillHost<vscode.Uri> = {
  text: documentText,
  root: (document) => {
    try {
      return scopeFor(document).root;
    } catch {
      return undefined;
    }
  },
  resolve: targetUri,
  key: (uri) => uri.toString(),
  inside: isInsideScope,
  name: (uri) => basename(uri.path),
  exists: uriExists,
  checkReal: checkRealLocation,
};

/** `files.exclude`, `search.exclude` and the workspace folders' `.gitignore`, as one glob. */
async function excludes(): Promise<string | undefined> {
  const patterns = core.excludeGlobs((key) => vscode.workspace.getConfiguration().get(key));
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    try {
      const text = fromUtf8(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, '.gitignore')));
      patterns.push(...core.gitignoreGlobs(text));
    } catch {
      // no .gitignore
    }
  }
  const safe = patterns.filter((p) => !/[{}]/.test(p));
  return safe.length ? `{${safe.join(',')}}` : undefined;
}

async function documentText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return open ? open.getText() : fromUtf8(await vscode.workspace.fs.readFile(uri));
}

/** The markdown files in scope: one file, a folder, or the whole workspace. */
async function markdownFiles(resource: vscode.Uri | undefined, token: vscode.CancellationToken): Promise<vscode.Uri[]> {
  if (resource) {
    const stat = await vscode.workspace.fs.stat(resource);
    if (stat.type & vscode.FileType.File) {
      return [resource];
    }
    return vscode.workspace.findFiles(new vscode.RelativePattern(resource, MARKDOWN), await excludes(), undefined, token);
  }
  return vscode.workspace.findFiles(MARKDOWN, await excludes(), undefined, token);
}

/** Every missing image in scope, each target once, and what is left alone and why. */
export async function scanForMissing(resource: vscode.Uri | undefined, token: vscode.CancellationToken): Promise<FillPlan> {
  const files = (await markdownFiles(resource, token)).sort((a, b) => a.path.localeCompare(b.path));
  return core.scanMissing(files, workspaceHost, () => token.isCancellationRequested);
}

/** A target as the documents link it now; undefined when no link to it is left. */
export function relink(uri: vscode.Uri, prompt: string, documents: readonly vscode.Uri[]): Promise<FillTarget | undefined> {
  return core.relinkTarget(uri, prompt, documents, workspaceHost);
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
 * Makes every target, at most `concurrency` at once, fewer while the server rate-limits. Cancel
 * starts nothing new and aborts what is in flight; finished images stay. Documents that were
 * not dirty before get their retargeted links saved.
 */
export async function runFill(services: Services, targets: readonly FillTarget[], signal: AbortSignal, onProgress: (p: core.FillProgress) => void): Promise<FillOutcome> {
  const documents = new RunDocuments();
  const first = targets[0]?.links[0]?.document;
  const styleReferences = services.generator.styleReferencesOnce();
  const outcome = await core.runFillTargets<vscode.Uri, MadeImage>(
    targets,
    readSettings(first).fillConcurrency,
    async (target, run) => {
      const settings: Settings = readSettings(target.links[0].document);
      const image = await services.generator.generate({ prompt: target.prompt, options: optionsFromSettings(settings), retryRateLimited: false, styleReferences }, settings, run);
      const file = await placeTarget(target, image, documents, run);
      return { value: { file, image }, cost: image.cost };
    },
    signal,
    onProgress,
  );
  await documents.saveTouched();
  return outcome;
}

/** The run's report, as markdown. */
export function fillReport(plan: FillPlan, outcome: FillOutcome, root: vscode.Uri | undefined): string {
  const rel = (uri: vscode.Uri): string => (root ? relativePath(root.path, uri.path) : uri.path);
  return core.fillReport(plan, outcome, rel, (m) => ({ file: rel(m.file), width: m.image.width, height: m.image.height, format: m.image.format }));
}
