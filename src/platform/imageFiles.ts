/** Image files in the editor: their header's facts (cached until the file changes) for what runs often, the whole file (through the one reader) for a command, and the old version kept before a picture is replaced. */
import * as vscode from 'vscode';
import { CurrentStyle, currentStyle as styleNow } from '../core/fill/check';
import { ImageFormat, MAX_IMAGE_BYTES, pixelSize, sniffFormat } from '../core/images/imageFormat';
import { ImageMetadata, readProvenance } from '../core/images/metadata';
import { relativePath } from '../core/paths';
import { GenerationOptions } from '../core/api/models';
import { fileStat, readHeadBytes, realPathsAvailable } from '../node/realPath';
import { PictureHistory } from './services';
import { scopeFor } from './placement';
import { readWorkspaceFile } from './workspaceFiles';
import { readSettings } from './settings';
import { loadStyleReferences } from './styleReferences';

/** Images per document the diagnostic looks at. */
export const MAX_IMAGES = 1000;
/**
 * Image headers kept (least recently used dropped first): a few open pages of images at the most a
 * pass looks at, so a pass after an edit reads no header again. Each is a few hundred bytes.
 */
const MAX_CACHED = 4 * MAX_IMAGES;
/** The formats Illustrate can change in place. */
export const EDITABLE: readonly ImageFormat[] = ['png', 'jpeg', 'webp'];

/** What the diagnostics, the Quick Fixes and the hover need of an image: its header only. */
export interface ImageInfo {
  readonly uri: vscode.Uri;
  readonly byteLength: number;
  readonly format: ImageFormat | undefined;
  readonly size: { readonly width: number; readonly height: number } | undefined;
  readonly meta: ImageMetadata | undefined;
}

/** An image file read whole, for a command that sends or replaces it. */
export interface ImageFile extends ImageInfo {
  readonly bytes: Uint8Array;
}

/**
 * Keeps a picture that is about to be replaced in the workspace (Regenerate, Edit Image, a stale
 * image made again by Fill) in the Image Studio's history, under the prompt it was made from, so
 * the old version can still be seen, saved or inserted.
 */
export async function keepReplaced(history: PictureHistory, old: ImageFile, prompt: string, options: GenerationOptions): Promise<void> {
  if (!old.format) {
    return;
  }
  const root = scopeFor(old.uri).root;
  await history.keepVersion({ prompt: old.meta?.prompt || prompt, bytes: old.bytes, format: old.format, width: old.size?.width ?? 0, height: old.size?.height ?? 0, options, cost: old.meta?.cost, savedAs: relativePath(root.path, old.uri.path) });
}

/**
 * Reads image files: their header (kept until the file changes on disk, by its modification time
 * and size) for what runs often, or the whole file for a command.
 */
export class ImageFiles {
  private readonly cache = new Map<string, { mtime: number; size: number; info: ImageInfo }>();

  private async stat(uri: vscode.Uri): Promise<{ readonly size: number; readonly mtime: number } | undefined> {
    if (realPathsAvailable && uri.scheme === 'file') {
      // On a local disk, straight from it: a pass looks at up to a thousand images.
      const stat = await fileStat(uri.fsPath);
      return stat && stat.size <= MAX_IMAGE_BYTES ? stat : undefined;
    }
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      return stat.type & vscode.FileType.File && stat.size <= MAX_IMAGE_BYTES ? stat : undefined;
    } catch {
      return undefined;
    }
  }

  /** The header's facts (a few hundred KB read on a local disk, whatever the image's size). */
  async info(uri: vscode.Uri): Promise<ImageInfo | undefined> {
    const stat = await this.stat(uri);
    if (!stat) {
      return undefined;
    }
    const key = uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.mtime === stat.mtime && hit.size === stat.size) {
      // The most recently used last: the first entries are the ones to drop.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit.info;
    }
    const head = await imageHead(uri);
    if (!head) {
      return undefined;
    }
    const info: ImageInfo = { uri, byteLength: stat.size, format: sniffFormat(head.subarray(0, 16)), size: pixelSize(head), meta: readProvenance(head) };
    this.cache.delete(key);
    if (this.cache.size >= MAX_CACHED) {
      this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(key, { mtime: stat.mtime, size: stat.size, info });
    return info;
  }

  /**
   * The whole file, for a command that sends, describes or rewrites it: through the one reader
   * (inside a workspace folder, no link out of it; rejects with the message to show).
   */
  async read(uri: vscode.Uri): Promise<ImageFile | undefined> {
    const bytes = await readWorkspaceFile(uri, MAX_IMAGE_BYTES);
    if (!bytes) {
      return undefined;
    }
    return { uri, bytes, byteLength: bytes.length, format: sniffFormat(bytes.subarray(0, 16)), size: pixelSize(bytes), meta: readProvenance(bytes) };
  }

  forget(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
  }
}

const HEAD_BYTES = 256 * 1024;

/**
 * The bytes of an image that hold Illustrate's metadata: the first 256 KB on a local disk (PNG and
 * JPEG keep it in their header), the whole file for a larger WebP (its XMP chunk is at the end) or
 * where only \`workspace.fs\` can read.
 */
export async function imageHead(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  if (realPathsAvailable && uri.scheme === 'file') {
    const head = await readHeadBytes(uri.fsPath, HEAD_BYTES).catch(() => undefined);
    if (!head || head.length < HEAD_BYTES || sniffFormat(head.subarray(0, 16)) !== 'webp') {
      return head;
    }
  }
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    return stat.size <= MAX_IMAGE_BYTES ? await vscode.workspace.fs.readFile(uri) : undefined;
  } catch {
    return undefined;
  }
}

/** The workspace style now, for the document's folder: its text, and the fingerprints of its reference images. */
export function currentStyle(document: vscode.Uri): Promise<CurrentStyle> {
  return styleNow(readSettings(document), loadStyleReferences);
}
