import * as vscode from 'vscode';
import { abortSignalOf } from './cancellation';
import { savedTooltip } from './markdownString';
import { ProgressEvent } from '../core/api/client';
import { describeForLog, formatError, IllustrateError } from '../core/errors';
import { formatCost } from '../core/api/pricing';
import { GeneratedImage, weightNote } from '../core/api/generator';
import { CommandResult, Services } from './services';

function describeProgress(e: ProgressEvent | undefined): string {
  if (!e) {
    return '';
  }
  if (e.kind === 'waiting') {
    const why = e.reason === 'rateLimited' ? vscode.l10n.t('rate limited') : e.reason === 'overloaded' ? vscode.l10n.t('model overloaded') : vscode.l10n.t('server error');
    return vscode.l10n.t(' — {0}, retrying in {1} s (attempt {2})', why, e.seconds, e.attempt + 1);
  }
  if (e.kind === 'receiving') {
    return vscode.l10n.t(' — receiving {0} MB', (e.bytes / 1e6).toFixed(1));
  }
  return e.attempt > 1 ? vscode.l10n.t(' — attempt {0}', e.attempt) : '';
}

/**
 * Runs `work` under a cancellable progress notification showing elapsed seconds. Failures are
 * shown once, as one clear message, and returned.
 */
export async function withGenerationProgress(
  services: Services,
  title: string,
  work: (signal: AbortSignal, onProgress: (e: ProgressEvent) => void) => Promise<CommandResult>,
): Promise<CommandResult> {
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const abort = abortSignalOf(token);
        const started = Date.now();
        let last: ProgressEvent | undefined;
        const render = (): void => progress.report({ message: `${Math.round((Date.now() - started) / 1000)} s${describeProgress(last)}` });
        const timer = setInterval(render, 1000);
        render();
        try {
          return await work(abort.signal, (e) => {
            last = e;
            if (e.kind !== 'receiving') {
              render();
            }
          });
        } finally {
          clearInterval(timer);
          abort.dispose();
        }
      },
    );
  } catch (e: unknown) {
    return showFailure(services, e);
  }
}

/** Shows a failure as one message; a bug (anything but an IllustrateError) is logged with its stack. */
export function showFailure(services: Services, e: unknown): CommandResult {
  if (!(e instanceof IllustrateError)) {
    services.log.error(describeForLog(e));
  }
  const message = formatError(e);
  if (e instanceof IllustrateError && e.kind === 'cancelled') {
    void vscode.window.setStatusBarMessage(`$(circle-slash) ${message}`, 5000);
  } else if (e instanceof IllustrateError && e.kind === 'modelNotFound') {
    const choose = vscode.l10n.t('Choose Model…');
    void vscode.window.showErrorMessage(message, choose).then((picked) => {
      if (picked === choose) {
        void vscode.commands.executeCommand('illustrate.chooseModel');
      }
    });
  } else {
    void vscode.window.showErrorMessage(message);
  }
  return { ok: false, message };
}

export function summarize(image: GeneratedImage, where: string): string {
  const tokens = image.usage.totalTokens ? vscode.l10n.t('{0} tokens', image.usage.totalTokens.toLocaleString('en-US')) : vscode.l10n.t('tokens unknown');
  const weight = weightNote(image);
  return `${where} · ${image.width}×${image.height} ${image.format.toUpperCase()}${weight ? ` · ${weight}` : ''} · ${tokens} · ${formatCost(image.cost)}`;
}

/** The success message, in the status bar; clicking it opens the Studio. */
export function showSaved(services: Services, image: GeneratedImage, where: string): string {
  const text = summarize(image, where);
  const item = services.statusBar;
  item.text = `$(file-media) ${text}`;
  item.tooltip = savedTooltip(where);
  item.command = 'illustrate.openStudio';
  item.show();
  setTimeout(() => {
    if (item.text === `$(file-media) ${text}`) {
      item.hide();
    }
  }, 15_000);
  return vscode.l10n.t('Saved {0}', text);
}
