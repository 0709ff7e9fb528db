/** What the Studio's image buttons do: Insert, Save to Workspace, Copy Markdown Link, Reveal/Open. */
import * as vscode from 'vscode';
import { OutputRequest } from '../core/api/generator';
import { IllustrateError } from '../core/errors';
import { outputFor } from '../core/images/codec';
import { ImageFormat } from '../core/images/imageFormat';
import { ImageMetadata } from '../core/images/metadata';
import { ImageAction } from './protocol';
import { MarkdownEditorTracker } from '../platform/markdownEditors';
import { Anchor, ImageSource, LinkPlacement, placeImage, Placed, scopeFor, uriExists } from '../platform/placement';
import { readSettings } from '../platform/settings';
import { HistoryEntry, StoredImage, StudioStore } from './store';

export interface ActionDeps {
  readonly store: StudioStore;
  readonly tracker: MarkdownEditorTracker;
  /** Tells the webview, once saved, where an image went. */
  readonly saved: (image: StoredImage, file: vscode.Uri) => Promise<void>;
  /** Converts the model's bytes to the format new links use (`illustrate.output.*`). */
  readonly convert?: (bytes: Uint8Array, format: ImageFormat, width: number, metadata: ImageMetadata, output: OutputRequest) => Promise<{ bytes: Uint8Array; format: ImageFormat }>;
}

/**
 * Places a Studio image through the one pipeline: the file once (later Inserts link the saved
 * file), and its link when there is an editor to insert into. Returns the result's message.
 */
async function place(deps: ActionDeps, entry: HistoryEntry, image: StoredImage, document: vscode.Uri | undefined, editor?: vscode.TextEditor): Promise<Placed> {
  const scope = scopeFor(document);
  const settings = readSettings(document ?? scope.root);
  let source: ImageSource | undefined;
  if (image.savedAs && (await uriExists(vscode.Uri.parse(image.savedAs)))) {
    source = { existing: vscode.Uri.parse(image.savedAs) };
  }
  if (!source) {
    // A new file takes the format new links use, at the settings' quality and width.
    const stored = await vscode.workspace.fs.readFile(deps.store.imageUri(image));
    const metadata = { prompt: entry.prompt, model: entry.options.model, aspectRatio: entry.options.aspectRatio, imageSize: entry.options.imageSize, date: new Date().toISOString() };
    source = deps.convert ? await deps.convert(stored, image.format, image.width, metadata, outputFor(undefined, settings.output)) : { bytes: stored, format: image.format };
  }
  const anchor = editor ? new Anchor(editor.document, editor.document.offsetAt(editor.selection.active)) : undefined;
  const link: LinkPlacement = anchor ? { kind: 'insert', anchor, at: 'cursor' } : { kind: 'none' };
  try {
    const placed = await placeImage({ scope, settings, prompt: entry.prompt, model: entry.options.model, image: source, link });
    if (!('existing' in source)) {
      image.savedAs = placed.file.toString();
      image.savedBytes = source.bytes.length;
      image.savedFormat = source.format;
      await deps.store.persist();
      await deps.saved(image, placed.file);
    }
    return placed;
  } finally {
    anchor?.dispose();
  }
}

export async function imageAction(deps: ActionDeps, action: ImageAction, imageId: string): Promise<string | undefined> {
  const found = deps.store.findImage(imageId);
  if (!found) {
    throw new IllustrateError('options', vscode.l10n.t('That image is no longer in the history.'));
  }
  const { entry, image } = found;
  const rel = (uri: vscode.Uri): string => vscode.workspace.asRelativePath(uri);
  switch (action) {
    case 'insert': {
      const editor = await deps.tracker.editor();
      if (!editor) {
        throw new IllustrateError('options', vscode.l10n.t('Open a markdown file and put the cursor where the image goes, then press Insert again.'));
      }
      const placed = await place(deps, entry, image, editor.document.uri, editor);
      return vscode.l10n.t('Inserted {0} into {1}.', rel(placed.file), rel(editor.document.uri));
    }
    case 'save': {
      const placed = await place(deps, entry, image, deps.tracker.document);
      return vscode.l10n.t('Saved {0}.', rel(placed.file));
    }
    case 'copyLink': {
      // Saved beside the markdown document it would go into, and linked from there.
      const placed = await place(deps, entry, image, deps.tracker.document);
      await vscode.env.clipboard.writeText(placed.link);
      return vscode.l10n.t('Copied {0}', placed.link);
    }
    case 'reveal': {
      const target = image.savedAs ? vscode.Uri.parse(image.savedAs) : deps.store.imageUri(image);
      if (image.savedAs) {
        await vscode.commands.executeCommand('revealInExplorer', target);
      }
      await vscode.commands.executeCommand('vscode.open', target, { viewColumn: vscode.ViewColumn.One, preview: true });
      return undefined;
    }
  }
}
