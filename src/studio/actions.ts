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
import { twinPlacement } from './twins';

export interface ActionDeps {
  readonly store: StudioStore;
  readonly tracker: MarkdownEditorTracker;
  /** Tells the webview, once saved, where an image went. */
  readonly saved: (image: StoredImage, file: vscode.Uri) => Promise<void>;
  /** Converts the model's bytes to the format new links use (`illustrate.output.*`). */
  readonly convert?: (bytes: Uint8Array, format: ImageFormat, width: number, metadata: ImageMetadata, output: OutputRequest) => Promise<{ bytes: Uint8Array; format: ImageFormat }>;
}

/** A placed Studio image: with a dark twin, where the twin went and why its link does not switch, if it does not. */
interface StudioPlaced extends Placed {
  readonly twin?: { readonly file: vscode.Uri; readonly cannotSwitch?: string };
}

/**
 * Places a Studio image through the one pipeline: the file once (later Inserts link the saved
 * file), and its link when there is an editor to insert into; a variant's dark twin beside it in
 * the same WorkspaceEdit, the link switching to it where the page's site can. Returns what was placed.
 */
async function place(deps: ActionDeps, entry: HistoryEntry, image: StoredImage, document: vscode.Uri | undefined, editor?: vscode.TextEditor): Promise<StudioPlaced> {
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
  const { dark } = image;
  const twin = dark ? await twinPlacement(deps, entry, { ...image, dark }, source, scope, settings) : undefined;
  const anchor = editor ? new Anchor(editor.document, editor.document.offsetAt(editor.selection.active)) : undefined;
  const link: LinkPlacement = anchor ? { kind: 'insert', anchor, at: 'cursor' } : { kind: 'none' };
  try {
    const placed = await placeImage({ scope, settings, prompt: entry.prompt, model: entry.options.model, image: source, link, companion: twin?.companion });
    if (!('existing' in source)) {
      image.savedAs = placed.file.toString();
      image.savedBytes = source.bytes.length;
      image.savedFormat = source.format;
      await deps.store.persist();
      await deps.saved(image, placed.file);
    }
    const twinFile = twin?.twinOf(placed.file);
    return twinFile ? { ...placed, twin: { file: twinFile, cannotSwitch: twin?.cannotSwitch() } } : placed;
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
      const { twin } = placed;
      if (!twin) {
        return vscode.l10n.t('Inserted {0} into {1}.', rel(placed.file), rel(editor.document.uri));
      }
      return twin.cannotSwitch === undefined
        ? vscode.l10n.t('Inserted {0} and its dark twin {1} into {2}: the page shows the twin in dark mode. One undo removes the link and both files.', rel(placed.file), rel(twin.file), rel(editor.document.uri))
        : vscode.l10n.t('Inserted {0} into {1}. Its dark twin {2} was saved beside it, but this page\'s site cannot switch to it ({3}), so the link is the plain one.', rel(placed.file), rel(editor.document.uri), rel(twin.file), twin.cannotSwitch);
    }
    case 'save': {
      const placed = await place(deps, entry, image, deps.tracker.document);
      return placed.twin ? vscode.l10n.t('Saved {0} and its dark twin {1}.', rel(placed.file), rel(placed.twin.file)) : vscode.l10n.t('Saved {0}.', rel(placed.file));
    }
    case 'copyLink': {
      // Saved beside the markdown document it would go into, and linked from there (with its twin, the markup that switches to it).
      const placed = await place(deps, entry, image, deps.tracker.document);
      await vscode.env.clipboard.writeText(placed.link);
      const { twin } = placed;
      return twin?.cannotSwitch !== undefined ? vscode.l10n.t('Copied {0}. Its dark twin {1} was saved beside the picture, but the page\'s site cannot switch to it ({2}).', placed.link, rel(twin.file), twin.cannotSwitch) : vscode.l10n.t('Copied {0}', placed.link);
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
