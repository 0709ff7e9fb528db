import * as vscode from 'vscode';
import { isMarkdownDocument } from './markdownDocuments';

/** Where "Insert" goes: the markdown editor the user was last in. */
export class MarkdownEditorTracker implements vscode.Disposable {
  private last: vscode.Uri | undefined;
  private readonly listener: vscode.Disposable;

  constructor() {
    this.note(vscode.window.activeTextEditor);
    this.listener = vscode.window.onDidChangeActiveTextEditor((e) => this.note(e));
  }

  private note(editor: vscode.TextEditor | undefined): void {
    if (editor && isMarkdownDocument(editor.document)) {
      this.last = editor.document.uri;
    }
  }

  /** The markdown document the user was last in, without showing it. */
  get document(): vscode.Uri | undefined {
    return this.last;
  }

  /** The editor to insert into, shown again if it was hidden; undefined when there is none. */
  async editor(): Promise<vscode.TextEditor | undefined> {
    if (!this.last) {
      return undefined;
    }
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.last?.toString());
    if (visible) {
      return visible;
    }
    try {
      const doc = await vscode.workspace.openTextDocument(this.last);
      return await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: true });
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    this.listener.dispose();
  }
}
