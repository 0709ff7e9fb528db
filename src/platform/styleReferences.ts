/** `illustrate.styleReferences` read from the workspace folders, by the shared rules of core. */
import * as vscode from 'vscode';
import { ReferenceImage } from '../core/api/request';
import { loadReferences, ReferenceHost } from '../core/images/styleReferences';
import { checkRealLocation, isInsideScope } from './placement';

const workspaceReferences: ReferenceHost<vscode.Uri> = {
  roots: () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri),
  join: (root, relative) => vscode.Uri.joinPath(root, relative),
  inside: isInsideScope,
  size: (uri) =>
    Promise.resolve(vscode.workspace.fs.stat(uri)).then(
      (s) => s.size,
      () => undefined,
    ),
  checkReal: checkRealLocation,
  read: (uri) => Promise.resolve(vscode.workspace.fs.readFile(uri)),
};

/** The style references' bytes, in the order of the setting. */
export function loadStyleReferences(paths: readonly string[]): Promise<ReferenceImage[]> {
  return loadReferences(paths, workspaceReferences);
}
