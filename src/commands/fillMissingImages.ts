import * as vscode from 'vscode';
import { formatError } from '../core/errors';
import { relativePath } from '../core/paths';
import { estimateCost, formatCost } from '../core/pricing';
import { showFailure } from '../platform/feedback';
import { FillOutcome, FillPlan, fillReport, FillTarget, runFill, scanForMissing } from '../platform/fill';
import { Services } from '../platform/services';
import { readSettings } from '../platform/settings';

/** For automation (a task, a keybinding, a test): `confirmed` runs the whole plan without asking. */
export interface FillArgs {
  readonly confirmed?: boolean;
}

export interface FillResult {
  readonly planned: number;
  readonly made: readonly string[];
  readonly failed: readonly string[];
  readonly cancelled: readonly string[];
  readonly skipped: readonly { readonly target: string; readonly reason: string }[];
  readonly existing: number;
}

function estimate(targets: readonly FillTarget[]): number | undefined {
  const settings = readSettings(targets[0]?.links[0]?.document);
  let total = 0;
  for (const t of targets) {
    const one = estimateCost(settings.model, settings.imageSize, t.prompt, 0, 1, settings.prices);
    if (one === undefined) {
      return undefined;
    }
    total += one;
  }
  return total;
}

/** The plan, before anything is spent: every image ticked, grouped by document; then a modal with the cost. */
async function confirmPlan(plan: FillPlan, root: vscode.Uri | undefined): Promise<readonly FillTarget[] | undefined> {
  const settings = readSettings(plan.targets[0]?.links[0]?.document);
  const rel = (uri: vscode.Uri): string => (root ? relativePath(root.path, uri.path) : uri.path);
  type Item = vscode.QuickPickItem & { target?: FillTarget };
  const items: Item[] = [];
  let group = '';
  for (const target of plan.targets) {
    const document = rel(target.links[0].document);
    if (document !== group) {
      group = document;
      items.push({ label: document, kind: vscode.QuickPickItemKind.Separator });
    }
    items.push({ label: target.prompt, description: rel(target.uri), detail: target.links.length > 1 ? `linked ${target.links.length} times` : undefined, picked: true, target });
  }
  const cost = estimate(plan.targets);
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: `Fill Missing Images: ${plan.targets.length} images · ${settings.model} · ${settings.imageSize || 'default size'} · ${formatCost(cost)} · ${plan.skipped.length} skipped`,
    placeHolder: 'Untick any image you do not want, then press Enter',
    matchOnDescription: true,
  });
  const chosen = (picked ?? []).map((i) => i.target).filter((t): t is FillTarget => t !== undefined);
  if (!chosen.length) {
    return undefined;
  }
  const go = 'Generate';
  const answer = await vscode.window.showWarningMessage(`Generate ${chosen.length} image${chosen.length === 1 ? '' : 's'} for ${formatCost(estimate(chosen))}?`, { modal: true }, go);
  return answer === go ? chosen : undefined;
}

async function run(services: Services, targets: readonly FillTarget[]): Promise<FillOutcome> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Illustrate: filling missing images', cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    progress.report({ message: `0 / ${targets.length}` });
    try {
      return await runFill(services, targets, controller.signal, (p) => {
        progress.report({ message: `${p.done} / ${p.total}${p.failed ? ` · ${p.failed} failed` : ''} · ≈ $${p.cost.toFixed(2)} so far`, increment: 100 / p.total });
      });
    } finally {
      cancel.dispose();
    }
  });
}

/**
 * Fills every missing image of a docs tree (the workspace, a folder, or a markdown file): scan,
 * plan with its cost, run at the server's pace, report.
 */
export async function fillMissingImages(services: Services, resource?: vscode.Uri, args?: FillArgs): Promise<FillResult | undefined> {
  try {
    const root = resource ? vscode.workspace.getWorkspaceFolder(resource)?.uri : vscode.workspace.workspaceFolders?.[0]?.uri;
    const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Illustrate: looking for missing images' }, (_p, token) => scanForMissing(resource, token));
    const rel = (uri: vscode.Uri): string => (root ? relativePath(root.path, uri.path) : uri.path);
    const skipped = plan.skipped.map((s) => ({ target: `${rel(s.document)}: ${s.image.target}`, reason: s.reason }));
    if (!plan.targets.length) {
      void vscode.window.showInformationMessage(`No missing images in ${plan.documents} markdown file${plan.documents === 1 ? '' : 's'}: ${plan.existing} already there, ${plan.skipped.length} skipped.`);
      return { planned: 0, made: [], failed: [], cancelled: [], skipped, existing: plan.existing };
    }
    const targets = args?.confirmed ? plan.targets : await confirmPlan(plan, root);
    if (!targets) {
      return undefined;
    }
    const outcome = await run(services, targets);
    void report(services, plan, outcome, root);
    return {
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
async function report(services: Services, plan: FillPlan, outcome: FillOutcome, root: vscode.Uri | undefined): Promise<void> {
  const summary = `Filled ${outcome.made.length} of ${outcome.made.length + outcome.failed.length + outcome.cancelled.length} missing images · ${outcome.failed.length} failed · ${plan.skipped.length} skipped · ≈ $${outcome.cost.toFixed(2)} · ${Math.round(outcome.durationMs / 1000)} s`;
  const open = 'Open Report';
  const retry = 'Retry Failed';
  const buttons = outcome.failed.length ? [retry, open] : [open];
  const show = outcome.failed.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const choice = await show(summary, ...buttons);
  if (choice === open) {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: fillReport(plan, outcome, root) });
    await vscode.window.showTextDocument(doc, { preview: true });
  } else if (choice === retry) {
    try {
      const again = await run(services, outcome.failed.map((f) => f.target));
      await report(services, { ...plan, skipped: [] }, again, root);
    } catch (e: unknown) {
      void vscode.window.showErrorMessage(formatError(e));
    }
  }
}
