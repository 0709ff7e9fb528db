/** A run's report in the markdown preview, beside the editor: its pictures as thumbnails. */
import * as vscode from 'vscode';
import { ImageCodec } from '../core/images/codec';
import { MAX_IMAGE_BYTES } from '../core/images/imageFormat';
import { thumbnailDataUris } from '../core/images/thumbnail';
import { readWorkspaceFile } from './workspaceFiles';

/**
 * The thumbnails of a report the preview shows, as `data:` URIs keyed by each picture's URI (as a
 * string): the preview's policy loads those, where a `file:` link may show broken (code-server).
 * Made small through the codec, in the order given (the report's order: its failures first),
 * within the report's budget; a picture's bytes when the run has them, else read through the one
 * reader. A picture without one is named without a thumbnail.
 */
export async function reportThumbnails(codec: ImageCodec | undefined, pictures: readonly { readonly uri: vscode.Uri; readonly bytes?: Uint8Array }[]): Promise<Map<string, string>> {
  return await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Illustrate: making the report') }, () =>
    thumbnailDataUris(
      pictures.map((p) => ({ key: p.uri.toString(), read: async () => p.bytes ?? readWorkspaceFile(p.uri, MAX_IMAGE_BYTES) })),
      codec,
    ),
  );
}

/** Opens `markdown` (a report whose thumbnails it carries as `data:` URIs) as an untitled document, and its preview beside it. */
export async function showReportPreview(markdown: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: true });
  await vscode.commands.executeCommand('markdown.showPreviewToSide', doc.uri);
  return doc;
}
