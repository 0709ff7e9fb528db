/**
 * `illustrate.styleReferences`: images of the workspace sent with every prompt. A workspace
 * setting, so read as untrusted input: paths inside a workspace folder only (links that lead out
 * are refused), each image sniffed and capped in size before it is read.
 */
import * as vscode from 'vscode';
import { IllustrateError } from '../core/errors';
import { MIME_TYPES, sniffFormat } from '../core/imageFormat';
import { MAX_REFERENCE_BYTES } from '../core/models';
import { ReferenceImage } from '../core/request';
import { checkRealLocation, isInsideScope } from './placement';

function problem(path: string, why: string): IllustrateError {
  return new IllustrateError('options', `The style reference "${path.slice(0, 200)}" ${why}. Fix "illustrate.styleReferences" in the workspace settings, or remove it.`);
}

/** The style references' bytes, in the order of the setting. */
export async function loadStyleReferences(paths: readonly string[]): Promise<ReferenceImage[]> {
  const out: ReferenceImage[] = [];
  for (const path of paths) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/') || path.startsWith('\\')) {
      throw problem(path, 'is not a path relative to the workspace folder');
    }
    let found: { root: vscode.Uri; uri: vscode.Uri } | undefined;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(folder.uri, path.replace(/\\/g, '/'));
      if (!isInsideScope(folder.uri, uri)) {
        throw problem(path, 'is outside the workspace folder');
      }
      const exists = await vscode.workspace.fs.stat(uri).then(
        (s) => s,
        () => undefined,
      );
      if (exists) {
        found = { root: folder.uri, uri };
        if (exists.size > MAX_REFERENCE_BYTES) {
          throw problem(path, `is ${(exists.size / 1048576).toFixed(1)} MB; the API takes at most ${MAX_REFERENCE_BYTES / 1048576} MB per image`);
        }
        break;
      }
    }
    if (!found) {
      throw problem(path, 'was not found in the workspace');
    }
    try {
      await checkRealLocation(found.root, found.uri);
    } catch {
      throw problem(path, 'is a symbolic link or leads outside the workspace folder');
    }
    const data = await vscode.workspace.fs.readFile(found.uri);
    const format = sniffFormat(data.subarray(0, 16));
    if (!format || format === 'gif' || data.length > MAX_REFERENCE_BYTES) {
      throw problem(path, 'is not a PNG, JPEG or WebP image of at most 7 MB');
    }
    out.push({ mimeType: MIME_TYPES[format], data });
  }
  return out;
}
