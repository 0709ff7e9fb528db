import * as vscode from 'vscode';
import { checkWorkspaceFile } from '../platform/workspaceFiles';
import { MarkdownEditorTracker } from '../platform/markdownEditors';
import { Services } from '../platform/services';
import { readSettings } from '../platform/settings';
import { StudioDeps, StudioPanel } from './panel';
import { StudioStore } from './store';
import { VIEW_TYPE } from './tabs';

/** The Image Studio's one history store, in the workspace's storage (made before the services that hold it). */
export function createStudioStore(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): StudioStore {
  const dir = vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'studio');
  return new StudioStore(
    dir,
    () => readSettings().historyLimit,
    (message) => {
      log.warn(`Image Studio: ${message}`);
      void vscode.window.showWarningMessage(message);
    },
  );
}

/** The Image Studio: its command and its restore-after-reload serializer, over its one history store. */
export function registerStudio(context: vscode.ExtensionContext, services: Services, store: StudioStore): void {
  const tracker = new MarkdownEditorTracker();
  // Malformed messages are logged by the panel; nothing else watches its messages here.
  const deps: StudioDeps = { services, store, tracker, sink: { posted: () => undefined, ignored: () => undefined } };
  context.subscriptions.push(
    tracker,
    // `image`: a workspace image to start from (the hover's Open in Studio), added as a reference for an edit.
    vscode.commands.registerCommand('illustrate.openStudio', async (args?: { prompt?: unknown; image?: unknown }) => {
      const studio = await StudioPanel.show(deps, typeof args?.prompt === 'string' ? args.prompt : promptFromEditor(vscode.window.activeTextEditor));
      const image = typeof args?.image === 'string' ? safeUri(args.image) : undefined;
      // Only a file really inside a workspace folder (the one reader's check), never through a link out of it.
      if (image && (await checkWorkspaceFile(image).then(() => true, () => false))) {
        await studio.addReferences([image]);
      }
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

function safeUri(text: string): vscode.Uri | undefined {
  try {
    return vscode.Uri.parse(text, true);
  } catch {
    return undefined;
  }
}
