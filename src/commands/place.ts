import * as vscode from 'vscode';
import { cancelled } from '../core/client';
import { altTextFromPrompt, markdownImage } from '../core/paths';
import { GeneratedImage, optionsFromSettings } from '../platform/generator';
import { Anchor, checkRealLocation, destinationFor, linkPath, planImageFile, scopeFor, writeNewImage } from '../platform/placement';
import { readSettings } from '../platform/settings';
import { showFailure, showSaved, withGenerationProgress } from './run';
import { CommandResult, Services } from './services';

export type InsertAt = 'cursor' | 'afterSelection';

/** Where a link goes when the command starts; it follows the user's edits while the image is made. */
function startAnchor(editor: vscode.TextEditor, at: InsertAt): Anchor {
  const doc = editor.document;
  if (at === 'cursor') {
    return new Anchor(doc, doc.offsetAt(editor.selection.active));
  }
  const sel = editor.selection;
  const lastLine = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line - 1 : sel.end.line;
  return new Anchor(doc, doc.offsetAt(doc.lineAt(lastLine).range.end));
}

function linkText(anchor: Anchor, link: string, at: InsertAt): string {
  if (at === 'cursor') {
    return link;
  }
  const line = anchor.position.line;
  const next = line + 1 < anchor.document.lineCount ? anchor.document.lineAt(line + 1).text : '';
  return `\n\n${link}${next.trim() ? '\n' : ''}`;
}

/** Generates from `prompt` and links the image at the editor's cursor, or saves and opens it. */
export async function generateAndPlace(services: Services, prompt: string, editor: vscode.TextEditor | undefined, at: InsertAt): Promise<CommandResult> {
  const settings = readSettings();
  const options = optionsFromSettings(settings);
  const doc = editor?.document;
  const markdown = doc?.languageId === 'markdown' ? editor : undefined;
  let anchor: Anchor | undefined;
  try {
    const scope = scopeFor(doc?.uri);
    anchor = markdown ? startAnchor(markdown, at) : undefined;
    const target = anchor;
    // A destination outside the workspace, by its path or through a link, is refused before anything is sent (and billed).
    await checkRealLocation(scope.root, scope.root.with({ path: destinationFor(scope, settings.destination, settings.fileName, prompt, 'png', options.model) }));
    return await withGenerationProgress(services, 'Illustrate: generating image', async (signal, onProgress) => {
      const image = await services.generator.generate({ prompt, options }, settings, signal, onProgress);
      let file = await planImageFile(scope, settings.destination, settings.fileName, prompt, image.format, options.model);
      if (signal.aborted) {
        throw cancelled();
      }
      if (target) {
        const position = target.position;
        // Text inserted at a selection's end extends it; the user's selection stays as it was.
        const kept = vscode.window.visibleTextEditors.filter((e) => e.document === target.document).map((e) => [e, e.selections] as const);
        file = await writeNewImage(scope.root, file, image.bytes, (f) => [
          { document: target.document.uri, range: new vscode.Range(position, position), text: linkText(target, markdownImage(altTextFromPrompt(prompt), linkPath(target.document.uri, scope.root, f)), at) },
        ]);
        if (at === 'afterSelection') {
          for (const [e, selections] of kept) {
            e.selections = selections;
          }
        }
        return { ok: true, message: showSaved(services, image, vscode.workspace.asRelativePath(file)), file: file.toString() };
      }
      file = await writeNewImage(scope.root, file, image.bytes, () => []);
      return saveWithoutEditor(services, image, file, scope.document, scope.root, prompt);
    });
  } catch (e: unknown) {
    return showFailure(services, e);
  } finally {
    anchor?.dispose();
  }
}

/** No markdown editor: the image is saved and opened, and its link offered for the clipboard. */
async function saveWithoutEditor(
  services: Services,
  image: GeneratedImage,
  file: vscode.Uri,
  document: vscode.Uri | undefined,
  root: vscode.Uri,
  prompt: string,
): Promise<CommandResult> {
  const link = markdownImage(altTextFromPrompt(prompt), linkPath(document, root, file));
  await vscode.commands.executeCommand('vscode.open', file, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  const message = showSaved(services, image, vscode.workspace.asRelativePath(file));
  const copy = 'Copy Markdown Link';
  void vscode.window.showInformationMessage(`${message}. No markdown editor was active, so no link was inserted.`, copy).then(async (choice) => {
    if (choice === copy) {
      await vscode.env.clipboard.writeText(link);
    }
  });
  return { ok: true, message, file: file.toString() };
}
