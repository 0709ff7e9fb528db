/**
 * The one generation path of the editor: scope, settings, the checks before anything is sent (the
 * destination, the link's name, the format), then generate and place. The generate commands and
 * Copilot's generate tool supply only where the picture goes and how its link is written.
 */
import * as vscode from 'vscode';
import { GeneratedImage, GenerateInput, OutputRequest } from '../core/api/generator';
import { GenerationOptions } from '../core/api/models';
import { outputFor } from '../core/images/codec';
import { makePicture, transparentOutputFor } from '../core/images/transparent';
import { optionsFromSettings, Settings } from '../core/settings';
import { LinkPlacement, Placed, PlacementScope, placeImage, preflight } from './placement';
import { Services } from './services';
import { readSettings } from './settings';
import { ProgressEvent } from '../core/api/client';
import { formatCost } from '../core/api/pricing';
import { basename } from '../core/paths';
import { MadeReview, retryPrompt, reviewOne, verdictLine } from '../core/review/made';
import { withCancellableProgress } from './cancellation';
import { showFailure } from './feedback';
import { ImageFiles, keepReplaced } from './imageFiles';
import { replaceImageFile } from './placement';

/** A generation, checked and ready: nothing has been sent yet. */
export interface PreparedGeneration {
  readonly prompt: string;
  readonly scope: PlacementScope;
  readonly settings: Settings;
  readonly options: GenerationOptions;
  readonly wanted?: vscode.Uri;
  /** The format written, decided once, before the request: the link's own, else the setting's. */
  readonly output: OutputRequest;
}

/**
 * Everything checked before anything is bought: the destination (inside the folder, through no link
 * out of it), the link's file name, and the format (an .avif link is refused here).
 */
export async function prepareGeneration(prompt: string, scope: PlacementScope, wanted?: vscode.Uri, formatFrom?: string, options?: GenerationOptions, transparent?: boolean): Promise<PreparedGeneration> {
  const read = readSettings(scope.document ?? scope.root);
  // A caller's own ask (Copilot's `transparent`) over the setting.
  const settings = transparent === undefined ? read : { ...read, transparentBackground: transparent };
  const chosen = options ?? optionsFromSettings(settings);
  await preflight(scope, settings, prompt, chosen.model, wanted);
  // A transparent background ("illustrate.transparentBackground") needs PNG or WebP: a JPEG link is refused here, before anything is bought.
  const output = settings.transparentBackground ? transparentOutputFor(wanted?.path ?? formatFrom, settings.output) : outputFor(wanted?.path ?? formatFrom, settings.output);
  return { prompt, scope, settings, options: chosen, wanted, output };
}

/**
 * A single generation's request, as it is made and, when its picture fails review and the user
 * asks, made again: what is sent, the settings, and the words a picture it replaces is kept under
 * in the Studio's history (when that picture's record has none).
 */
export interface ReviewedRequest {
  readonly input: GenerateInput;
  readonly settings: Settings;
  readonly prompt: string;
}

/**
 * Makes a picture and reviews it (`illustrate.review`) before it is written, so the file is
 * written once, with its verdict (after a retry, the better of the two; the other goes to the
 * Studio's history, named for `savedAs`). The one path of every single generation: generate,
 * Regenerate, Edit Image. Nothing stops for the review: a refused key or a cancel leaves it unreviewed.
 */
export async function makeReviewed(services: Services, request: ReviewedRequest, signal: AbortSignal, onProgress?: (e: ProgressEvent) => void, savedAs?: vscode.Uri): Promise<{ readonly image: GeneratedImage; readonly review?: MadeReview }> {
  const { input, settings } = request;
  // A transparent background when the settings ask (`illustrate.transparentBackground`; Regenerate keeps a transparent picture transparent, an edit never).
  const made = await makePicture(services.generator, input, settings, signal, onProgress);
  if (settings.review === 'off') {
    return { image: made };
  }
  const r = await reviewOne({ reviewer: services.reviewer, generator: services.generator }, made, input, settings, settings.review, signal);
  if (r.aside) {
    await services.history.keepVersion({ prompt: request.prompt, bytes: r.aside.image.bytes, format: r.aside.image.format, width: r.aside.image.width, height: r.aside.image.height, options: r.aside.image.options, cost: r.aside.image.cost, savedAs: savedAs ? vscode.workspace.asRelativePath(savedAs, false) : '' }).catch(() => undefined);
  }
  return r;
}

/** Generates the prepared picture, reviews it, and places it with its link (one edit, one undo). */
export async function generateInto(services: Services, g: PreparedGeneration, link: LinkPlacement, signal: AbortSignal, onProgress?: (e: ProgressEvent) => void): Promise<{ readonly image: GeneratedImage; readonly placed: Placed; readonly review?: MadeReview }> {
  const request: ReviewedRequest = { input: { prompt: g.prompt, options: g.options, output: g.output }, settings: g.settings, prompt: g.prompt };
  const { image, review } = await makeReviewed(services, request, signal, onProgress, g.wanted);
  const placed = await placeImage({ scope: g.scope, settings: g.settings, prompt: g.prompt, model: image.options.model, image, wanted: g.wanted, link, signal });
  if (review?.verdict.status === 'fail') {
    void offerAfterFailedReview(services, request, review, placed.file);
  }
  return { image, placed, review };
}

/**
 * A picture that failed its review, now in `file`: the notification says why and offers
 * Regenerate (the same request again with the reviewer's reasons to avoid, as retry mode sends
 * it, reviewed again, over the same file, the one replaced going to the Studio's history) and
 * Keep (the file stays, its failed verdict in its record).
 */
export async function offerAfterFailedReview(services: Services, request: ReviewedRequest, review: MadeReview, file: vscode.Uri): Promise<void> {
  const regenerate = vscode.l10n.t('Regenerate');
  const keep = vscode.l10n.t('Keep');
  const choice = await vscode.window.showWarningMessage(vscode.l10n.t('The review of {0} found problems: {1}', basename(file.path), verdictLine(review.verdict)), regenerate, keep);
  if (choice !== regenerate) {
    return;
  }
  try {
    // The request again with what the reviewer found, to avoid; the words recorded stay those the picture stands for.
    const input: GenerateInput = { ...request.input, prompt: retryPrompt(request.input.prompt, review.verdict), recordAs: request.input.recordAs ?? request.input.prompt };
    const again = await withCancellableProgress(vscode.l10n.t('Illustrate: generating the picture again'), (signal) => makeReviewed(services, { ...request, input }, signal, undefined, file));
    const old = await new ImageFiles().read(file);
    if (old) {
      await keepReplaced(services.history, old, request.prompt, request.input.options);
    }
    await replaceImageFile(file, again.image.bytes);
    if (again.review?.verdict.status === 'fail') {
      void offerAfterFailedReview(services, request, again.review, file);
    } else {
      void vscode.window.setStatusBarMessage(`$(check) ${vscode.l10n.t('{0} made again: {1}', basename(file.path), again.review ? verdictLine(again.review.verdict) : formatCost(again.image.cost))}`, 8000);
    }
  } catch (e: unknown) {
    showFailure(services, e);
  }
}
