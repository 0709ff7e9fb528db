import * as vscode from 'vscode';
import { IllustrateError } from '../core/errors';
import { EXTENSIONS, formatOfExtension } from '../core/imageFormat';
import { imageAt, localTarget, MarkdownImage } from '../core/markdown';
import { basename, dirname, isInside, formatLinkTarget, joinPath, relativePath, splitExt, uniquePath, unsafeLinkName } from '../core/paths';
import { optionsFromSettings } from '../platform/generator';
import { Anchor, checkRealLocation, ensureInside, linkPath, planImageFile, scopeFor, uriExists, writeNewImage } from '../platform/placement';
import { readSettings } from '../platform/settings';
import { showFailure, showSaved, withGenerationProgress } from './run';
import { CommandResult, Services } from './services';

export interface AltTextArgs {
  readonly uri?: string;
  readonly offset?: number;
}

/** The workspace file a local link target names, or undefined for URLs and empty targets. */
export function targetUri(document: vscode.Uri, root: vscode.Uri, target: string): vscode.Uri | undefined {
  const local = localTarget(target);
  if (!local) {
    return undefined;
  }
  const path = local.startsWith('/') ? joinPath(root.path, local) : joinPath(dirname(document.path), local);
  return document.with({ path, query: '', fragment: '' });
}

/** The link target as the user wrote it, pointing at `file` instead (same style, new name). */
function retarget(image: MarkdownImage, document: vscode.Uri, root: vscode.Uri, file: vscode.Uri): string {
  const local = localTarget(image.target);
  if (local) {
    const dir = local.includes('/') ? local.slice(0, local.lastIndexOf('/') + 1) : '';
    const written = `${dir}${basename(file.path)}`;
    return image.bracketed ? written : formatLinkTarget(written);
  }
  return formatLinkTarget(linkPath(document, root, file));
}

async function findImage(args: AltTextArgs | undefined): Promise<{ document: vscode.TextDocument; image: MarkdownImage }> {
  let document: vscode.TextDocument | undefined;
  let offset: number | undefined;
  if (args?.uri && typeof args.offset === 'number') {
    document = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
    offset = args.offset;
  } else {
    const editor = vscode.window.activeTextEditor;
    document = editor?.document;
    offset = editor ? editor.document.offsetAt(editor.selection.active) : undefined;
  }
  if (!document || document.languageId !== 'markdown' || offset === undefined) {
    throw new IllustrateError('options', 'Open a markdown file and put the cursor in an image such as ![a diagram of the build](images/build.png), then run the command again.');
  }
  const image = imageAt(document.getText(), offset);
  if (!image) {
    throw new IllustrateError('options', 'The cursor is not in a markdown image. Put it inside ![alt text](path) and run the command again.');
  }
  if (!image.alt.trim()) {
    throw new IllustrateError('options', 'This image has no alt text to use as the prompt. Describe the picture between "![" and "]", then run the command again.');
  }
  return { document, image };
}

export async function generateFromAltText(services: Services, args?: AltTextArgs): Promise<CommandResult> {
  let anchor: Anchor | undefined;
  try {
    const { document, image } = await findImage(args);
    const settings = readSettings();
    const options = optionsFromSettings(settings);
    const scope = scopeFor(document.uri);
    const wanted = targetUri(document.uri, scope.root, image.target);
    if (wanted) {
      // Everything that would stop the write is checked before anything is sent (and billed).
      ensureInside(scope, wanted);
      const problem = unsafeLinkName(basename(wanted.path));
      if (problem) {
        throw new IllustrateError('destination', `The link's file name ${problem}, so Illustrate will not write it. Rename the file in the link and try again.`);
      }
      await checkRealLocation(scope.root, wanted);
    }
    // The link target's place is tracked like an insertion, in case the user types meanwhile.
    anchor = new Anchor(document, image.targetStart);
    const start = anchor;
    const targetLength = image.targetEnd - image.targetStart;
    const prompt = image.alt.trim();
    return await withGenerationProgress(services, 'Illustrate: generating image from alt text', async (signal, onProgress) => {
      const generated = await services.generator.generate({ prompt, options }, settings, signal, onProgress);
      let file: vscode.Uri;
      if (wanted) {
        const { stem, ext } = splitExt(wanted.path);
        const claimed = formatOfExtension(ext);
        const path = claimed === generated.format ? wanted.path : `${claimed ? stem : wanted.path}${EXTENSIONS[generated.format]}`;
        file = wanted.with({ path: await uniquePath(path, (p) => uriExists(wanted.with({ path: p }))) });
        await checkRealLocation(scope.root, file);
      } else {
        file = await planImageFile(scope, settings.destination, settings.fileName, prompt, generated.format, options.model);
      }
      if (signal.aborted) {
        throw new IllustrateError('cancelled', 'Image generation was cancelled. Nothing was saved.');
      }
      file = await writeNewImage(scope.root, file, generated.bytes, (f) =>
        wanted && f.path === wanted.path
          ? []
          : [{ document: document.uri, range: new vscode.Range(start.position, document.positionAt(start.offset + targetLength)), text: retarget(image, document.uri, scope.root, f) }],
      );
      const where = relativePath(scope.root.path, file.path);
      return { ok: true, message: showSaved(services, generated, where), file: file.toString() };
    });
  } catch (e: unknown) {
    return showFailure(services, e);
  } finally {
    anchor?.dispose();
  }
}

/** The Quick Fix on a markdown image whose file does not exist yet. */
export class MissingImageCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range): Promise<vscode.CodeAction[]> {
    const image = imageAt(document.getText(), document.offsetAt(range.start));
    if (!image || !image.alt.trim()) {
      return [];
    }
    let scopeRoot: vscode.Uri;
    try {
      scopeRoot = scopeFor(document.uri).root;
    } catch {
      return [];
    }
    const file = targetUri(document.uri, scopeRoot, image.target);
    if (!file || unsafeLinkName(basename(file.path)) || !isInside(file.path, scopeRoot.path) || (await uriExists(file))) {
      return [];
    }
    // A link in the repository must not be a way to write outside it.
    if (!(await checkRealLocation(scopeRoot, file).then(() => true, () => false))) {
      return [];
    }
    const action = new vscode.CodeAction(`Generate "${basename(file.path)}" from its alt text`, vscode.CodeActionKind.QuickFix);
    action.command = {
      command: 'illustrate.generateFromAltText',
      title: 'Generate Image from Alt Text',
      arguments: [{ uri: document.uri.toString(), offset: image.start }],
    };
    return [action];
  }
}
