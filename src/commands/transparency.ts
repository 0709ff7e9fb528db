/**
 * Make Background Transparent: a picture already in the docs, its background taken away (rendered
 * onto white, then onto black, the two matted: `core/images/transparent`), through the one runner
 * of pictures already there (`runTransparentJob`). The file is replaced in place, in its own format
 * (PNG or WebP: a JPEG holds no alpha and is refused before anything is bought), the old picture
 * kept in the Studio's history, with Undo as Edit Image has it.
 */
import * as vscode from 'vscode';
import { IllustrateError } from '../core/errors';
import { runTransparentJob, TransparentJobHost, TransparentTarget } from '../core/fill/jobs';
import { jpegHasNoAlpha } from '../core/images/codec';
import { basename } from '../core/paths';
import { optionsFromSettings } from '../core/settings';
import { transparentOutput } from '../core/images/transparent';
import { showFailure, showSaved, withGenerationProgress } from '../platform/feedback';
import { CommandResult } from '../platform/services';
import { readSettings } from '../platform/settings';
import { imageOfTarget, LifecycleDeps, refreshDiagnostics, replaceWith } from './imageLifecycle';

/** `illustrate.makeTransparent`: from a link (the cursor, a Quick Fix) or an image file in the Explorer. */
export async function makeBackgroundTransparent(deps: LifecycleDeps, target?: unknown): Promise<CommandResult> {
  const { services } = deps;
  try {
    const { old, document, alt } = await imageOfTarget(deps, target, () => vscode.l10n.t('Pick an image file inside the workspace to make transparent.'));
    const name = basename(old.uri.path);
    if (old.format === 'jpeg') {
      throw new IllustrateError('options', `${jpegHasNoAlpha()} ${vscode.l10n.t('Save {0} as a .png or .webp file and link that, then try again.', name)}`);
    }
    if (old.meta?.transparent) {
      return { ok: false, message: vscode.l10n.t('{0} already has a transparent background (Illustrate made it so).', name) };
    }
    const settings = readSettings(old.uri);
    const recordAs = old.meta?.prompt ?? (alt || name);
    const picture: TransparentTarget<vscode.Uri> = {
      uri: old.uri,
      out: old.uri,
      prompt: recordAs,
      links: [],
      output: transparentOutput({ format: old.format === 'webp' ? 'webp' : 'png', quality: settings.output.quality, maxWidth: settings.output.maxWidth }),
    };
    return await withGenerationProgress(services, vscode.l10n.t('Illustrate: making the background of {0} transparent (two image calls)', name), async (signal) => {
      let where = '';
      const host: TransparentJobHost<vscode.Uri, string> = {
        generator: services.generator,
        settings: () => settings,
        // The bytes already read through the one reader, as they were when the command started.
        read: () => Promise.resolve(old.bytes),
        name: (uri) => basename(uri.path),
        write: async (_target, image) => {
          where = await replaceWith(deps, old, image, recordAs, { ...optionsFromSettings(settings), aspectRatio: '' });
          return where;
        },
      };
      const outcome = await runTransparentJob(host, [picture], { concurrency: 1, signal, onProgress: () => undefined });
      const failed = outcome.failed[0];
      if (failed || !outcome.made.length) {
        throw new IllustrateError(failed?.kind ?? 'cancelled', failed?.message ?? outcome.stopped ?? vscode.l10n.t('Cancelled: {0} was left as it was.', name));
      }
      if (document) {
        await refreshDiagnostics(deps, document);
      }
      return { ok: true, message: showSaved(services, outcome.made[0].image, where), file: old.uri.toString() };
    });
  } catch (e: unknown) {
    return showFailure(services, e);
  }
}
