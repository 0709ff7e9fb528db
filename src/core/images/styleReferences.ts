/**
 * `illustrate.styleReferences`: images of the workspace sent with every prompt. A workspace
 * setting, so read as untrusted input: paths inside a workspace folder only (links that lead out
 * are refused), each image sniffed and capped in size before it is read. Files are reached
 * through `ReferenceHost`, so the editor and the command-line tool apply the same rules.
 */
import * as l10n from '@vscode/l10n';
import { IllustrateError } from '../errors';
import { MIME_TYPES, referenceFormat } from './imageFormat';
import { MAX_REFERENCE_BYTES } from '../api/models';
import { ReferenceImage } from '../api/request';

export interface ReferenceHost<L> {
  /** The workspace folders, searched in order. */
  roots(): readonly L[];
  join(root: L, relative: string): L;
  inside(root: L, location: L): boolean;
  /** The file's size, or undefined when nothing is there. */
  size(location: L): Promise<number | undefined>;
  /** Rejects when the location is a link or its real place is outside `root`. */
  checkReal(root: L, location: L): Promise<void>;
  read(location: L): Promise<Uint8Array>;
}

function problem(path: string, why: string): IllustrateError {
  return new IllustrateError('options', l10n.t('The style reference "{0}" {1}. Fix "illustrate.styleReferences" in the workspace settings, or remove it.', path.slice(0, 200), why));
}

/** The style references' bytes, in the order of the setting. */
export async function loadReferences<L>(paths: readonly string[], host: ReferenceHost<L>): Promise<ReferenceImage[]> {
  const out: ReferenceImage[] = [];
  for (const path of paths) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/') || path.startsWith('\\')) {
      throw problem(path, l10n.t('is not a path relative to the workspace folder'));
    }
    let found: { root: L; at: L } | undefined;
    for (const root of host.roots()) {
      const at = host.join(root, path.replace(/\\/g, '/'));
      if (!host.inside(root, at)) {
        throw problem(path, l10n.t('is outside the workspace folder'));
      }
      const size = await host.size(at);
      if (size !== undefined) {
        if (size > MAX_REFERENCE_BYTES) {
          throw problem(path, l10n.t('is {0} MB; the API takes at most {1} MB per image', (size / 1048576).toFixed(1), MAX_REFERENCE_BYTES / 1048576));
        }
        found = { root, at };
        break;
      }
    }
    if (!found) {
      throw problem(path, l10n.t('was not found in the workspace'));
    }
    try {
      await host.checkReal(found.root, found.at);
    } catch {
      throw problem(path, l10n.t('is a symbolic link or leads outside the workspace folder'));
    }
    const data = await host.read(found.at);
    const format = referenceFormat(data);
    if (!format || data.length > MAX_REFERENCE_BYTES) {
      throw problem(path, l10n.t('is not a PNG, JPEG or WebP image of at most 7 MB'));
    }
    out.push({ mimeType: MIME_TYPES[format], data });
  }
  return out;
}
