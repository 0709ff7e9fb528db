/**
 * The one way Illustrate changes the workspace: text edits, new files and replaced files in a
 * single WorkspaceEdit (one undo takes the whole change back), applied or failed with one message.
 */
import * as vscode from 'vscode';
import { TextEdit } from '../core/docs/altText';
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

/** Edits a plan made of a document, their offsets in the text it read then. */
export interface PlannedEdits {
  readonly document: vscode.Uri;
  readonly edits: readonly TextEdit[];
}

/**
 * Planned text edits of several documents, with files, as one WorkspaceEdit (one undo). Offsets are
 * in the text the plan read (`planned`, by URI): a document edited since is left as it is, and
 * `changed(its name)` is returned for it. Fails with `failure()` as `applyChange` does.
 */
export async function applyPlanned(edits: Iterable<PlannedEdits>, files: Omit<WorkspaceChange, 'text'>, planned: ReadonlyMap<string, string> | undefined, changed: (name: string) => string, failure: () => string): Promise<string[]> {
  const text: TextChange[] = [];
  const left: string[] = [];
  for (const { document, edits: list } of edits) {
    const doc = await vscode.workspace.openTextDocument(document);
    const was = planned?.get(document.toString());
    if (was !== undefined && doc.getText() !== was) {
      left.push(changed(vscode.workspace.asRelativePath(document)));
      continue;
    }
    text.push(...list.map((e) => ({ document, range: new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), text: e.text })));
  }
  await applyChange({ ...files, text }, failure);
  return left;
}
