import * as vscode from 'vscode';
import { isActive } from '../core/api/batch';
import { formatError } from '../core/errors';
import { formatCost } from '../core/api/pricing';
import { BatchJobs, JobSummary, StoredJob } from '../platform/batch';
import { images } from './fillMissingImages';

/** For automation (a test, a keybinding): act on a job without the list. */
export interface BatchJobsArgs {
  readonly action: 'list' | 'check' | 'cancel' | 'remove';
  readonly name?: string;
}

function parseArgs(args: unknown): BatchJobsArgs | undefined {
  if (typeof args !== 'object' || args === null) {
    return undefined;
  }
  const { action, name } = args as Record<string, unknown>;
  if (action !== 'list' && action !== 'check' && action !== 'cancel' && action !== 'remove') {
    return undefined;
  }
  return { action, name: typeof name === 'string' ? name : undefined };
}

const ICONS: Readonly<Record<string, string>> = {
  pending: '$(clock)',
  running: '$(sync~spin)',
  succeeded: '$(pass)',
  partial: '$(warning)',
  failed: '$(error)',
  cancelled: '$(circle-slash)',
  expired: '$(history)',
};

function ago(ms: number): string {
  const minutes = Math.round((Date.now() - ms) / 60000);
  return minutes < 1 ? vscode.l10n.t('just now') : minutes < 90 ? vscode.l10n.t('{0} min ago', minutes) : vscode.l10n.t('{0} h ago', Math.round(minutes / 60));
}

function describe(job: StoredJob): { description: string; detail: string } {
  const r = job.report;
  const outcome = r ? r.failed.length ? vscode.l10n.t(' · {0} placed, {1} not made', r.made.length, r.failed.length) : vscode.l10n.t(' · {0} placed', r.made.length) : '';
  return {
    description: `${job.state} · ${images(job.targets.length)}${outcome}`,
    detail: vscode.l10n.t('submitted {0} · {1} · {2} at batch price', ago(job.submittedAt), job.options.model, r ? `≈ $${r.cost.toFixed(2)}` : formatCost(job.estimate)),
  };
}

/** `Illustrate: Show Batch Jobs`: the jobs of this workspace; check, cancel, open a report, remove. */
export async function showBatchJobs(jobs: BatchJobs, rawArgs?: unknown): Promise<JobSummary[] | undefined> {
  const args = parseArgs(rawArgs);
  try {
    if (args) {
      if (args.action === 'check') {
        await jobs.checkNow();
      } else if (args.action === 'cancel' && args.name) {
        await jobs.cancel(args.name);
      } else if (args.action === 'remove' && args.name) {
        await jobs.remove(args.name);
      }
      return jobs.summaries();
    }
    if (!jobs.jobs.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No batch jobs in this workspace. Choose "Batch (half price, results later)" when you confirm a Fill Missing Images plan on Google\'s endpoint.'));
      return [];
    }
    const cancel: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('close'), tooltip: vscode.l10n.t('Cancel this job') };
    const remove: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: vscode.l10n.t('Remove from this list') };
    type Item = vscode.QuickPickItem & { job: StoredJob };
    const pick = vscode.window.createQuickPick<Item>();
    const fill = (): void => {
      pick.items = jobs.jobs.map((job) => ({
        label: `${ICONS[job.state] ?? ''} ${job.label}`,
        ...describe(job),
        job,
        buttons: isActive(job.state) ? [cancel] : [remove],
      }));
    };
    fill();
    pick.title = vscode.l10n.t('Illustrate: Batch Jobs');
    pick.placeholder = vscode.l10n.t('Enter: check a running job now, or open the report of a finished one');
    const listening = jobs.onDidChange(fill);
    pick.onDidTriggerItemButton(async (e) => {
      try {
        if (e.button === cancel) {
          await jobs.cancel(e.item.job.name);
        } else {
          await jobs.remove(e.item.job.name);
        }
      } catch (err: unknown) {
        void vscode.window.showErrorMessage(formatError(err));
      }
    });
    pick.onDidAccept(async () => {
      const job = pick.selectedItems[0]?.job;
      pick.hide();
      if (!job) {
        return;
      }
      if (isActive(job.state)) {
        await jobs.checkNow();
      } else {
        await jobs.openReport(job.name);
      }
    });
    pick.onDidHide(() => {
      listening.dispose();
      pick.dispose();
    });
    pick.show();
    return jobs.summaries();
  } catch (e: unknown) {
    void vscode.window.showErrorMessage(formatError(e));
    return undefined;
  }
}
