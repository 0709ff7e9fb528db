/**
 * The composer's reference images. Each is copied into the Studio's storage, named by its content:
 * the webview shows the copy (it may load nothing from the workspace), and Re-run finds it again.
 */
import { randomBytes, sha256Hex, toBase64Url } from '../core/bytes';
import * as vscode from 'vscode';
import { IllustrateError } from '../core/errors';
import { EXTENSIONS, ImageFormat, MIME_TYPES, referenceFormat, sniffFormat } from '../core/images/imageFormat';
import { MAX_REFERENCE_BYTES, MAX_REFERENCES } from '../core/api/models';
import { basename } from '../core/paths';
import { uriExists } from '../platform/placement';
import { HistoryEntry, StoredReference, StudioStore } from './store';

export interface Reference {
  readonly id: string;
  readonly name: string;
  /** The copy in the Studio's storage. */
  readonly uri: vscode.Uri;
  readonly data: Uint8Array;
  readonly mimeType: string;
}

export function newId(): string {
  return toBase64Url(randomBytes(9));
}

export class References {
  private list: Reference[] = [];

  constructor(private readonly store: StudioStore) {}

  get all(): readonly Reference[] {
    return this.list;
  }

  byIds(ids: readonly string[]): Reference[] {
    return ids.map((id) => this.list.find((r) => r.id === id)).filter((r): r is Reference => r !== undefined);
  }

  remove(id: string): void {
    this.list = this.list.filter((r) => r.id !== id);
  }

  /** Adds the images it can; returns what it could not add, one sentence each. */
  async add(uris: readonly vscode.Uri[]): Promise<string[]> {
    const problems: string[] = [];
    for (const uri of uris) {
      if (this.list.length >= MAX_REFERENCES) {
        problems.push(vscode.l10n.t('At most {0} reference images can be sent.', MAX_REFERENCES));
        break;
      }
      let data: Uint8Array;
      try {
        // Never read more than the API takes: the file says its size first.
        const size = (await vscode.workspace.fs.stat(uri)).size;
        if (size > MAX_REFERENCE_BYTES) {
          problems.push(vscode.l10n.t('{0} is {1} MB; the API takes at most {2} MB per image.', basename(uri.path), (size / 1048576).toFixed(1), MAX_REFERENCE_BYTES / 1048576));
          continue;
        }
        data = await vscode.workspace.fs.readFile(uri);
      } catch {
        problems.push(vscode.l10n.t('Could not read {0}.', basename(uri.path)));
        continue;
      }
      const format = referenceFormat(data);
      if (!format) {
        problems.push(vscode.l10n.t('{0} is not a PNG, JPEG, WebP or HEIC image.', basename(uri.path)));
        continue;
      }
      if (data.length > MAX_REFERENCE_BYTES) {
        problems.push(vscode.l10n.t('{0} is {1} MB; the API takes at most {2} MB per image.', basename(uri.path), (data.length / 1048576).toFixed(1), MAX_REFERENCE_BYTES / 1048576));
        continue;
      }
      const file = await this.keep(data, format);
      this.list.push({ id: newId(), name: basename(uri.path), uri: this.store.imageUri({ file }), data, mimeType: MIME_TYPES[format] });
    }
    return problems;
  }

  /** The references of a generation, as its history entry keeps them. */
  async forEntry(references: readonly Reference[]): Promise<StoredReference[]> {
    const kept: StoredReference[] = [];
    for (const r of references) {
      kept.push({ name: r.name, file: await this.keep(r.data, sniffFormat(r.data.subarray(0, 16)) ?? 'png'), mimeType: r.mimeType });
    }
    return kept;
  }

  /** A history entry's references, read back from the storage, for Re-run. */
  async fromEntry(entry: HistoryEntry): Promise<Reference[]> {
    const out: Reference[] = [];
    for (const r of entry.referenceFiles ?? []) {
      const uri = this.store.imageUri(r);
      try {
        out.push({ id: newId(), name: r.name, uri, data: await vscode.workspace.fs.readFile(uri), mimeType: r.mimeType });
      } catch {
        throw new IllustrateError('options', vscode.l10n.t('The reference image {0} of this generation is no longer stored. Load it into the composer and add the reference again.', r.name));
      }
    }
    return out;
  }

  private async keep(data: Uint8Array, format: ImageFormat): Promise<string> {
    const file = `ref-${(await sha256Hex(data)).slice(0, 24)}${EXTENSIONS[format]}`;
    if (!(await uriExists(this.store.imageUri({ file })))) {
      await this.store.writeImage(file, data);
    }
    return file;
  }
}
