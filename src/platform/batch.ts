/**
 * Fill Missing Images at half price: the plan's targets sent as one Google Batch API job, kept in
 * workspace state, polled with backoff while VS Code is open (again after a reload), and placed
 * through the same pipeline as an interactive fill when the job ends.
 */
import * as vscode from 'vscode';
import { BatchEndpoint, BatchResult, BatchState, BatchStatus, cancelBatch, isActive, pollBatch, submitBatch } from '../core/api/batch';
import { formatError, IllustrateError } from '../core/errors';
import { GenerationOptions } from '../core/api/models';
import { markdownCode, markdownText } from '../core/escape';
import { relativePath } from '../core/paths';
import { AuthHeaderStyle } from '../core/api/request';
import { batchRequests } from '../core/fill/fill';
import { endpointForKey, optionsFromSettings, Settings } from '../core/settings';
import { fillEstimate } from '../core/fill/fill';
import { outputFor } from '../core/images/codec';
import { failureMessage, FillTarget, placeTarget, relink, RunDocuments } from './fill';
import { placeImage, scopeFor, uriExists } from './placement';
import { Services } from './services';
import { readSettings } from './settings';
import { loadStyleReferences } from './styleReferences';

const STATE_KEY = 'illustrate.batchJobs';
/** Longest wait between two polls of a job. */
const MAX_POLL_MS = 10 * 60 * 1000;

export interface StoredTarget {
  readonly key: string;
  readonly uri: string;
  readonly prompt: string;
  readonly documents: readonly string[];
}

export interface JobReport {
  readonly made: readonly string[];
  readonly failed: readonly { readonly uri: string; readonly message: string }[];
  readonly skipped: readonly { readonly uri: string; readonly reason: string }[];
  readonly cost: number;
  /** With illustrate.variants.dark: the twins made for the placed pictures (relative to the workspace folder), those that failed and why, their cost. */
  readonly darkTwins?: { readonly made: readonly string[]; readonly failed: readonly string[]; readonly cost: number };
}

/**
 * What runs once a job's pictures are placed: with illustrate.variants.dark, their dark twins
 * (ordinary image edits, their own change). Given by the extension, which owns that command.
 */
export type AfterPlaced = (placed: readonly vscode.Uri[]) => Promise<JobReport['darkTwins']>;

export interface StoredJob {
  readonly name: string;
  readonly label: string;
  readonly options: GenerationOptions;
  /** Where it was sent: polls go there (a user-level setting when it was submitted). */
  readonly baseUrl: string;
  readonly authHeader: AuthHeaderStyle;
  readonly submittedAt: number;
  readonly estimate?: number;
  readonly targets: readonly StoredTarget[];
  readonly state: BatchState;
  readonly polls: number;
  readonly finishedAt?: number;
  readonly error?: string;
  readonly report?: JobReport;
}

/** What `illustrate.showBatchJobs` answers to automation. */
export interface JobSummary {
  readonly name: string;
  readonly label: string;
  readonly state: BatchState;
  readonly images: number;
  readonly report?: JobReport;
}

/** The batch cost of `targets` (one job: one folder's settings): half the interactive estimate, as Google bills batch. */
export function batchEstimate(settings: Settings, targets: readonly FillTarget[]): number | undefined {
  const interactive = fillEstimate(settings, targets);
  return interactive === undefined ? undefined : interactive / 2;
}

export class BatchJobs implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('illustrate.batchJobs', vscode.StatusBarAlignment.Left, 9);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private polling: Promise<void> | undefined;
  private disposed = false;
  private readonly stop = new AbortController();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly services: Services,
    /** The first wait between polls; it grows by half each poll, to at most 10 minutes. */
    private readonly firstPollMs = 30_000,
    private readonly afterPlaced?: AfterPlaced,
  ) {
    this.item.name = vscode.l10n.t('Illustrate Batch Jobs');
    this.item.command = 'illustrate.showBatchJobs';
    this.render();
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    this.stop.abort();
    clearTimeout(this.timer);
    this.item.dispose();
    this.changed.dispose();
  }

  get jobs(): readonly StoredJob[] {
    const raw = this.services.workspaceState.get<unknown>(STATE_KEY);
    return Array.isArray(raw) ? (raw.filter((j) => typeof j === 'object' && j !== null && typeof (j as StoredJob).name === 'string') as StoredJob[]) : [];
  }

  summaries(): JobSummary[] {
    return this.jobs.map((j) => ({ name: j.name, label: j.label, state: j.state, images: j.targets.length, report: j.report }));
  }

  private async save(jobs: readonly StoredJob[]): Promise<void> {
    await this.services.workspaceState.update(STATE_KEY, jobs);
    this.render();
    this.changed.fire();
  }

  private async update(name: string, change: (job: StoredJob) => StoredJob): Promise<void> {
    await this.save(this.jobs.map((j) => (j.name === name ? change(j) : j)));
  }

  private render(): void {
    const pending = this.jobs.filter((j) => isActive(j.state));
    if (!pending.length) {
      this.item.hide();
      return;
    }
    const images = pending.reduce((n, j) => n + j.targets.length, 0);
    this.item.text = `$(cloud-upload) ${pending.length}`;
    this.item.accessibilityInformation = { label: vscode.l10n.t('Illustrate batch jobs: {0} running', pending.length) };
    this.item.tooltip = pending.length === 1 ? vscode.l10n.t('Illustrate: 1 batch job running at Google ({0} images). Click to see it.', images) : vscode.l10n.t('Illustrate: {0} batch jobs running at Google ({1} images). Click to see them.', pending.length, images);
    this.item.show();
  }

  /** Sends the targets as one job; returns it once Google has accepted it. */
  async submit(targets: readonly FillTarget[], root: vscode.Uri | undefined, signal: AbortSignal): Promise<StoredJob> {
    const chosen = readSettings(targets[0]?.links[0]?.document);
    const apiKey = await this.services.keys.require(chosen.baseUrl, signal);
    const { settings } = endpointForKey(chosen, apiKey);
    const options = optionsFromSettings(settings);
    const references = settings.styleReferences.length ? await loadStyleReferences(settings.styleReferences) : [];
    const label = `${root ? root.path.split('/').pop() : 'docs'} ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;
    const keyed = batchRequests(targets, settings, references);
    const status = await submitBatch(
      this.endpoint(settings.baseUrl, settings.authHeader, apiKey, settings.requestTimeoutSeconds),
      options.model,
      `Illustrate: ${label}`,
      keyed.map((k) => k.item),
      signal,
      { fetch: this.services.fetch },
    );
    const job: StoredJob = {
      name: status.name,
      label,
      options,
      baseUrl: settings.baseUrl,
      authHeader: settings.authHeader,
      submittedAt: Date.now(),
      estimate: batchEstimate(settings, targets),
      targets: keyed.map(({ key, target }) => ({ key, uri: target.uri.toString(), prompt: target.prompt, documents: [...new Set(target.links.map((l) => l.document.toString()))] })),
      state: status.state,
      polls: 0,
    };
    this.services.log.info(`batch: submitted ${job.name} with ${targets.length} request(s)`);
    await this.save([job, ...this.jobs.filter((j) => j.name !== job.name)]);
    this.schedule();
    return job;
  }

  private endpoint(baseUrl: string, authHeader: AuthHeaderStyle, apiKey: string, timeoutSeconds = 60): BatchEndpoint {
    return { baseUrl, authHeader, apiKey, timeoutMs: Math.min(timeoutSeconds, 120) * 1000 };
  }

  /** The next poll, after the shortest wait any pending job asks for. */
  private schedule(): void {
    clearTimeout(this.timer);
    const pending = this.jobs.filter((j) => isActive(j.state));
    if (this.disposed || !pending.length) {
      return;
    }
    const polls = Math.min(...pending.map((j) => j.polls));
    const wait = Math.min(MAX_POLL_MS, Math.round(this.firstPollMs * 1.5 ** Math.min(polls, 30)));
    this.timer = setTimeout(() => void this.checkNow(), wait);
  }

  /** Polls every pending job once (one poll at a time), placing the results of those that ended. */
  checkNow(): Promise<void> {
    if (!this.polling) {
      this.polling = this.pollAll().finally(() => {
        this.polling = undefined;
        this.schedule();
      });
    }
    return this.polling;
  }

  private async pollAll(): Promise<void> {
    const apiKey = await this.services.keys.get();
    if (!apiKey) {
      this.item.tooltip = vscode.l10n.t('Illustrate: batch jobs are waiting, but no API key is set. Run "Illustrate: Set API Key".');
      return;
    }
    for (const job of this.jobs.filter((j) => isActive(j.state))) {
      if (this.disposed) {
        return;
      }
      await this.pollOne(job, apiKey);
    }
  }

  private async pollOne(job: StoredJob, apiKey: string): Promise<void> {
    const documents = new RunDocuments();
    const made: string[] = [];
    const failed: { uri: string; message: string }[] = [];
    const skipped: { uri: string; reason: string }[] = [];
    let cost = 0;
    const byKey = new Map(job.targets.map((t) => [t.key, t]));
    const place = async (result: BatchResult): Promise<void> => {
      const target = byKey.get(result.key);
      if (!target) {
        if ('answer' in result) {
          result.answer.image.release();
        }
        return;
      }
      if ('error' in result) {
        failed.push({ uri: target.uri, message: result.error.message });
        return;
      }
      try {
        const uri = vscode.Uri.parse(target.uri, true);
        if (await uriExists(uri)) {
          result.answer.image.release();
          skipped.push({ uri: target.uri, reason: vscode.l10n.t('a file is there already') });
          return;
        }
        const docs = target.documents.map((d) => vscode.Uri.parse(d, true));
        const settings = readSettings(docs[0]);
        const image = await this.services.generator.finish(this.services.generator.fromAnswer(result.answer, target.prompt, job.options, settings, Date.now() - job.submittedAt, 'batch'), outputFor(uri.path, settings.output));
        const fill = await relink(uri, target.prompt, docs);
        if (fill) {
          await placeTarget(fill, image, documents);
        } else {
          // Every link to it was removed meanwhile: the paid-for image is still saved where it was planned.
          await placeImage({ scope: scopeFor(docs[0]), settings, prompt: target.prompt, model: image.options.model, image, wanted: uri, link: { kind: 'none' } });
        }
        cost += image.cost ?? 0;
        made.push(target.uri);
      } catch (e: unknown) {
        if ('answer' in result) {
          result.answer.image.release();
        }
        failed.push({ uri: target.uri, message: failureMessage(e) });
      }
    };
    let status: BatchStatus;
    try {
      status = await pollBatch(this.endpoint(job.baseUrl, job.authHeader, apiKey), job.name, this.stop.signal, { fetch: this.services.fetch }, place);
    } catch (e: unknown) {
      // A network hiccup is tried again at the next poll; a job Google no longer knows ends here.
      this.services.log.warn(`batch: polling ${job.name} failed: ${formatError(e)}`);
      if (e instanceof IllustrateError && e.detail.status === 404) {
        await this.update(job.name, (j) => ({ ...j, state: 'failed', error: e.message, finishedAt: Date.now(), polls: j.polls + 1 }));
        void vscode.window.showErrorMessage(vscode.l10n.t('Batch job "{0}": {1} Remove it in "Illustrate: Show Batch Jobs".', job.label, e.message));
      } else {
        await this.update(job.name, (j) => ({ ...j, polls: j.polls + 1 }));
      }
      return;
    }
    if (isActive(status.state)) {
      await this.update(job.name, (j) => ({ ...j, state: status.state, polls: j.polls + 1 }));
      return;
    }
    await documents.saveTouched();
    const darkTwins = made.length && this.afterPlaced ? await this.afterPlaced(made.map((u) => vscode.Uri.parse(u, true))).catch((e: unknown) => ({ made: [], failed: [formatError(e)], cost: 0 })) : undefined;
    // Every image the job did not make is reported, with why.
    const accounted = new Set([...made, ...failed.map((f) => f.uri), ...skipped.map((s) => s.uri)]);
    const why = notMadeReason(status);
    for (const t of job.targets) {
      if (!accounted.has(t.uri)) {
        failed.push({ uri: t.uri, message: why });
      }
    }
    const report: JobReport = { made, failed, skipped, cost, ...(darkTwins ? { darkTwins } : {}) };
    await this.update(job.name, (j) => ({ ...j, state: status.state, error: status.error, report, finishedAt: Date.now(), polls: j.polls + 1 }));
    this.services.log.info(`batch: ${job.name} ended ${status.state}: ${made.length} placed, ${failed.length} failed, ${skipped.length} skipped`);
    void this.announce({ ...job, state: status.state, error: status.error, report });
  }

  private async announce(job: StoredJob): Promise<void> {
    const report = job.report!;
    const open = vscode.l10n.t('Open Report');
    const again = vscode.l10n.t('Fill Again');
    let message: string;
    if (job.state === 'expired') {
      message = vscode.l10n.t('Batch job "{0}" expired: Google did not run it within 48 hours, so none of its {1} images was made. Run Fill Missing Images again.', job.label, job.targets.length);
    } else if (job.state === 'failed') {
      message = job.error ? vscode.l10n.t('Batch job "{0}" failed: {1}. No image was made; run Fill Missing Images again.', job.label, job.error) : vscode.l10n.t('Batch job "{0}" failed. No image was made; run Fill Missing Images again.', job.label);
    } else if (job.state === 'cancelled') {
      message = report.made.length ? vscode.l10n.t('Batch job "{0}" was cancelled; {1} images were placed.', job.label, report.made.length) : vscode.l10n.t('Batch job "{0}" was cancelled; no image was made.', job.label);
    } else {
      message = vscode.l10n.t('Batch job "{0}": {1} of {2} images placed{3} · ≈ ${4} at batch price.', job.label, report.made.length, job.targets.length, report.failed.length ? vscode.l10n.t(' · {0} failed', report.failed.length) : '', report.cost.toFixed(2));
    }
    const twins = report.darkTwins;
    if (twins) {
      message += ` ${vscode.l10n.t('Dark twins: {0} made, {1} failed (≈ ${2}).', twins.made.length, twins.failed.length, twins.cost.toFixed(2))}${twins.failed.length ? ` ${twins.failed[0]}` : ''}`;
    }
    const bad = report.failed.length > 0 || job.state !== 'succeeded' || (twins?.failed.length ?? 0) > 0;
    const buttons = bad ? [again, open] : [open];
    const choice = await (bad ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(message, ...buttons);
    if (choice === open) {
      await this.openReport(job.name);
    } else if (choice === again) {
      await vscode.commands.executeCommand('illustrate.fillMissingImages');
    }
  }

  async openReport(name: string): Promise<void> {
    const job = this.jobs.find((j) => j.name === name);
    if (job) {
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: batchReport(job) });
      await vscode.window.showTextDocument(doc, { preview: true });
    }
  }

  async cancel(name: string): Promise<void> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job || !isActive(job.state)) {
      return;
    }
    const apiKey = await this.services.keys.require(job.baseUrl);
    await cancelBatch(this.endpoint(job.baseUrl, job.authHeader, apiKey), job.name, this.stop.signal, { fetch: this.services.fetch });
    // Google may still finish some requests before it stops: the next poll reads the final state.
    await this.checkNow();
  }

  async remove(name: string): Promise<void> {
    await this.save(this.jobs.filter((j) => j.name !== name));
    this.schedule();
  }
}

function notMadeReason(status: BatchStatus): string {
  switch (status.state) {
    case 'expired':
      return vscode.l10n.t('not made: the batch job expired before Google ran it');
    case 'cancelled':
      return vscode.l10n.t('not made: the batch job was cancelled');
    case 'failed':
      return status.error ? vscode.l10n.t('not made: the batch job failed ({0})', status.error) : vscode.l10n.t('not made: the batch job failed');
    default:
      return vscode.l10n.t('not made: the batch job returned no result for it');
  }
}

/** The job's report, as markdown: every image, made or not, and why. */
export function batchReport(job: StoredJob): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const rel = (u: string): string => {
    const uri = vscode.Uri.parse(u);
    return folder ? relativePath(folder.path, uri.path) : uri.path;
  };
  const r = job.report ?? { made: [], failed: [], skipped: [], cost: 0 };
  const lines = [
    vscode.l10n.t('# Illustrate: batch job {0}', job.label),
    '',
    vscode.l10n.t('{0} · {1} placed, {2} not made, {3} skipped · ≈ ${4} at batch price · {5} · submitted {6} UTC', job.state, r.made.length, r.failed.length, r.skipped.length, r.cost.toFixed(3), job.options.model, new Date(job.submittedAt).toISOString().slice(0, 16).replace('T', ' ')),
    '',
  ];
  // Paths and the API's messages are outside text: code spans and prose escaped for markdown.
  if (r.made.length) {
    lines.push('## Placed', '', ...r.made.map((u) => `- ${markdownCode(rel(u))}`), '');
  }
  if (r.failed.length) {
    lines.push(`## ${vscode.l10n.t('Not made')}`, '', ...r.failed.map((f) => `- ${markdownCode(rel(f.uri))} — ${markdownText(f.message)}`), '');
  }
  if (r.skipped.length) {
    lines.push('## Skipped', '', ...r.skipped.map((s) => `- ${markdownCode(rel(s.uri))} — ${markdownText(s.reason)}`), '');
  }
  const twins = r.darkTwins;
  if (twins) {
    lines.push(`## ${vscode.l10n.t('Dark twins (≈ ${0} at the full price)', twins.cost.toFixed(3))}`, '', ...twins.made.map((t) => `- ${markdownCode(t)}`), ...twins.failed.map((f) => `- ${markdownText(f)}`), '');
  }
  return lines.join('\n');
}
