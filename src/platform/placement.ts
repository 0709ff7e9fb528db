import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { IllustrateError } from '../core/errors';
import { EXTENSIONS, ImageFormat } from '../core/imageFormat';
import { shiftOffset } from '../core/markdown';
import { basename, dirname, expandVariables, isInside, relativePath, resolveDestination, safeFileName, slugify, splitExt, uniquePath } from '../core/paths';

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
    throw new IllustrateError('destination', 'Open a folder or a saved markdown file first: Illustrate saves images into the workspace.');
  }
  return { root: first.uri, document: undefined };
}

/** Whether anything is at `uri`, a link that points nowhere included (it is not a free name). */
export async function uriExists(uri: vscode.Uri): Promise<boolean> {
  try {
    if (uri.scheme === 'file') {
      await fs.lstat(uri.fsPath);
    } else {
      await vscode.workspace.fs.stat(uri);
    }
    return true;
  } catch {
    return false;
  }
}

function outsideByLink(): IllustrateError {
  return new IllustrateError(
    'destination',
    'That image path goes through a symbolic link that leads outside the workspace folder (or is a link itself), so Illustrate will not write it. Choose a path inside the workspace that is not a link.',
  );
}

/**
 * Refuses a target that is itself a link, or whose real location (its folders' links resolved) is
 * outside the real workspace folder. Where the file system cannot resolve links (other schemes),
 * any link on the way below the workspace folder is refused.
 */
export async function checkRealLocation(root: vscode.Uri, target: vscode.Uri): Promise<void> {
  if (target.scheme === 'file' && root.scheme === 'file') {
    const realRoot = await fs.realpath(root.fsPath).catch(() => root.fsPath);
    let at = target.fsPath;
    const link = await fs.lstat(at).then((st) => st.isSymbolicLink(), () => false);
    if (link) {
      throw outsideByLink();
    }
    // The nearest folder that exists decides: the ones below it will be made inside it.
    for (;;) {
      const parent = path.dirname(at);
      try {
        const real = await fs.realpath(parent);
        if (!isInside(real, realRoot)) {
          throw outsideByLink();
        }
        return;
      } catch (e: unknown) {
        if (e instanceof IllustrateError) {
          throw e;
        }
        if (await fs.lstat(parent).then(() => true, () => false)) {
          throw outsideByLink(); // there, but unresolvable: a link that points nowhere
        }
      }
      if (parent === at) {
        return;
      }
      at = parent;
    }
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
 * Where the new image would go by the destination and file name settings, before looking at what
 * exists. Throws when that is outside the workspace folder. No I/O.
 */
export function destinationFor(scope: PlacementScope, destination: string, fileNamePattern: string, prompt: string, format: ImageFormat, model: string): string {
  const now = new Date();
  const docBase = scope.document ? splitExt(basename(scope.document.path)).stem : '';
  const stem =
    expandVariables(fileNamePattern, {
      promptSlug: slugify(prompt),
      documentBaseName: docBase,
      model,
      unixTime: String(Math.floor(now.getTime() / 1000)),
      isoTime: now.toISOString().replace(/[:.]/g, '-'),
    })
      .replace(/[\\/:*?"<>|\x00-\x1f]+/g, '-')
      .trim() || slugify(prompt);
  const fileName = safeFileName(stem, EXTENSIONS[format]);
  const path = resolveDestination(destination, {
    documentPath: scope.document?.path,
    workspaceFolderPath: scope.root.path,
    fileName,
    now,
  });
  if (!path) {
    throw new IllustrateError(
      'destination',
      `The destination "${destination}" points outside the workspace folder, so nothing was saved. Change "illustrate.destination" to a folder inside the workspace.`,
    );
  }
  return path;
}

/** The new image's path from the destination and file name settings, never an existing file. */
export async function planImageFile(
  scope: PlacementScope,
  destination: string,
  fileNamePattern: string,
  prompt: string,
  format: ImageFormat,
  model: string,
  taken: ReadonlySet<string> = new Set(),
): Promise<vscode.Uri> {
  const wanted = destinationFor(scope, destination, fileNamePattern, prompt, format, model);
  const free = scope.root.with({ path: await uniquePath(wanted, (p) => uriExists(scope.root.with({ path: p })), taken) });
  await checkRealLocation(scope.root, free);
  return free;
}

/** The link target from the document to the image: relative, posix separators. */
export function linkPath(document: vscode.Uri | undefined, scopeRoot: vscode.Uri, image: vscode.Uri): string {
  const fromDir = document && document.scheme !== 'untitled' ? dirname(document.path) : scopeRoot.path;
  return relativePath(fromDir, image.path);
}

export function ensureInside(scope: PlacementScope, uri: vscode.Uri): void {
  if (uri.scheme !== scope.root.scheme || uri.authority !== scope.root.authority || !isInside(uri.path, scope.root.path)) {
    throw new IllustrateError('destination', 'That image path is outside the workspace folder, so Illustrate will not write it. Use a path inside the workspace.');
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

export interface TextChange {
  readonly document: vscode.Uri;
  readonly range: vscode.Range;
  readonly text: string;
}

/**
 * The image file and its link in one WorkspaceEdit, so one undo removes both. Without `bytes` the
 * file already exists and only the link is inserted.
 */
export async function writeImageAndLink(file: vscode.Uri, bytes: Uint8Array | undefined, changes: readonly TextChange[]): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  if (bytes) {
    edit.createFile(file, { contents: bytes, overwrite: false, ignoreIfExists: false });
  }
  for (const c of changes) {
    edit.replace(c.document, c.range, c.text);
  }
  let applied = false;
  try {
    applied = await vscode.workspace.applyEdit(edit, { isRefactoring: false });
  } catch {
    applied = false;
  }
  if (!applied && !bytes) {
    throw new IllustrateError('unwritable', 'Could not insert the link: the document is read-only or was closed. Open it again and retry.');
  }
  if (!applied) {
    throw new IllustrateError(
      'unwritable',
      `Could not write ${vscode.workspace.asRelativePath(file)}: the folder is not writable or the file appeared meanwhile. Check the folder's permissions or change "illustrate.destination", then try again.`,
    );
  }
}

/**
 * Writes a new image and its link. When another write took the name meanwhile (two generations
 * finishing together), the next free name is taken: a paid image never fails for its name.
 */
export async function writeNewImage(root: vscode.Uri, file: vscode.Uri, bytes: Uint8Array, changesFor: (file: vscode.Uri) => readonly TextChange[]): Promise<vscode.Uri> {
  const tried = new Set<string>();
  for (let attempt = 0; ; attempt++) {
    try {
      await writeImageAndLink(file, bytes, changesFor(file));
      return file;
    } catch (e: unknown) {
      if (attempt >= 4 || !(await uriExists(file))) {
        throw e;
      }
      tried.add(file.path);
      file = file.with({ path: await uniquePath(file.path, (p) => uriExists(file.with({ path: p })), tried) });
      await checkRealLocation(root, file);
    }
  }
}
