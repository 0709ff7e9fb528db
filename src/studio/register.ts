import * as vscode from 'vscode';
import { MarkdownEditorTracker } from '../platform/markdownEditors';
import { Services } from '../platform/services';
import { readSettings } from '../platform/settings';
import { StudioDeps, StudioPanel } from './panel';
import { StudioStore } from './store';
import { VIEW_TYPE } from './tabs';

/** The Image Studio: its command, its restore-after-reload serializer, and its one history store. */
export function registerStudio(context: vscode.ExtensionContext, services: Services): void {
  const dir = vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'studio');
  const store = new StudioStore(
    dir,
    () => readSettings().historyLimit,
    (message) => {
      services.log.warn(`Image Studio: ${message}`);
      void vscode.window.showWarningMessage(message);
    },
  );
  const tracker = new MarkdownEditorTracker();
  // Malformed messages are logged by the panel; nothing else watches its messages here.
  const deps: StudioDeps = { services, store, tracker, sink: { posted: () => undefined, ignored: () => undefined } };
  context.subscriptions.push(
    tracker,
    vscode.commands.registerCommand('illustrate.openStudio', async (args?: { prompt?: unknown }) => {
      await StudioPanel.show(deps, typeof args?.prompt === 'string' ? args.prompt : promptFromEditor(vscode.window.activeTextEditor));
    }),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        await StudioPanel.revive(panel, deps);
      },
    }),
    { dispose: () => StudioPanel.open?.dispose() },
  );
}

/** A new Studio's prompt: the editor's selected text, if any. */
export function promptFromEditor(editor: vscode.TextEditor | undefined): string {
  return editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : '';
}
