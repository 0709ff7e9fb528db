import * as vscode from 'vscode';
import { isActive } from '../core/batch';
import { formatError } from '../core/errors';
import { formatCost } from '../core/pricing';
import { BatchJobs, JobSummary, StoredJob } from '../platform/batch';

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
  return minutes < 1 ? 'just now' : minutes < 90 ? `${minutes} min ago` : `${Math.round(minutes / 60)} h ago`;
}

function describe(job: StoredJob): { description: string; detail: string } {
  const r = job.report;
  const outcome = r ? ` · ${r.made.length} placed${r.failed.length ? `, ${r.failed.length} not made` : ''}` : '';
  return {
    description: `${job.state} · ${job.targets.length} image${job.targets.length === 1 ? '' : 's'}${outcome}`,
    detail: `submitted ${ago(job.submittedAt)} · ${job.options.model} · ${r ? `≈ $${r.cost.toFixed(2)}` : formatCost(job.estimate)} at batch price`,
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
      void vscode.window.showInformationMessage('No batch jobs in this workspace. Choose "Batch (half price, results later)" when you confirm a Fill Missing Images plan on Google\'s endpoint.');
      return [];
    }
    const cancel: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('close'), tooltip: 'Cancel this job' };
    const remove: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Remove from this list' };
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
    pick.title = 'Illustrate: Batch Jobs';
    pick.placeholder = 'Enter: check a running job now, or open the report of a finished one';
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
