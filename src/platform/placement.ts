import * as vscode from 'vscode';
import { IllustrateError } from '../core/errors';
import { EXTENSIONS, ImageFormat } from '../core/imageFormat';
import { shiftOffset } from '../core/markdown';
import { basename, dirname, expandVariables, isInside, relativePath, resolveDestination, slugify, splitExt, uniquePath } from '../core/paths';

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

export async function uriExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
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
  const fileName = `${stem}${EXTENSIONS[format]}`;
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
  const path = destinationFor(scope, destination, fileNamePattern, prompt, format, model);
  const free = await uniquePath(path, (p) => uriExists(scope.root.with({ path: p })), taken);
  return scope.root.with({ path: free });
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
