import * as vscode from 'vscode';
import { Services } from '../commands/services';
import { readSettings } from '../platform/settings';
import { MarkdownEditorTracker, StudioPanel, VIEW_TYPE } from './panel';
import { StudioStore } from './store';

/** The Image Studio: its command, its restore-after-reload serializer, and its history store. */
export function registerStudio(services: Services): void {
  const { context } = services;
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
  context.subscriptions.push(
    tracker,
    vscode.commands.registerCommand('illustrate.openStudio', async (args?: { prompt?: unknown }) => {
      await vscode.workspace.fs.createDirectory(dir);
      const editor = vscode.window.activeTextEditor;
      const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : '';
      const prompt = typeof args?.prompt === 'string' ? args.prompt : selected;
      const panel = await StudioPanel.show(services, store, tracker, prompt);
      // For tests and automation: the panel's messages so far and a way to send it one.
      return { posted: panel.posted, receive: (raw: unknown) => panel.receive(raw), ignored: () => panel.ignored, store };
    }),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        await vscode.workspace.fs.createDirectory(dir);
        await StudioPanel.revive(panel, services, store, tracker);
      },
    }),
    { dispose: () => StudioPanel.current?.dispose() },
  );
}
