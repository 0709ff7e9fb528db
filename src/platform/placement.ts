import * as vscode from 'vscode';
import { applyChange, FileBytes, TextChange } from './workspaceChange';
import { cancelled, IllustrateError } from '../core/errors';
import { dialectOf } from '../core/escape';
import { ImageFormat } from '../core/images/imageFormat';
import { localTarget, MarkdownImage, shiftOffset } from '../core/docs/markdown';
import { basename, dirname, isInside } from '../core/paths';
import { checkRealFile, checkRealPath, pathExists, realPathsAvailable } from '../node/realPath';
import { altTextFromPrompt, imageLink, linkTarget, newImagePath, outsideByLink, PathPlanner, readsOutside, pathForFormat, PlacementSettings, retargetLink, unsafeLinkName } from '../core/images/placement';

/** Where a generated image may go: the folder it must stay in and the document it is for. */
export interface PlacementScope {
  readonly root: vscode.Uri;
  readonly document: vscode.Uri | undefined;
}

export function scopeFor(document: vscode.Uri | undefined): PlacementScope {
  if (document && document.scheme !== 'untitled') {
    const folder = vscode.workspace.getWorkspaceFolder(document);
    // A document outside every folder may still get images beside it, as VS Code's paste does.
    return { root: folder?.uri ?? document.with({ path: dirname(document.path) }), document };
  }
  const first = vscode.workspace.workspaceFolders?.[0];
  if (!first) {
    throw new IllustrateError('destination', vscode.l10n.t('Open a folder or a saved markdown file first: Illustrate saves images into the workspace.'));
  }
  return { root: first.uri, document: undefined };
}

/** Whether anything is at `uri`, a link that points nowhere included (it is not a free name). */
export async function uriExists(uri: vscode.Uri): Promise<boolean> {
  try {
    if (realPathsAvailable && uri.scheme === 'file') {
      return await pathExists(uri.fsPath);
    }
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses a target that is itself a link, or whose real location (its folders' links resolved) is
 * outside the real workspace folder. Where the file system cannot resolve links (other schemes),
 * any link on the way below the workspace folder is refused.
 */
export async function checkRealLocation(root: vscode.Uri, target: vscode.Uri): Promise<void> {
  if (realPathsAvailable && target.scheme === 'file' && root.scheme === 'file') {
    return checkRealPath(root.fsPath, target.fsPath);
  }
  for (let at = target; isInside(at.path, root.path) && at.path !== root.path; at = at.with({ path: dirname(at.path) })) {
    try {
      const stat = await vscode.workspace.fs.stat(at);
      if (stat.type & vscode.FileType.SymbolicLink) {
        throw outsideByLink();
      }
    } catch (e: unknown) {
      if (e instanceof IllustrateError) {
        throw e;
      }
    }
  }
}

/**
 * Rejects unless an existing file's real place is inside the workspace folder `root`: its own link
 * and its folders' resolved on a local disk; elsewhere, any link on the way is refused.
 */
export async function checkRealFileLocation(root: vscode.Uri, file: vscode.Uri): Promise<void> {
  if (realPathsAvailable && file.scheme === 'file' && root.scheme === 'file') {
    return checkRealFile(root.fsPath, file.fsPath);
  }
  if (!isInsideScope(root, file)) {
    throw readsOutside();
  }
  await checkRealLocation(root, file).catch(() => {
    throw readsOutside();
  });
}

/** Whether `uri` is in the scope's folder: same scheme and authority, and inside by its path. */
export function isInsideScope(root: vscode.Uri, uri: vscode.Uri): boolean {
  return uri.scheme === root.scheme && uri.authority === root.authority && isInside(uri.path, root.path);
}

export function ensureInside(scope: PlacementScope, uri: vscode.Uri): void {
  if (!isInsideScope(scope.root, uri)) {
    throw new IllustrateError('destination', vscode.l10n.t('That image path is outside the workspace folder, so Illustrate will not write it. Use a path inside the workspace.'));
  }
}

/** Keeps an offset in a document valid while the user keeps typing during a generation. */
export class Anchor implements vscode.Disposable {
  private readonly listener: vscode.Disposable;

  constructor(
    readonly document: vscode.TextDocument,
    public offset: number,
  ) {
    this.listener = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === this.document && e.contentChanges.length > 0) {
        this.offset = shiftOffset(
          this.offset,
          e.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text })),
        );
      }
    });
  }

  get position(): vscode.Position {
    return this.document.positionAt(this.offset);
  }

  dispose(): void {
    this.listener.dispose();
  }
}

export type { PlacementSettings } from '../core/images/placement';

/** What to place: new bytes, or a file already in the workspace (only its link is added). */
export type ImageSource = { readonly bytes: Uint8Array; readonly format: ImageFormat } | { readonly existing: vscode.Uri };

/** Where the link goes, if anywhere. The anchors follow the user's typing while the image is made. */
export type LinkPlacement =
  | { readonly kind: 'none' }
  /** `line`: as its own paragraph at the start of the anchor's line (agent tools). */
  | { readonly kind: 'insert'; readonly anchor: Anchor; readonly at: 'cursor' | 'afterSelection' | 'line' }
  /** `html`: the link is an HTML `src` (written bare). */
  | { readonly kind: 'retarget'; readonly anchor: Anchor; readonly image: MarkdownImage; readonly html?: boolean }
  /** Every link to one target (the fill): each follows the file's final name. HTML `src` values are written bare. */
  | { readonly kind: 'retargetAll'; readonly links: readonly { readonly anchor: Anchor; readonly image: MarkdownImage; readonly html?: boolean }[] };

export interface PlaceRequest {
  readonly scope: PlacementScope;
  readonly settings: PlacementSettings;
  readonly prompt: string;
  readonly model: string;
  readonly image: ImageSource;
  /** Where an existing link points: the file is written there (its extension fixed to the format). */
  readonly wanted?: vscode.Uri;
  readonly link: LinkPlacement;
  readonly signal?: AbortSignal;
  /** One operation placing several images shares its planner, so no two get the same name. */
  readonly planner?: PathPlanner;
  /** What goes with the image's final file (its dark twin beside it): written in the same WorkspaceEdit, its link as they change it. */
  readonly companion?: (file: vscode.Uri) => Companion;
}

/**
 * Files placed with an image in its one WorkspaceEdit, and its link as they change it. A new
 * image takes a name whose companions are free too; beside a file already there, a companion
 * already there is kept as it is.
 */
export interface Companion {
  readonly files: readonly FileBytes[];
  /** The link as written with them (the markup that shows the twin in dark mode). */
  readonly link: (markdown: string) => string;
}

export interface Placed {
  readonly file: vscode.Uri;
  /** The link as inserted, or as it would be from the document (for "Copy Markdown Link"). */
  readonly link: string;
}


/** The folder a link is relative to: the document's, or the workspace folder without one. */
function linkBase(scope: PlacementScope): string {
  return scope.document && scope.document.scheme !== 'untitled' ? dirname(scope.document.path) : scope.root.path;
}

/** Where a new image would go by the settings, before looking at what exists. No I/O. */
function destinationPath(scope: PlacementScope, settings: PlacementSettings, prompt: string, format: ImageFormat, model: string, now: Date): string {
  return newImagePath({ documentPath: scope.document?.path, rootPath: scope.root.path, settings, prompt, format, model, now });
}

/**
 * Everything that would stop the write, checked before anything is sent (and billed): the
 * destination inside the workspace, by its path and through links; for a link's own target, a
 * name that can be written.
 */
export async function preflight(scope: PlacementScope, settings: PlacementSettings, prompt: string, model: string, wanted?: vscode.Uri): Promise<void> {
  if (wanted) {
    ensureInside(scope, wanted);
    const problem = unsafeLinkName(basename(wanted.path));
    if (problem) {
      throw new IllustrateError('destination', vscode.l10n.t('The link\'s file name {0}, so Illustrate will not write it. Rename the file in the link and try again.', problem));
    }
    await checkRealLocation(scope.root, wanted);
    return;
  }
  await checkRealLocation(scope.root, scope.root.with({ path: destinationPath(scope, settings, prompt, 'png', model, new Date()) }));
}

/** The file a new image goes to: the link's own target (extension fixed to the format) or the destination's. */
async function planFile(request: PlaceRequest, format: ImageFormat, planner: PathPlanner): Promise<vscode.Uri> {
  const { scope, wanted, signal } = request;
  let path: string;
  if (wanted) {
    path = pathForFormat(wanted.path, format);
  } else {
    path = destinationPath(scope, request.settings, request.prompt, format, request.model, new Date());
  }
  const base = wanted ?? scope.root;
  const file = base.with({ path: await planner.free(path, () => signal?.aborted === true) });
  await checkRealLocation(scope.root, file);
  return file;
}

/** The text edits that link the image, for a file at `file`. */
function linkChanges(request: PlaceRequest, file: vscode.Uri, companion?: Companion): { changes: TextChange[]; link: string } {
  const { link, scope } = request;
  const linked = (markdown: string): string => companion?.link(markdown) ?? markdown;
  const alt = altTextFromPrompt(request.prompt);
  const dialect = dialectOf(scope.document?.path ?? '');
  if (link.kind === 'none') {
    return { changes: [], link: linked(imageLink(alt, linkBase(scope), file.path, dialect)) };
  }
  if (link.kind === 'retargetAll') {
    const unchanged = request.wanted !== undefined && file.path === request.wanted.path;
    const changes = unchanged ? [] : link.links.map((l) => retargetChange(l.anchor, l.image, file, l.html === true));
    return { changes, link: imageLink(alt, linkBase(scope), file.path, dialect) };
  }
  const { anchor } = link;
  const document = anchor.document;
  const fromDir = dirname(document.uri.path);
  if (link.kind === 'retarget') {
    const unchanged = request.wanted !== undefined && file.path === request.wanted.path;
    return { changes: unchanged ? [] : [retargetChange(anchor, link.image, file, link.html === true)], link: imageLink(link.image.alt, fromDir, file.path, dialectOf(document.uri.path)) };
  }
  const markdown = linked(imageLink(alt, fromDir, file.path, dialectOf(document.uri.path)));
  const position = anchor.position;
  let text = markdown;
  if (link.at === 'line') {
    const atEnd = document.offsetAt(position) >= document.getText().trimEnd().length;
    if (atEnd) {
      const before = document.getText(new vscode.Range(new vscode.Position(Math.max(0, position.line - 2), 0), position));
      text = `${before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n'}${markdown}\n`;
    } else {
      text = `${markdown}\n\n`;
    }
  }
  if (link.at === 'afterSelection') {
    const next = position.line + 1 < document.lineCount ? document.lineAt(position.line + 1).text : '';
    text = `\n\n${markdown}${next.trim() ? '\n' : ''}`;
  }
  return { changes: [{ document: document.uri, range: new vscode.Range(position, position), text }], link: markdown };
}

/** The edit that points one existing link at `file`: same style, new name. */
function retargetChange(anchor: Anchor, image: MarkdownImage, file: vscode.Uri, html: boolean): TextChange {
  const document = anchor.document;
  const local = localTarget(image.target);
  const fromDir = dirname(document.uri.path);
  // An HTML src is written bare, as a `<…>` target is: no markdown brackets around it.
  const text = local ? retargetLink(local, image.bracketed || html, basename(file.path)) : linkTarget(fromDir, file.path);
  const range = new vscode.Range(anchor.position, document.positionAt(anchor.offset + (image.targetEnd - image.targetStart)));
  return { document: document.uri, range, text };
}

/**
 * The one placement pipeline, for every image from every entry point: plan the file, check for
 * cancellation, then write the file and its link as one WorkspaceEdit (one undo removes both),
 * keeping the user's selection. A name taken at write time (two images finishing together) moves
 * to the next free one: a paid image never fails for its name.
 */
export async function placeImage(request: PlaceRequest): Promise<Placed> {
  const { image, signal } = request;
  const planner = request.planner ?? new PathPlanner({ exists: (p) => uriExists(request.scope.root.with({ path: p })) });
  if ('existing' in image) {
    const companion = request.companion?.(image.existing);
    const missing = await missingFiles(companion?.files ?? []);
    const { changes, link } = linkChanges(request, image.existing, companion);
    if (changes.length || missing.length) {
      await applyImageEdit(undefined, undefined, changes, missing);
    }
    return { file: image.existing, link };
  }
  let file = await planFile(request, image.format, planner);
  const kept = request.link.kind === 'insert' && request.link.at === 'afterSelection' ? keepSelections(request.link.anchor.document) : undefined;
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) {
      throw cancelled();
    }
    const companion = request.companion?.(file);
    if (companion && attempt < 4 && (await missingFiles(companion.files)).length < companion.files.length) {
      // A companion's name is taken (a twin of another picture there): the next free name for both.
      planner.reject(file.path);
      file = await planFile(request, image.format, planner);
      continue;
    }
    const { changes, link } = linkChanges(request, file, companion);
    try {
      await applyImageEdit(file, image.bytes, changes, companion?.files);
      kept?.();
      return { file, link };
    } catch (e: unknown) {
      if (attempt >= 4 || !(await uriExists(file))) {
        throw e;
      }
      planner.reject(file.path);
      file = await planFile(request, image.format, planner);
    }
  }
}

/** Text inserted at a selection's end extends it: the selections are put back as they were. */
function keepSelections(document: vscode.TextDocument): () => void {
  const kept = vscode.window.visibleTextEditors.filter((e) => e.document === document).map((e) => [e, e.selections] as const);
  return () => {
    for (const [editor, selections] of kept) {
      editor.selections = selections;
    }
  };
}


/** The files of `files` not there yet. */
async function missingFiles(files: readonly FileBytes[]): Promise<FileBytes[]> {
  const there = await Promise.all(files.map((f) => uriExists(f.uri)));
  return files.filter((_f, i) => !there[i]);
}

/** The image file (when there are bytes), its companions and its link in one WorkspaceEdit. */
async function applyImageEdit(file: vscode.Uri | undefined, bytes: Uint8Array | undefined, changes: readonly TextChange[], companions: readonly FileBytes[] = []): Promise<void> {
  await applyChange({ created: [...(file && bytes ? [{ uri: file, bytes }] : []), ...companions], text: changes }, () =>
    file
      ? vscode.l10n.t('Could not write {0}: the folder is not writable or the file appeared meanwhile. Check the folder\'s permissions or change "illustrate.destination", then try again.', vscode.workspace.asRelativePath(file))
      : vscode.l10n.t('Could not insert the link: the document is read-only or was closed. Open it again and retry.'),
  );
}

/**
 * Replaces an image file's bytes where it is (Regenerate, Edit Image, Keep): the old file deleted
 * and the new one created in one WorkspaceEdit, so one undo brings the old bytes back.
 */
export async function replaceImageFile(file: vscode.Uri, bytes: Uint8Array): Promise<void> {
  await replaceImageFiles([{ uri: file, bytes }]);
}

/** Several files replaced whole as one change (one undo). */
export async function replaceImageFiles(files: readonly { readonly uri: vscode.Uri; readonly bytes: Uint8Array }[]): Promise<void> {
  await applyChange({ replaced: files }, () => vscode.l10n.t('Could not replace {0}: the file or its folder is not writable. Check the permissions, then try again.', files.map((f) => vscode.workspace.asRelativePath(f.uri)).join(', ')));
}

