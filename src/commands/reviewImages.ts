/**
 * Review Images…: every picture of the workspace (or a folder, or a file) looked at by a text model
 * against its words (Illustrate's record, else its alt text), each verdict kept in the record of the
 * images Illustrate made, as one change (one undo); the report shows each picture with its verdict,
 * failures first, in the markdown preview. The run is core's (`runReviewJob`), as on the command line.
 */
import * as vscode from 'vscode';
import { withCancellableProgress } from '../platform/cancellation';
import { formatCost } from '../core/api/pricing';
import { MAX_IMAGE_BYTES } from '../core/images/imageFormat';
import { estimateReviewCost } from '../core/review/review';
import { planReview, ReviewJobHost, ReviewMade, ReviewPlan, reviewReport, ReviewTarget, runReviewJob, verdictsInOrder } from '../core/review/job';
import { FillOutcome, FillProgress } from '../core/fill/fill';
import { Settings } from '../core/settings';
import { showFailure } from '../platform/feedback';
import { scanForMissing, workspaceHost } from '../platform/fill';
import { imageHead } from '../platform/imageFiles';
import { ImageDiagnostics } from '../platform/imageDiagnostics';
import { readSettings } from '../platform/settings';
import { Services } from '../platform/services';
import { applyChange } from '../platform/workspaceChange';
import { commandRoot, readWorkspaceFile, relativeTo } from '../platform/workspaceFiles';
import { reportThumbnails, showReportPreview } from '../platform/reports';

export interface ReviewDeps {
  readonly services: Services;
  readonly diagnostics: ImageDiagnostics;
}

export interface ReviewRunResult {
  readonly planned: number;
  readonly verdicts: readonly { readonly file: string; readonly status: 'pass' | 'fail' | 'unreviewed'; readonly reasons: readonly string[]; readonly kept: boolean }[];
  readonly failed: readonly string[];
  readonly cost: number;
  readonly summary: string;
}

/** The plan: every picture and what it is reviewed against, all ticked; then the cost, asked in a modal. */
async function confirmReviewPlan(plan: ReviewPlan<vscode.Uri>, model: string, cost: (targets: readonly ReviewTarget<vscode.Uri>[]) => number | undefined, rel: (uri: vscode.Uri) => string): Promise<readonly ReviewTarget<vscode.Uri>[] | undefined> {
  type Item = vscode.QuickPickItem & { target?: ReviewTarget<vscode.Uri> };
  const items: Item[] = plan.targets.map((t) => ({
    label: rel(t.uri),
    description: t.words.from === 'alt' ? vscode.l10n.t('against its alt text') : vscode.l10n.t('against its prompt'),
    detail: t.words.prompt.slice(0, 200),
    picked: true,
    target: t,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: vscode.l10n.t('Review Images: {0} images · {1} · {2}', plan.targets.length, model, formatCost(cost(plan.targets))),
    placeHolder: vscode.l10n.t('Untick any image you do not want reviewed, then press Enter'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  const chosen = (picked ?? []).map((i) => i.target).filter((t): t is ReviewTarget<vscode.Uri> => t !== undefined);
  if (!chosen.length) {
    return undefined;
  }
  const go = vscode.l10n.t('Review');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Review {0} images with {1} for {2}?', chosen.length, model, formatCost(cost(chosen))),
    { modal: true, detail: vscode.l10n.t('Nothing is made again: each verdict is kept in the record of the images Illustrate made (one undo takes them all back).') },
    go,
  );
  return answer === go ? chosen : undefined;
}

/** The pictures under `resource` (or the whole workspace) to review, and what each is reviewed against. */
export async function planReviewIn(resource: vscode.Uri | undefined, token: vscode.CancellationToken, warn?: (line: string) => void): Promise<ReviewPlan<vscode.Uri>> {
  const scanned = await scanForMissing(resource, token, warn, { gif: true });
  return planReview(scanned, workspaceHost(), imageHead);
}

/** Reviews the targets at Fill's pace (core's one run) and keeps every verdict as one change; the verdicts as a person reads them, failures first. */
export async function runReviewTargets(deps: ReviewDeps, targets: readonly ReviewTarget<vscode.Uri>[], settings: Settings, model: string, signal: AbortSignal, onProgress: (p: FillProgress) => void, rel: (uri: vscode.Uri) => string): Promise<{ outcome: FillOutcome<vscode.Uri, ReviewMade, ReviewTarget<vscode.Uri>>; unwritten: readonly string[]; result: ReviewRunResult }> {
  const host: ReviewJobHost<vscode.Uri> = {
    reviewer: deps.services.reviewer,
    settings: (target) => readSettings(target.links[0].document),
    read: (target) => readWorkspaceFile(target.uri, MAX_IMAGE_BYTES),
    name: rel,
    // Every record rewritten in one WorkspaceEdit: one undo takes the run back.
    write: async (images) => {
      await applyChange({ replaced: images, text: [] }, () => vscode.l10n.t('Could not keep the verdicts: an image is read-only. Check the files and run the review again.'));
      return [];
    },
  };
  const { outcome, unwritten } = await runReviewJob(host, targets, { concurrency: settings.fillConcurrency, signal, model, onProgress });
  deps.diagnostics.refreshAll(0);
  const ordered = verdictsInOrder(outcome);
  const result: ReviewRunResult = {
    planned: targets.length,
    verdicts: ordered.made.map((m) => ({ file: rel(m.target.uri), status: m.verdict.status, reasons: m.verdict.status === 'unreviewed' ? [m.verdict.reason] : m.verdict.problems.map((p) => p.reason), kept: m.kept })),
    failed: [...outcome.failed.map((f) => `${rel(f.target.uri)}: ${f.message}`), ...unwritten],
    cost: outcome.cost,
    summary: vscode.l10n.t('Reviewed {0} of {1} images · {2} passed · {3} failed · {4} not reviewed · ≈ ${5}', ordered.made.length, targets.length, ordered.pass, ordered.fail, ordered.unreviewed, outcome.cost.toFixed(4)),
  };
  return { outcome, unwritten, result };
}

/** Review Images…; `confirmed` is for the extension's API (tests, other extensions), never for a command's arguments. */
export async function reviewImages(deps: ReviewDeps, resource?: vscode.Uri, confirmed = false): Promise<ReviewRunResult | undefined> {
  const { services } = deps;
  try {
    const root = commandRoot(resource);
    const rel = relativeTo(root);
    const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Illustrate: looking for images to review') }, (_p, token) => planReviewIn(resource, token, (line) => services.log.warn(line)));
    if (!plan.targets.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No image to review in {0}: {1} skipped.', plan.documents === 1 ? vscode.l10n.t('1 markdown file') : vscode.l10n.t('{0} markdown files', plan.documents), plan.skipped.length));
      return { planned: 0, verdicts: [], failed: [], cost: 0, summary: '' };
    }
    const settings = readSettings(plan.targets[0].links[0].document);
    const { model } = await services.reviewer.estimate(settings, 1, true, new AbortController().signal);
    const cost = (targets: readonly ReviewTarget<vscode.Uri>[]): number | undefined => estimateReviewCost(model, targets.map((t) => t.words), settings.prices);
    const chosen = confirmed ? plan.targets : await confirmReviewPlan(plan, model, cost, rel);
    if (!chosen) {
      return undefined;
    }
    const { outcome, unwritten, result } = await withCancellableProgress(vscode.l10n.t('Illustrate: reviewing images'), (signal, progress) => {
      progress.report({ message: `0 / ${chosen.length}` });
      return runReviewTargets(deps, chosen, settings, model, signal, (p) => progress.report({ message: `${p.done} / ${p.total}`, increment: 100 / p.total }), rel);
    });
    const open = vscode.l10n.t('Open Report');
    const failing = result.verdicts.some((v) => v.status !== 'pass') || result.failed.length > 0;
    const show = failing ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void Promise.resolve(show(result.summary, open)).then(async (choice) => {
      if (choice === open) {
        // Thumbnails from the files as they are now, in the report's order (failures first).
        const thumbnails = await reportThumbnails(services.codec, verdictsInOrder(outcome).made.map((m) => ({ uri: m.target.uri })));
        await showReportPreview(reviewReport(plan, outcome, unwritten, { name: rel, link: (uri) => thumbnails.get(uri.toString()), title: vscode.l10n.t('Illustrate: Review Images'), summary: result.summary }));
      }
    });
    return result;
  } catch (e: unknown) {
    showFailure(services, e);
    return undefined;
  }
}
