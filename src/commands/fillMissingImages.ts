import * as vscode from 'vscode';
import { withCancellableProgress } from '../platform/cancellation';
import { formatError, IllustrateError } from '../core/errors';
import { commandRoot, relativeTo } from '../platform/workspaceFiles';
import { offersBatch } from '../core/api/batch';
import { formatCost } from '../core/api/pricing';
import { reviewPlan } from '../core/review/made';
import { showReportPreview } from '../platform/reports';
import { endpointForKey, Settings } from '../core/settings';
import { BatchJobs, batchEstimate } from '../platform/batch';
import { showFailure } from '../platform/feedback';
import { fillEstimate, FillOutcome, FillPlan, fillReport, FillTarget, runFill, scanForMissing } from '../platform/fill';
import { Services } from '../platform/services';
import { readSettings } from '../platform/settings';
import { staleTargets } from '../core/fill/check';
import { currentStyle, imageHead } from '../platform/imageFiles';
import { fillTwinsEstimate, twinsOfNewPictures } from './darkTwins';

/** "1 image" or "3 images", in the user's language. */
export function images(n: number): string {
  return n === 1 ? vscode.l10n.t('1 image') : vscode.l10n.t('{0} images', n);
}

/**
 * For callers holding the extension's API (other extensions' code, tests): run the whole plan
 * without asking. Never taken from a command's arguments, which a `command:` link can forge.
 */
export interface FillArgs {
  readonly confirmed?: boolean;
  /** With `confirmed`: send the plan as one Google Batch API job (half price, results later). */
  readonly batch?: boolean;
}

export interface FillResult {
  readonly planned: number;
  readonly made: readonly string[];
  readonly failed: readonly string[];
  readonly cancelled: readonly string[];
  readonly skipped: readonly { readonly target: string; readonly reason: string }[];
  readonly existing: number;
  /** The batch job the plan went to, when it went to one. */
  readonly batch?: string;
  /** With `illustrate.variants.dark`: the twins of the new pictures. */
  readonly darkTwins?: readonly string[];
}

/** What the style settings add to every prompt, in a few words for the plan's title. */
function styleNote(settings: Settings): string {
  const parts: string[] = [];
  if (settings.style) {
    parts.push(vscode.l10n.t('style "{0}"', settings.style.length > 40 ? `${settings.style.slice(0, 39)}…` : settings.style));
  }
  if (settings.styleReferences.length) {
    parts.push(settings.styleReferences.length === 1 ? vscode.l10n.t('1 style reference') : vscode.l10n.t('{0} style references', settings.styleReferences.length));
  }
  return parts.length ? ` · ${parts.join(' + ')}` : '';
}

type Mode = 'now' | 'batch';

/** The sites the plan's pages belong to, and where `/` is served from: the folder images go to. */
function siteNote(plan: FillPlan, rel: (uri: vscode.Uri) => string): string {
  const sites = plan.sites ?? [];
  const first = plan.targets[0]?.uri;
  if (!sites.length || !first) {
    return '';
  }
  const at = (path: string): string => rel(first.with({ path })) || '.';
  const names = sites.map((s) => (s.generator === 'plain' ? vscode.l10n.t('a plain tree at {0}', at(s.root)) : vscode.l10n.t('{0} site at {1} (/ is {2})', s.generator, at(s.root), s.publicDirs.map(at).join(', '))));
  return `${names.join('; ')} · `;
}

/** The plan, before anything is spent: every image ticked, grouped by document; then a modal with the cost. */
async function confirmPlan(services: Services, plan: FillPlan, root: vscode.Uri | undefined, stale: readonly FillTarget[]): Promise<{ targets: readonly FillTarget[]; mode: Mode } | undefined> {
  const first = readSettings((plan.targets[0] ?? stale[0])?.links[0]?.document);
  const key = await services.keys.get();
  // Batch is offered where the key would really go (a Google key left at the default goes to Google).
  const settings = key ? endpointForKey(first, key).settings : first;
  const rel = relativeTo(root);
  type Item = vscode.QuickPickItem & { target?: FillTarget };
  const items: Item[] = [];
  let group = '';
  for (const target of plan.targets) {
    const document = rel(target.links[0].document);
    if (document !== group) {
      group = document;
      items.push({ label: document, kind: vscode.QuickPickItemKind.Separator });
    }
    items.push({ label: target.prompt, description: rel(target.uri), detail: target.links.length > 1 ? vscode.l10n.t('linked {0} times', target.links.length) : undefined, picked: true, target });
  }
  if (stale.length) {
    // Images made from an older alt text or style: listed on their own, unticked (they exist and may be wanted as they are).
    items.push({ label: vscode.l10n.t('Stale: made from an older alt text or style ({0}, {1})', images(stale.length), formatCost(fillEstimate(stale))), kind: vscode.QuickPickItemKind.Separator });
    for (const target of stale) {
      items.push({ label: target.prompt, description: rel(target.uri), detail: vscode.l10n.t('stale: made again in place from its alt text'), picked: false, target });
    }
  }
  const cost = fillEstimate(plan.targets);
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: `${
      plan.targets.length
        ? vscode.l10n.t('Fill Missing Images: {0} images · {1} · {2} · {3}{4} · {5} skipped', plan.targets.length, settings.model, settings.imageSize || vscode.l10n.t('default size'), formatCost(cost), styleNote(settings), plan.skipped.length)
        : vscode.l10n.t('Fill Missing Images: no image missing · {0} · {1}{2} · {3} skipped', settings.model, settings.imageSize || vscode.l10n.t('default size'), styleNote(settings), plan.skipped.length)
    }${stale.length ? vscode.l10n.t(' · {0} stale ({1})', stale.length, formatCost(fillEstimate(stale))) : ''}`,
    placeHolder: `${siteNote(plan, rel)}${vscode.l10n.t('Untick any image you do not want, then press Enter')}`,
    matchOnDescription: true,
  });
  const chosen = (picked ?? []).map((i) => i.target).filter((t): t is FillTarget => t !== undefined);
  if (!chosen.length) {
    return undefined;
  }
  const go = vscode.l10n.t('Generate');
  const batch = vscode.l10n.t('Batch (half price, results later)');
  const n = images(chosen.length);
  const offer = offersBatch(settings.baseUrl, settings.authHeader);
  const review = reviewPlan(settings, chosen);
  const reviewed = review
    ? vscode.l10n.t('Each picture is then reviewed against its words by {0}, for {1} more{2}.', review.model, formatCost(review.cost), review.mode === 'retry' ? vscode.l10n.t('; one that fails is made once more, at most {0} more in all', formatCost(review.retriesAtMost)) : '')
    : undefined;
  // With illustrate.variants.dark: each new picture's twin, one image edit each, in the cost asked about (a batch's too, at the full price, made as its pictures are placed).
  const dark = fillTwinsEstimate(settings, chosen.filter((t) => !stale.includes(t)).length);
  const halved = batchEstimate(settings, chosen);
  const batchOffer = offer ? vscode.l10n.t('Or send them as one batch job for {0}: Google makes them within 24 hours (often much sooner), and Illustrate places them while VS Code is open.', formatCost(halved === undefined || dark.cost === undefined ? undefined : halved + dark.cost)) : undefined;
  const pictures = fillEstimate(chosen);
  const darkNote = dark.count ? vscode.l10n.t('With "illustrate.variants.dark", each new picture gets its dark twin too: {0} image edits, {1}, in the cost above (with Batch, they are made at the full price as its pictures are placed).', dark.count, formatCost(dark.cost)) : undefined;
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Generate {0} for {1}?', n, formatCost(pictures === undefined || dark.cost === undefined ? undefined : pictures + dark.cost)),
    {
      modal: true,
      detail: [darkNote, reviewed, batchOffer].filter(Boolean).join('\n\n') || undefined,
    },
    ...(offer ? [go, batch] : [go]),
  );
  return answer === go ? { targets: chosen, mode: 'now' } : answer === batch ? { targets: chosen, mode: 'batch' } : undefined;
}


/** Sends the targets as one batch job and says what happens next. */
async function submit(batchJobs: BatchJobs, targets: readonly FillTarget[], root: vscode.Uri | undefined): Promise<string> {
  const job = await withCancellableProgress(vscode.l10n.t('Illustrate: submitting the batch job'), (signal) => batchJobs.submit(targets, root, signal));
  const show = vscode.l10n.t('Show Batch Jobs');
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t('Batch job submitted: {0}, {1} at half price. Illustrate places them when Google is done (usually within 24 hours), checking while VS Code is open.', images(job.targets.length), formatCost(job.estimate)),
      show,
    )
    .then((c) => (c === show ? vscode.commands.executeCommand('illustrate.showBatchJobs') : undefined));
  return job.name;
}

async function run(services: Services, targets: readonly FillTarget[], replacing?: ReadonlySet<string>): Promise<FillOutcome> {
  return withCancellableProgress(vscode.l10n.t('Illustrate: filling missing images'), (signal, progress) => {
    progress.report({ message: `0 / ${targets.length}` });
    return runFill(services, targets, signal, (p) => {
      progress.report({ message: vscode.l10n.t('{0} / {1}{2} · ≈ ${3} so far', p.done, p.total, p.failed ? vscode.l10n.t(' · {0} failed', p.failed) : '', p.cost.toFixed(2)), increment: 100 / p.total });
    }, replacing);
  });
}

/**
 * Fills every missing image of a docs tree (the workspace, a folder, or a markdown file): scan,
 * plan with its cost, run at the server's pace, report.
 */
export async function fillMissingImages(services: Services, batchJobs: BatchJobs, resource?: vscode.Uri, args?: FillArgs): Promise<FillResult | undefined> {
  try {
    const root = commandRoot(resource);
    const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Illustrate: looking for missing images') }, (_p, token) => scanForMissing(resource, token, (line) => services.log.warn(line)));
    const rel = relativeTo(root);
    const skipped = plan.skipped.map((s) => ({ target: `${rel(s.document)}: ${s.image.target}`, reason: s.reason }));
    const stale = args?.confirmed ? [] : await staleTargets(plan, imageHead, await currentStyle(plan.present?.[0]?.uri ?? root ?? vscode.Uri.file('/')));
    if (!plan.targets.length && !stale.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No missing images in {0}: {1} already there, {2} skipped.', plan.documents === 1 ? vscode.l10n.t('1 markdown file') : vscode.l10n.t('{0} markdown files', plan.documents), plan.existing, plan.skipped.length));
      return { planned: 0, made: [], failed: [], cancelled: [], skipped, existing: plan.existing };
    }
    const chosen = args?.confirmed ? { targets: plan.targets, mode: args.batch ? ('batch' as const) : ('now' as const) } : await confirmPlan(services, plan, root, stale);
    if (!chosen) {
      return undefined;
    }
    const { targets } = chosen;
    const replacing = new Set(stale.filter((t) => targets.includes(t)).map((t) => t.uri.toString()));
    if (chosen.mode === 'batch' && replacing.size) {
      throw new IllustrateError('options', vscode.l10n.t('Stale images are made again now, not in a batch job. Untick them to send the missing ones as a batch, or choose Generate.'));
    }
    if (chosen.mode === 'batch') {
      const name = await submit(batchJobs, targets, root);
      return { planned: targets.length, made: [], failed: [], cancelled: [], skipped, existing: plan.existing, batch: name };
    }
    const outcome = await run(services, targets, replacing);
    void report(services, plan, outcome, root, replacing);
    const dark = await twinsOfNewPictures(services, resource, outcome.made.filter((m) => !replacing.has(m.target.uri.toString())).map((m) => m.file));
    if (dark) {
      void (dark.failed.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)([dark.summary, ...dark.failed.slice(0, 3)].join(' · '));
    }
    return {
      ...(dark ? { darkTwins: dark.made } : {}),
      planned: targets.length,
      made: outcome.made.map((m) => rel(m.file)),
      failed: outcome.failed.map((f) => `${rel(f.target.uri)}: ${f.message}`),
      cancelled: outcome.cancelled.map((c) => rel(c.uri)),
      skipped,
      existing: plan.existing,
    };
  } catch (e: unknown) {
    showFailure(services, e);
    return undefined;
  }
}

/** The summary, with the full report a click away, and the failures retried on request. */
async function report(services: Services, plan: FillPlan, outcome: FillOutcome, root: vscode.Uri | undefined, replacing: ReadonlySet<string>): Promise<void> {
  const stale = [...outcome.made.map((m) => m.target), ...outcome.failed.map((f) => f.target), ...outcome.cancelled].filter((t) => replacing.has(t.uri.toString())).length;
  const tried = outcome.made.length + outcome.failed.length + outcome.cancelled.length;
  const summary =
    stale === tried
      ? vscode.l10n.t('Made {0} of {1} stale images again in place · {2} failed · ≈ ${3} · {4} s', outcome.made.length, tried, outcome.failed.length, outcome.cost.toFixed(2), Math.round(outcome.durationMs / 1000))
      : `${vscode.l10n.t('Filled {0} of {1} missing images · {2} failed · {3} skipped · ≈ ${4} · {5} s', outcome.made.length, tried, outcome.failed.length, plan.skipped.length, outcome.cost.toFixed(2), Math.round(outcome.durationMs / 1000))}${stale ? vscode.l10n.t(' ({0} of them stale, made again in place)', stale) : ''}`;
  const open = vscode.l10n.t('Open Report');
  const retry = vscode.l10n.t('Retry Failed');
  const buttons = outcome.failed.length ? [retry, open] : [open];
  const show = outcome.failed.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const choice = await show(summary, ...buttons);
  if (choice === open) {
    await showReportPreview(await fillReport(plan, outcome, root, services.codec));
  } else if (choice === retry) {
    try {
      // A stale image that failed is retried in place, as it was planned.
      const again = await run(services, outcome.failed.map((f) => f.target), replacing);
      await report(services, { ...plan, skipped: [] }, again, root, replacing);
    } catch (e: unknown) {
      void vscode.window.showErrorMessage(formatError(e));
    }
  }
}
