/**
 * A Studio variant's dark twin going into the workspace with it (Insert, Save to Workspace, Copy
 * Markdown Link): the twin written beside the picture as `NAME<suffix>.EXT` in the picture's one
 * WorkspaceEdit, its record tied to the picture as written (`twinOf`: its name and fingerprint),
 * and the link written with the switching markup of the page's site (core's `darkLinkEdits`).
 */
import * as vscode from 'vscode';
import { applyEdits } from '../core/docs/altText';
import { darkLinkEdits, darkRuleFor } from '../core/docs/darkMarkup';
import { scanDocument } from '../core/docs/docScan';
import { plainSite } from '../core/docs/sites';
import { dialectOf } from '../core/escape';
import { IllustrateError } from '../core/errors';
import { ImageFormat, MAX_IMAGE_BYTES, pixelSize, sniffFormat } from '../core/images/imageFormat';
import { fingerprint, ImageMetadata, readProvenance, withMetadata } from '../core/images/metadata';
import { basename } from '../core/paths';
import { Settings } from '../core/settings';
import { Companion, ImageSource, PlacementScope } from '../platform/placement';
import { twinUri } from '../platform/darkTwins';
import { EditorSites } from '../platform/sites';
import { readWorkspaceFile } from '../platform/workspaceFiles';
import type { ActionDeps } from './actions';
import { HistoryEntry, StoredImage, StoredTwin } from './store';

/** The twin placed with a picture: its companion for `placeImage`, and once placed, where it went and why the link does not switch (if it does not). */
export interface TwinPlacement {
  readonly companion: (file: vscode.Uri) => Companion;
  /** The twin's file for the picture at `file`. */
  twinOf(file: vscode.Uri): vscode.Uri | undefined;
  /** Why the link as written does not switch to the twin; undefined when it does (or no link was written). */
  readonly cannotSwitch: () => string | undefined;
}

/** The picture's bytes as they are (or will be) written: the new bytes, or the file already saved. */
async function pictureBytes(source: ImageSource): Promise<{ bytes: Uint8Array; format: ImageFormat | undefined }> {
  if ('existing' in source) {
    // Through the one reader: the saved file may have been replaced by a link meanwhile.
    const bytes = await readWorkspaceFile(source.existing, MAX_IMAGE_BYTES);
    if (!bytes) {
      throw new IllustrateError('unwritable', vscode.l10n.t('Could not read {0}, the picture saved from this variant: it is gone, too large, or reached through a link out of the workspace. Delete or move it, then press the button again to save the variant anew.', basename(source.existing.path)));
    }
    return { bytes, format: sniffFormat(bytes) };
  }
  return source;
}

/**
 * The twin of `image` as it goes beside the picture `source`: in the picture's format and width
 * (`illustrate.output.*`), its record's `twinOf` naming the picture's file and the fingerprint of
 * its bytes as written; the link, the page's site's markup for the switch.
 */
export async function twinPlacement(deps: ActionDeps, entry: HistoryEntry, image: StoredImage & { readonly dark: StoredTwin }, source: ImageSource, scope: PlacementScope, settings: Settings): Promise<TwinPlacement> {
  const picture = await pictureBytes(source);
  const stored = await vscode.workspace.fs.readFile(deps.store.imageUri(image.dark));
  const record: ImageMetadata = readProvenance(stored) ?? { prompt: entry.prompt, model: entry.options.model, aspectRatio: '', imageSize: entry.options.imageSize, date: new Date().toISOString() };
  const format = picture.format === 'png' || picture.format === 'jpeg' || picture.format === 'webp' ? picture.format : undefined;
  const twin = deps.convert ? await deps.convert(stored, image.dark.format, image.dark.width, record, { format, quality: settings.output.quality, maxWidth: settings.output.maxWidth }) : { bytes: stored, format: image.dark.format };
  const size = pixelSize(twin.bytes) ?? { width: image.dark.width, height: image.dark.height };
  const printed = fingerprint(picture.bytes);

  const document = scope.document;
  const site = document ? await new EditorSites().finder(scope.root).siteFor(document.path, scope.root.path) : plainSite(scope.root.path);
  const rule = darkRuleFor(site);
  const dialect = dialectOf(document?.path ?? '');
  let cannot: string | undefined;
  const twinOf = (file: vscode.Uri): vscode.Uri | undefined => twinUri(file, settings.darkSuffix);
  return {
    twinOf,
    cannotSwitch: () => cannot,
    companion: (file) => {
      const at = twinOf(file);
      const meta: ImageMetadata = { ...record, twinOf: { kind: 'dark', path: basename(file.path), source: printed } };
      return {
        files: at && (twin.format === 'png' || twin.format === 'jpeg' || twin.format === 'webp') ? [{ uri: at, bytes: withMetadata(twin.bytes, twin.format, meta, size) }] : [],
        link: (markdown) => {
          cannot = undefined;
          const [linked] = scanDocument(markdown);
          const switched = at && linked ? darkLinkEdits(markdown, linked, rule, site, settings.darkSuffix, dialect) : undefined;
          if (switched && 'edits' in switched) {
            return applyEdits(markdown, switched.edits);
          }
          cannot = switched && 'skip' in switched ? switched.skip : vscode.l10n.t('not a PNG, JPEG or WebP image');
          return markdown;
        },
      };
    },
  };
}
