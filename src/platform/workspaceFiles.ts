/**
 * The one reader of workspace files that are sent, described, edited or rewritten: a file must be
 * inside a workspace folder, reached through no link that leads out of it, a regular file, and no
 * larger than its cap. Every command argument that names a file is checked here too.
 */
import * as vscode from 'vscode';
import { IllustrateError } from '../core/errors';
import { basename, relativePath } from '../core/paths';
import { readProjectFile, realPathsAvailable } from '../node/realPath';
import { checkRealFileLocation } from './placement';

/** The workspace folder a command runs in: `resource`'s, else the first; undefined without one. Paths are shown from it. */
export function commandRoot(resource?: vscode.Uri): vscode.Uri | undefined {
  return resource ? vscode.workspace.getWorkspaceFolder(resource)?.uri : vscode.workspace.workspaceFolders?.[0]?.uri;
}

/** A location as a command shows it: relative to `root`, else its whole path. */
export function relativeTo(root: vscode.Uri | undefined): (uri: vscode.Uri) => string {
  return (uri) => (root ? relativePath(root.path, uri.path) : uri.path);
}

/** The workspace folder a file is in; a file outside every folder is refused with what to do. */
export function workspaceFolderOf(uri: vscode.Uri): vscode.Uri {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) {
    throw new IllustrateError('options', vscode.l10n.t('{0} is not inside a folder of this workspace, so Illustrate will not read it or change it. Open its folder (File > Open Folder…), then try again.', basename(uri.path)));
  }
  return folder.uri;
}

/** Checks that an existing file is really inside its workspace folder; returns that folder. */
export async function checkWorkspaceFile(uri: vscode.Uri): Promise<vscode.Uri> {
  const root = workspaceFolderOf(uri);
  await checkRealFileLocation(root, uri);
  return root;
}

/**
 * A workspace file's bytes, checked as above: undefined when nothing is there, it is not a regular
 * file, or it is larger than `max`; rejects (with the message to show) when it is outside.
 */
export async function readWorkspaceFile(uri: vscode.Uri, max: number): Promise<Uint8Array | undefined> {
  const root = workspaceFolderOf(uri);
  if (realPathsAvailable && uri.scheme === 'file' && root.scheme === 'file') {
    // The disk's own reader makes the link check itself (once), and says nothing is there as undefined.
    return readProjectFile(root.fsPath, uri.fsPath, max);
  }
  await checkRealFileLocation(root, uri);
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (!(stat.type & vscode.FileType.File) || stat.size > max) {
      return undefined;
    }
    const bytes = await vscode.workspace.fs.readFile(uri);
    return bytes.length <= max ? bytes : undefined;
  } catch {
    return undefined;
  }
}

