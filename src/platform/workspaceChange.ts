/**
 * The one way Illustrate changes the workspace: text edits, new files and replaced files in a
 * single WorkspaceEdit (one undo takes the whole change back), applied or failed with one message.
 */
import * as vscode from 'vscode';
import { IllustrateError } from '../core/errors';

export interface TextChange {
  readonly document: vscode.Uri;
  readonly range: vscode.Range;
  readonly text: string;
}

export interface FileBytes {
  readonly uri: vscode.Uri;
  readonly bytes: Uint8Array;
}

export interface WorkspaceChange {
  /** Files that must not exist yet. */
  readonly created?: readonly FileBytes[];
  /** Files replaced whole (deleted and created, so one undo brings the old bytes back). */
  readonly replaced?: readonly FileBytes[];
  readonly text?: readonly TextChange[];
}

/** Applies the change as one WorkspaceEdit, or fails with `failure()` (VS Code refused it, or it threw). */
export async function applyChange(change: WorkspaceChange, failure: () => string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  for (const f of change.created ?? []) {
    edit.createFile(f.uri, { contents: f.bytes, overwrite: false, ignoreIfExists: false });
  }
  for (const f of change.replaced ?? []) {
    edit.deleteFile(f.uri, { ignoreIfNotExists: false });
    edit.createFile(f.uri, { contents: f.bytes, overwrite: true });
  }
  for (const t of change.text ?? []) {
    edit.replace(t.document, t.range, t.text);
  }
  let applied = false;
  try {
    applied = await vscode.workspace.applyEdit(edit, { isRefactoring: false });
  } catch {
    applied = false;
  }
  if (!applied) {
    throw new IllustrateError('unwritable', failure());
  }
}
