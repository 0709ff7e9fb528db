/**
 * Dark-mode twins in the editor: the Quick Fix on one image link (its twin `NAME.dark.EXT` made by
 * one image edit, and the page's link switched by its site's markup), Make Dark Twins… over the
 * workspace, a folder or a file (plan, cost, question, progress with Cancel), and the twins of the
 * new pictures of Fill Missing Images with `illustrate.variants.dark`. Plan and run are core's
 * (`core/fill/dark`), as on the command line; every run is one WorkspaceEdit: one undo.
 */
import * as vscode from 'vscode';
import { formatCost } from '../core/api/pricing';
import { IllustrateError } from '../core/errors';
import { darkPlanEstimate, DarkJobOutcome, DarkPlan, DarkTarget } from '../core/fill/dark';
import { darkTwinEstimate } from '../core/images/darkTwin';
import { basename } from '../core/paths';
import { commandRoot, relativeTo } from '../platform/workspaceFiles';
import { Settings } from '../core/settings';
import { withCancellableProgress } from '../platform/cancellation';
import { planDarkIn, runDarkTargets, targetSettings } from '../platform/darkTwins';
import { showFailure } from '../platform/feedback';
import { CommandResult, Services } from '../platform/services';
import { readSettings } from '../platform/settings';
import { imageOfLink, LifecycleDeps, linkFrom, refreshDiagnostics } from './imageLifecycle';

export interface DarkRunResult {
  readonly planned: number;
  /** The twins written, relative to the workspace folder. */
  readonly made: readonly string[];
  /** The pages whose links now switch, and how many links each. */
  readonly switched: readonly { readonly document: string; readonly links: number }[];
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
  readonly failed: readonly string[];
  readonly cost: number;
  readonly summary: string;
}

/** "1 dark twin" or "3 dark twins", in the user's language. */
function twins(n: number): string {
  return n === 1 ? vscode.l10n.t('1 dark twin') : vscode.l10n.t('{0} dark twins', n);
}


/** The plan's price: one image edit per twin to make, each at its page's settings. */
export function darkCost(targets: readonly DarkTarget<vscode.Uri>[]): number | undefined {
  return darkPlanEstimate(targets, targetSettings);
}

/** Makes the targets and writes them with their pages' switches (one WorkspaceEdit), under a progress notification with Cancel. */
async function runWithProgress(services: Services, plan: DarkPlan<vscode.Uri>, targets: readonly DarkTarget<vscode.Uri>[], title: string, rel: (uri: vscode.Uri) => string): Promise<DarkJobOutcome<vscode.Uri>> {
  const making = targets.filter((t) => t.make).length;
  return withCancellableProgress(title, (signal, progress) => {
    progress.report({ message: `0 / ${making}` });
    return runDarkTargets(services.generator, plan, targets, signal, (p) => progress.report({ message: `${p.done} / ${p.total}`, increment: 100 / Math.max(1, p.total) }), rel);
  });
}

/** What a run did, for the caller and the summary. */
function resultOf(plan: DarkPlan<vscode.Uri>, targets: readonly DarkTarget<vscode.Uri>[], ran: DarkJobOutcome<vscode.Uri>, rel: (uri: vscode.Uri) => string): DarkRunResult {
  const { outcome, edits, unwritten } = ran;
  const made = outcome.made.map((m) => rel(m.target.twin));
  const failed = [...outcome.failed.map((f) => `${rel(f.target.uri)}: ${f.message}`), ...unwritten, ...(outcome.stopped ? [outcome.stopped] : [])];
  const switched = edits.map((e) => ({ document: rel(e.document), links: e.edits.length / 2 }));
  return {
    planned: targets.length,
    made,
    switched,
    skipped: plan.skipped.map((s) => ({ file: rel(s.file), reason: s.reason })),
    failed,
    cost: outcome.cost,
    summary: vscode.l10n.t('Made {0} of {1} dark twins · links switched in {2} pages · {3} failed · ≈ ${4}', made.length, targets.filter((t) => t.make).length, switched.length, failed.length, outcome.cost.toFixed(3)),
  };
}

/**
 * `illustrate.makeDarkTwin`: the dark twin of the image a link shows (the Quick Fix, the cursor),
 * one image edit, written beside it with the page's links switched to it, as one WorkspaceEdit.
 */
export async function makeDarkTwin(deps: LifecycleDeps, args?: unknown): Promise<CommandResult> {
  const { services } = deps;
  try {
    const { document, image } = await linkFrom(args);
    const old = await imageOfLink(deps, document, image);
    const name = basename(old.uri.path);
    const plan = await planDarkIn(document.uri, new vscode.CancellationTokenSource().token, { only: new Set([old.uri.toString()]) });
    const target = plan.targets[0];
    if (!target) {
      const skip = plan.skipped.find((s) => s.document?.toString() === document.uri.toString()) ?? plan.skipped[0];
      return {
        ok: false,
        message: skip
          ? vscode.l10n.t('{0} gets no dark twin here: {1}', name, skip.reason)
          : plan.switching
            ? vscode.l10n.t('This link to {0} already switches to a dark picture.', name)
            : vscode.l10n.t('{0} cannot have a dark twin: its name is already a twin\'s, or it is not a PNG, JPEG or WebP file.', name),
      };
    }
    const rel = relativeTo(commandRoot(document.uri));
    const title = target.make ? vscode.l10n.t('Illustrate: making the dark twin of {0} (one image edit)', name) : vscode.l10n.t('Illustrate: switching {0} to its dark twin', name);
    const ran = await runWithProgress(services, plan, [target], title, rel);
    const failed = ran.outcome.failed[0];
    if (failed) {
      throw new IllustrateError(failed.kind, failed.message);
    }
    if (target.make && !ran.outcome.made.length) {
      throw new IllustrateError('cancelled', ran.outcome.stopped ?? vscode.l10n.t('Cancelled: {0} was left as it was.', name));
    }
    if (ran.unwritten.length) {
      throw new IllustrateError('unwritable', ran.unwritten.join(' '));
    }
    deps.files.forget(target.twin);
    await refreshDiagnostics(deps, document);
    const twin = basename(target.twin.path);
    const made = ran.outcome.made[0]?.image;
    const message = made
      ? vscode.l10n.t('Made {0} ({1}×{2}, {3}), the dark twin of {4}; the page shows it in dark mode. One undo removes both.', twin, made.width, made.height, formatCost(made.cost), name)
      : vscode.l10n.t('{0} was already there: the page now shows it in dark mode.', twin);
    void vscode.window.setStatusBarMessage(`$(color-mode) ${message}`, 8000);
    return { ok: true, message, file: target.twin.toString() };
  } catch (e: unknown) {
    return showFailure(services, e);
  }
}


/** The plan: every twin ticked (made, or already there and only linked), the links left out and why below; then the count and cost, asked in a modal. */
async function confirmDarkPlan(plan: DarkPlan<vscode.Uri>, settings: Settings, rel: (uri: vscode.Uri) => string): Promise<readonly DarkTarget<vscode.Uri>[] | undefined> {
  type Item = vscode.QuickPickItem & { target?: DarkTarget<vscode.Uri> };
  const items: Item[] = plan.targets.map((t) => ({
    label: `${rel(t.uri)} → ${basename(t.twin.path)}`,
    description: t.make ? (t.stale ? vscode.l10n.t('made again: the picture changed') : vscode.l10n.t('one image edit')) : vscode.l10n.t('already there: only linked'),
    detail: t.edits.map((e) => vscode.l10n.t('{0}: {1} links', rel(e.document), e.edits.length / 2)).join(' · '),
    picked: true,
    target: t,
  }));
  if (plan.skipped.length) {
    items.push({ label: vscode.l10n.t('Left out ({0})', plan.skipped.length), kind: vscode.QuickPickItemKind.Separator });
    items.push(...plan.skipped.map((s) => ({ label: `$(circle-slash) ${rel(s.file)}`, description: s.document ? `${rel(s.document)}:${s.line ?? 0}` : undefined, detail: s.reason, picked: false })));
  }
  const making = plan.targets.filter((t) => t.make).length;
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: vscode.l10n.t('Make Dark Twins: {0} to make · {1} · {2} · {3} left out', making, settings.model, formatCost(darkCost(plan.targets)), plan.skipped.length),
    placeHolder: vscode.l10n.t('Untick any image you do not want a dark twin of, then press Enter'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  const chosen = (picked ?? []).map((i) => i.target).filter((t): t is DarkTarget<vscode.Uri> => t !== undefined);
  if (!chosen.length) {
    return undefined;
  }
  const go = vscode.l10n.t('Make Dark Twins');
  const count = chosen.filter((t) => t.make).length;
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Make {0} with {1} for {2}?', twins(count), settings.model, formatCost(darkCost(chosen))),
    {
      modal: true,
      detail: [
        vscode.l10n.t('Each twin is one image edit of its picture, written beside it; each page\'s links are switched by its site\'s markup. The twins and the pages are one edit: one undo takes them all back.'),
        plan.skipped.length ? vscode.l10n.t('{0} links are left out (the list shows why).', plan.skipped.length) : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    },
    go,
  );
  return answer === go ? chosen : undefined;
}

/**
 * Make Dark Twins…: every image the pages of the workspace (or a folder, or a file) link, its twin
 * made and its links switched, after the plan and the cost are shown and accepted. `confirmed` is
 * for the extension's API (tests, other extensions), never for a command's arguments.
 */
export async function makeDarkTwins(deps: LifecycleDeps, resource?: vscode.Uri, confirmed = false): Promise<DarkRunResult | undefined> {
  const { services } = deps;
  try {
    const rel = relativeTo(commandRoot(resource));
    const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Illustrate: looking for images that need a dark twin') }, (_p, token) => planDarkIn(resource, token, { warn: (line) => services.log.warn(line) }));
    if (!plan.targets.length) {
      const summary = vscode.l10n.t('No image needs a dark twin: {0} links already switch, {1} left out.', plan.switching, plan.skipped.length);
      void vscode.window.showInformationMessage(summary);
      return { planned: 0, made: [], switched: [], skipped: plan.skipped.map((s) => ({ file: rel(s.file), reason: s.reason })), failed: [], cost: 0, summary };
    }
    const settings = targetSettings(plan.targets[0]);
    const chosen = confirmed ? plan.targets : await confirmDarkPlan(plan, settings, rel);
    if (!chosen) {
      return undefined;
    }
    const ran = await runWithProgress(services, plan, chosen, vscode.l10n.t('Illustrate: making dark twins'), rel);
    chosen.forEach((t) => deps.files.forget(t.twin));
    deps.diagnostics.refreshAll(0);
    const result = resultOf(plan, chosen, ran, rel);
    const show = result.failed.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show([result.summary, ...result.failed.slice(0, 3)].join(' · '));
    return result;
  } catch (e: unknown) {
    showFailure(services, e);
    return undefined;
  }
}

/** With `illustrate.variants.dark`: how many twins Fill's new pictures add, and their price (in the plan's cost). */
export function fillTwinsEstimate(settings: Settings, pictures: number): { readonly count: number; readonly cost: number | undefined } {
  if (!settings.darkTwins || !pictures) {
    return { count: 0, cost: 0 };
  }
  const one = darkTwinEstimate(settings);
  return { count: pictures, cost: one === undefined ? undefined : one * pictures };
}

/**
 * With `illustrate.variants.dark`: the twins of the pictures Fill just made (`made`, their URIs),
 * planned and made as Make Dark Twins does, one more WorkspaceEdit. Undefined when the setting is off.
 */
export async function twinsOfNewPictures(services: Services, resource: vscode.Uri | undefined, made: readonly vscode.Uri[]): Promise<DarkRunResult | undefined> {
  if (!made.length || !readSettings(made[0]).darkTwins) {
    return undefined;
  }
  const rel = relativeTo(commandRoot(resource ?? made[0]));
  const plan = await planDarkIn(resource, new vscode.CancellationTokenSource().token, { only: new Set(made.map((u) => u.toString())) });
  if (!plan.targets.length) {
    return undefined;
  }
  const ran = await runWithProgress(services, plan, plan.targets, vscode.l10n.t('Illustrate: making the dark twins of the new pictures'), rel);
  return resultOf(plan, plan.targets, ran, rel);
}

/**
 * After a single generation linked in `document` (Generate Image…, from Selection, from Alt Text,
 * Copilot's generate): with `illustrate.variants.dark`, the new picture's twin and its link
 * switching, as Fill does (one more image edit; its own change, so its own undo). The picture is
 * made whatever happens here: a twin that fails says so.
 */
export async function twinOfGenerated(services: Services, document: vscode.Uri, file: vscode.Uri): Promise<DarkRunResult | undefined> {
  try {
    const result = await twinsOfNewPictures(services, document, [file]);
    if (result?.failed.length) {
      void vscode.window.showWarningMessage([result.summary, ...result.failed.slice(0, 3)].join(' · '));
    } else if (result?.made.length) {
      void vscode.window.setStatusBarMessage(`$(color-mode) ${result.summary}`, 8000);
    }
    return result;
  } catch (e: unknown) {
    showFailure(services, e);
    return undefined;
  }
}
