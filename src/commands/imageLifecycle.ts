/**
 * Regenerate a stale image, keep it for its new alt text, or edit it with an instruction: each
 * replaces the picture where it is used (same file, same format, so every link to it keeps
 * working) as one WorkspaceEdit that one undo reverts, and keeps the old version in the Studio's
 * history. Regenerate and Edit Image review their picture as every single generation does
 * (`illustrate.review`, `platform/generation`).
 */
import * as vscode from 'vscode';
import { GenerateInput } from '../core/api/generator';
import { MadeReview } from '../core/review/made';
import { checkOptions, GenerationOptions, MAX_REFERENCE_BYTES } from '../core/api/models';
import { IllustrateError } from '../core/errors';
import { outputFor } from '../core/images/codec';
import { formatOfExtension, MIME_TYPES } from '../core/images/imageFormat';
import { fingerprint, withKeptAlt } from '../core/images/metadata';
import { basename, relativePath } from '../core/paths';
import { optionsFromSettings } from '../core/settings';
import { MarkdownImage } from '../core/docs/markdown';
import { showFailure, showSaved, withGenerationProgress } from '../platform/feedback';
import { ImageFile, ImageFiles, keepReplaced } from '../platform/imageFiles';
import { imageNear, linkedFile } from '../platform/imageLinks';
import { ImageDiagnostics } from '../platform/imageDiagnostics';
import { documentAt, issuedHere } from '../platform/commandArgs';
import { replaceImageFile, replaceImageFiles, scopeFor } from '../platform/placement';
import { bytesEqual } from '../core/bytes';
import { makeReviewed, offerAfterFailedReview, ReviewedRequest } from '../platform/generation';
import { CommandResult, Services } from '../platform/services';
import { isMarkdownDocument } from '../platform/markdownDocuments';
import { readSettings } from '../platform/settings';
import { LiveSites } from '../platform/sites';
import { StudioStore } from '../studio/store';

export interface LifecycleDeps {
  /** The last pictures replaced in this window (one command's: one, or a folder's run), for Undo. */
  last?: readonly { readonly old: ImageFile; readonly made: Uint8Array }[];
  readonly services: Services;
  readonly files: ImageFiles;
  readonly sites: LiveSites;
  readonly diagnostics: ImageDiagnostics;
  readonly store: StudioStore;
}

/** The link the command is about: from its arguments (a Quick Fix, a hover), else the cursor. */
export async function linkFrom(args: unknown): Promise<{ document: vscode.TextDocument; image: MarkdownImage }> {
  const found = await findLink(args);
  if (!found) {
    throw new IllustrateError('options', NO_LINK());
  }
  return found;
}

async function findLink(args: unknown): Promise<{ document: vscode.TextDocument; image: MarkdownImage } | undefined> {
  const at = await documentAt(args);
  const image = at && isMarkdownDocument(at.document) ? imageNear(at.document, at.position) : undefined;
  return at && image && { document: at.document, image };
}

const NO_LINK = (): string => vscode.l10n.t('Put the cursor in a markdown image whose file is in the workspace, such as ![the request flow](images/flow.png), then run the command again.');

/** The image file of a link, read, in a format that can be edited. */
export async function imageOfLink(deps: LifecycleDeps, document: vscode.TextDocument, image: MarkdownImage): Promise<ImageFile> {
  const file = await linkedFile(document.uri, image, deps.sites);
  const read = file && (await deps.files.read(file));
  if (!read) {
    throw new IllustrateError('options', vscode.l10n.t('The image {0} is not a file in the workspace. Generate it first (Quick Fix on the link), then try again.', image.target));
  }
  return checkEditable(read);
}

export function checkEditable(read: ImageFile): ImageFile {
  if (read.format !== 'png' && read.format !== 'jpeg' && read.format !== 'webp') {
    throw new IllustrateError('options', vscode.l10n.t('{0} is not a PNG, JPEG or WebP image, so Illustrate cannot change it.', basename(read.uri.path)));
  }
  const named = formatOfExtension(read.uri.path);
  if (named && named !== read.format) {
    throw new IllustrateError('options', vscode.l10n.t('{0} holds a {1} image under another extension. Rename it to match, then try again.', basename(read.uri.path), read.format.toUpperCase()));
  }
  return read;
}

/**
 * The picture a command is about: an image file (the Explorer, a Uri in a command link's arguments;
 * the one reader decides) or a link (the cursor, a Quick Fix), with the link's document and alt text.
 */
export async function imageOfTarget(deps: LifecycleDeps, target: unknown, notAFile: () => string): Promise<{ old: ImageFile; document?: vscode.TextDocument; alt: string }> {
  if (target instanceof vscode.Uri) {
    const read = await deps.files.read(target);
    if (!read) {
      throw new IllustrateError('options', notAFile());
    }
    return { old: checkEditable(read), alt: '' };
  }
  const link = await linkFrom(target);
  return { old: await imageOfLink(deps, link.document, link.image), document: link.document, alt: link.image.alt.trim() };
}

/**
 * A text editor's undo only reaches edits that change its text, and replacing a picture changes
 * none: the notification's Undo puts the old bytes back (while the file is still the new picture).
 */
function offerUndo(deps: LifecycleDeps, old: ImageFile, made: Uint8Array): void {
  deps.last = [{ old, made }];
  const undo = vscode.l10n.t('Undo');
  const studio = vscode.l10n.t('Open in Studio');
  void vscode.window.showInformationMessage(vscode.l10n.t('Replaced {0}. The old picture is in the Image Studio\'s history.', basename(old.uri.path)), undo, studio).then(async (choice) => {
    if (choice === studio) {
      await vscode.commands.executeCommand('illustrate.openStudio');
    } else if (choice === undo) {
      await vscode.commands.executeCommand('illustrate.undoImageReplace');
    }
  });
}

/** `illustrate.undoImageReplace`: the last pictures Regenerate, Edit Image or Make Backgrounds Transparent… replaced, back as they were (one change). */
export async function undoImageReplace(deps: LifecycleDeps): Promise<CommandResult> {
  const last = deps.last;
  if (!last?.length) {
    return { ok: false, message: vscode.l10n.t('No picture was replaced in this window.') };
  }
  try {
    const { back, changed } = await restore(deps, last);
    deps.last = undefined;
    if (!back.length) {
      return { ok: false, message: vscode.l10n.t('{0} changed again since, so it was left as it is. The old picture is in the Image Studio\'s history.', changed.join(', ')) };
    }
    const message =
      back.length === 1 && !changed.length
        ? vscode.l10n.t('{0} is back as it was.', basename(back[0].path))
        : [vscode.l10n.t('{0} pictures are back as they were.', back.length), changed.length ? vscode.l10n.t('{0} changed again since, so it was left as it is. The old picture is in the Image Studio\'s history.', changed.join(', ')) : ''].filter(Boolean).join(' ');
    void vscode.window.setStatusBarMessage(`$(discard) ${message}`, 5000);
    return { ok: true, message, file: back[0].toString() };
  } catch (e: unknown) {
    return showFailure(deps.services, e);
  }
}

/** Puts the old bytes back (one change), except where the file changed again since: those are named in `changed`. */
async function restore(deps: LifecycleDeps, pictures: NonNullable<LifecycleDeps['last']>): Promise<{ back: vscode.Uri[]; changed: string[] }> {
  const replaced: { uri: vscode.Uri; bytes: Uint8Array }[] = [];
  const changed: string[] = [];
  for (const { old, made } of pictures) {
    let now: Uint8Array;
    try {
      now = await vscode.workspace.fs.readFile(old.uri);
    } catch {
      now = new Uint8Array();
    }
    if (bytesEqual(now, made)) {
      replaced.push({ uri: old.uri, bytes: old.bytes });
    } else {
      changed.push(basename(old.uri.path));
    }
  }
  if (replaced.length) {
    await replaceImageFiles(replaced);
  }
  replaced.forEach((r) => deps.files.forget(r.uri));
  return { back: replaced.map((r) => r.uri), changed };
}

/**
 * Puts `made` where `old` is: the old version into the Studio's history, then the file replaced
 * in one WorkspaceEdit. The format must be the file's own, or the links would lie.
 */
export async function replaceWith(deps: LifecycleDeps, old: ImageFile, made: { bytes: Uint8Array; format: string }, prompt: string, options: GenerationOptions): Promise<string> {
  if (made.format !== old.format) {
    throw new IllustrateError('options', vscode.l10n.t('Illustrate could not write {0} as {1} here, so the picture was left as it was. Try again in VS Code on the desktop, or link a .png file.', basename(old.uri.path), String(old.format).toUpperCase()));
  }
  const root = scopeFor(old.uri).root;
  await keepReplaced(deps.store, old, prompt, options);
  await replaceImageFile(old.uri, made.bytes);
  deps.files.forget(old.uri);
  offerUndo(deps, old, made.bytes);
  return relativePath(root.path, old.uri.path);
}

/** A replaced picture that failed its review: why, with Regenerate and Keep, as after any single generation. */
function offerIfFailed(services: Services, request: ReviewedRequest, review: MadeReview | undefined, file: vscode.Uri): void {
  if (review?.verdict.status === 'fail') {
    void offerAfterFailedReview(services, request, review, file);
  }
}

export async function refreshDiagnostics(deps: LifecycleDeps, document: vscode.TextDocument): Promise<void> {
  await deps.diagnostics.refresh(document).catch(() => undefined);
}

/** Regenerate from the new alt text: same file, same format, same shape; the old picture stays in the history. */
export async function regenerateImage(deps: LifecycleDeps, args?: unknown): Promise<CommandResult> {
  const { services } = deps;
  try {
    const { document, image } = await linkFrom(args);
    const prompt = image.alt.trim();
    if (!prompt) {
      throw new IllustrateError('options', vscode.l10n.t('This image has no alt text to use as the prompt. Describe the picture between "![" and "]", then run the command again.'));
    }
    const old = await imageOfLink(deps, document, image);
    const settings = readSettings(document.uri);
    const chosen = optionsFromSettings(settings);
    // The same shape as before, so the page's layout stays, where the model can draw it.
    const kept = { ...chosen, aspectRatio: old.meta?.aspectRatio || chosen.aspectRatio };
    const options = checkOptions(kept, 0) ? chosen : kept;
    const output = outputFor(old.uri.path, settings.output);
    // A picture made transparent stays so (its two renders); a setting never makes an opaque one transparent here.
    const request: ReviewedRequest = { input: { prompt, options, output }, settings: { ...settings, transparentBackground: old.meta?.transparent === true }, prompt };
    return await withGenerationProgress(services, vscode.l10n.t('Illustrate: regenerating {0}', basename(old.uri.path)), async (signal, onProgress) => {
      const { image: made, review } = await makeReviewed(services, request, signal, onProgress, old.uri);
      const where = await replaceWith(deps, old, made, old.meta?.prompt ?? prompt, options);
      await refreshDiagnostics(deps, document);
      offerIfFailed(services, request, review, old.uri);
      return { ok: true, message: showSaved(services, made, where), file: old.uri.toString() };
    });
  } catch (e: unknown) {
    return showFailure(services, e);
  }
}

/** Keep this image: records the link's alt text in the file as one it stands for, so it is not stale for it. */
export async function keepImage(deps: LifecycleDeps, args?: unknown): Promise<CommandResult> {
  const { services } = deps;
  try {
    const { document, image } = await linkFrom(args);
    const old = await imageOfLink(deps, document, image);
    const bytes = old.format && withKeptAlt(old.bytes, old.format, old.meta, image.alt.trim());
    if (!bytes) {
      throw new IllustrateError('options', vscode.l10n.t('{0} was not made by Illustrate, so there is nothing to keep.', basename(old.uri.path)));
    }
    await replaceImageFile(old.uri, bytes);
    deps.files.forget(old.uri);
    await refreshDiagnostics(deps, document);
    const message = vscode.l10n.t('Kept {0} for its new alt text.', basename(old.uri.path));
    void vscode.window.setStatusBarMessage(`$(check) ${message}`, 5000);
    return { ok: true, message, file: old.uri.toString() };
  } catch (e: unknown) {
    return showFailure(services, e);
  }
}

/** What the model is asked for an edit: the instruction, and to change nothing else. */
export function editPrompt(instruction: string): string {
  return `Edit the provided image: ${instruction.trim()}\n\nChange nothing else: keep its layout, style, colours, text and lighting as they are.`;
}

/**
 * Edit Image…: from a link (the cursor, a Quick Fix, the hover) or an image file in the Explorer.
 * The image and the instruction go to the model; the result replaces the picture where it is.
 */
export async function editImage(deps: LifecycleDeps, target?: unknown, instructionArg?: unknown): Promise<CommandResult> {
  const { services } = deps;
  try {
    const { old, document, alt } = await imageOfTarget(deps, target, () => vscode.l10n.t('Pick an image file inside the workspace to edit.'));
    const name = basename(old.uri.path);
    if (old.bytes.length > MAX_REFERENCE_BYTES) {
      throw new IllustrateError('options', vscode.l10n.t('{0} is {1} MB; the API takes at most {2} MB per image. Save a smaller version (a .webp or .jpg link, or "illustrate.output.maxWidth"), then edit that.', name, (old.bytes.length / 1048576).toFixed(1), MAX_REFERENCE_BYTES / 1048576));
    }
    // An instruction is taken as given only with a link Illustrate issued; otherwise it is offered, and the user sends it.
    const offered = typeof instructionArg === 'string' ? instructionArg.trim().slice(0, 4000) : '';
    const instruction =
      offered && issuedHere(target)
        ? offered
        : await vscode.window.showInputBox({
            title: vscode.l10n.t('Illustrate: Edit {0}', name),
            value: offered,
            prompt: vscode.l10n.t('What should change in the picture? The rest stays as it is.'),
            placeHolder: vscode.l10n.t('e.g. add a cache box between API and DB'),
            ignoreFocusOut: true,
            validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Describe the change.')),
          });
    if (!instruction?.trim()) {
      return { ok: false, message: vscode.l10n.t('Edit cancelled.') };
    }
    const settings = readSettings(old.uri);
    // No aspect ratio: the model keeps the picture's own shape.
    const options: GenerationOptions = { ...optionsFromSettings(settings), aspectRatio: '' };
    const recordAs = old.meta?.prompt ?? (alt || instruction.trim());
    const input: GenerateInput = {
      prompt: editPrompt(instruction),
      options,
      references: [{ mimeType: MIME_TYPES[old.format as 'png'], data: old.bytes }],
      applyStyle: false,
      output: outputFor(old.uri.path, settings.output),
      edit: { instruction: instruction.trim(), source: fingerprint(old.bytes) },
      recordAs,
    };
    // An edit goes back to the model with the picture as it is: never the two renders of a transparent one.
    const request: ReviewedRequest = { input, settings: { ...settings, transparentBackground: false }, prompt: recordAs };
    return await withGenerationProgress(services, vscode.l10n.t('Illustrate: editing {0}', name), async (signal, onProgress) => {
      const { image: made, review } = await makeReviewed(services, request, signal, onProgress, old.uri);
      const where = await replaceWith(deps, old, made, recordAs, options);
      if (document) {
        await refreshDiagnostics(deps, document);
      }
      offerIfFailed(services, request, review, old.uri);
      return { ok: true, message: showSaved(services, made, where), file: old.uri.toString() };
    });
  } catch (e: unknown) {
    return showFailure(services, e);
  }
}
