/** A run's report in the markdown preview, beside the editor: its pictures as thumbnails. */
import * as vscode from 'vscode';

/**
 * Opens `markdown` (a report whose images are linked by absolute file URIs inside the workspace,
 * which the preview may show) as an untitled document, and its preview beside it.
 */
export async function showReportPreview(markdown: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: true });
  await vscode.commands.executeCommand('markdown.showPreviewToSide', doc.uri);
  return doc;
}
