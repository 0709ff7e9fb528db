/** `fill --batch` and `fill --job NAME`: one Batch API job sent, polled with backoff, and its results placed. */
import * as l10n from '@vscode/l10n';
import { BatchEndpoint, BatchStatus, isActive, pollBatch, submitBatch } from '../../core/api/batch';
import { abortableSleep } from '../../core/api/client';
import { ErrorKind, IllustrateError } from '../../core/errors';
import { batchRequests, failureMessage, FillOutcome, FillPlan, FillTarget, fillEstimate } from '../../core/fill/fill';
import { outputFor } from '../../core/images/codec';
import { loadReferences } from '../../core/images/styleReferences';
import { optionsFromSettings } from '../../core/settings';
import { nodeFetch } from '../../node/http';
import { Io, outcomeCode, planJson, reportOutcome, writeReport } from '../output';
import { DiskMade, placeTarget, Session, twinsAfterFill } from '../run';

/** How a batch run reports, and whether it waits for Google. */
interface BatchRun {
  readonly io: Io;
  readonly json: boolean;
  readonly report: string | undefined;
  /** Wait (polling with backoff) until the job ends; otherwise look once. */
  readonly wait: boolean;
  /** Picking up a job sent earlier (`--job`): look at once, and tell results no target wants. */
  readonly resumed: boolean;
  /** The paths the fill was asked for: with illustrate.variants.dark, the placed pictures' twins are planned over their pages. */
  readonly paths: readonly string[];
}

function batchEndpoint(s: Session): BatchEndpoint {
  const settings = s.configured.settings;
  return { baseUrl: settings.baseUrl, authHeader: settings.authHeader, apiKey: s.configured.key as string, timeoutMs: Math.min(settings.requestTimeoutSeconds, 120) * 1000 };
}

/**
 * The CLI keys each request by its image's path in the project, so a later `--job` run (another
 * process, another checkout) matches the results to the targets of its own scan.
 */
function batchKey(s: Session, target: FillTarget<string>): string {
  return s.workspace.relative(target.uri);
}

/** `fill --batch`: one Batch API job at half price; waits for it and places the results, or with --no-wait names the job. */
export async function batchFill(s: Session, plan: FillPlan<string>, run: BatchRun, signal: AbortSignal): Promise<number> {
  const settings = s.configured.settings;
  const references = settings.styleReferences.length ? await loadReferences(settings.styleReferences, s.workspace.references) : [];
  const keyed = batchRequests(plan.targets, settings, references, (t) => batchKey(s, t));
  const status: BatchStatus = await submitBatch(
    batchEndpoint(s),
    optionsFromSettings(settings).model,
    `Illustrate CLI ${new Date().toISOString().slice(0, 16)}`,
    keyed.map((k) => k.item),
    signal,
    { fetch: nodeFetch },
  );
  if (!run.wait) {
    if (run.json) {
      run.io.out(JSON.stringify({ plan: planJson(s, plan, fillEstimate(settings, plan.targets)), ran: false, job: status.name, state: status.state }));
    } else {
      run.io.out(status.name);
      run.io.err(l10n.t('illustrate: batch job {0} submitted ({1} images). Google makes them within 24 h; place them with: illustrate fill --job {0}', status.name, keyed.length));
    }
    return 0;
  }
  run.io.err(l10n.t('illustrate: batch job {0} submitted ({1} images); waiting for Google (up to 24 h). Ctrl+C stops waiting; the job keeps running.', status.name, keyed.length));
  return collectBatch(s, plan, status.name, run, signal);
}

/**
 * Polls job `name` until it ends (or once, without `wait`) and places each result in the target of
 * this run's scan that has its key. A result no target wants (its image was made meanwhile, or
 * its link was removed) is dropped and counted.
 */
export async function collectBatch(s: Session, plan: FillPlan<string>, name: string, run: BatchRun, signal: AbortSignal): Promise<number> {
  const { io, json } = run;
  const settings = s.configured.settings;
  const options = optionsFromSettings(settings);
  const endpoint = batchEndpoint(s);
  const targets = new Map(plan.targets.map((t) => [batchKey(s, t), t]));
  const made: ({ target: FillTarget<string> } & DiskMade)[] = [];
  const failed: { target: FillTarget<string>; message: string; kind: ErrorKind }[] = [];
  const answered = new Set<string>();
  let unwanted = 0;
  let cost = 0;
  const firstWait = Number(process.env.ILLUSTRATE_BATCH_POLL_MS) || 30_000;
  const started = Date.now();
  let status: BatchStatus;
  for (let polls = 0; ; polls++) {
    if (polls > 0 || !run.resumed) {
      await abortableSleep(Math.min(10 * 60_000, firstWait * 1.5 ** Math.min(polls, 30)), signal);
    }
    status = await pollBatch(endpoint, name, signal, { fetch: nodeFetch }, async (result) => {
      const target = targets.get(result.key);
      if (!target || answered.has(result.key)) {
        unwanted++;
        if ('answer' in result) {
          result.answer.image.release();
        }
        return;
      }
      answered.add(result.key);
      if ('error' in result) {
        failed.push({ target, message: result.error.message, kind: result.error.kind });
        return;
      }
      try {
        const image = await s.generator.finish(s.generator.fromAnswer(result.answer, target.prompt, options, settings, Date.now() - started, 'batch'), outputFor(target.uri, settings.output), signal);
        const file = await placeTarget(s, target, image);
        cost += image.cost ?? 0;
        made.push({ target, file, image });
      } catch (e: unknown) {
        failed.push({ target, message: failureMessage(e), kind: e instanceof IllustrateError ? e.kind : 'unexpected' });
      }
    });
    if (!isActive(status.state)) {
      break;
    }
    if (!run.wait) {
      if (json) {
        io.out(JSON.stringify({ job: status.name, state: status.state, ran: false }));
      } else {
        io.err(l10n.t('illustrate: batch job {0} is still {1}; nothing was placed. Run the same command again later.', status.name, status.state));
      }
      return 0;
    }
    if (!json) {
      io.err(l10n.t('illustrate: batch job {0}…', status.state));
    }
  }
  // A job picked up later reports on the images it answered, not on every gap the scan found.
  const reported: FillPlan<string> = run.resumed ? { ...plan, targets: plan.targets.filter((t) => answered.has(batchKey(s, t))) } : plan;
  const outcome: FillOutcome<string, DiskMade> = {
    made,
    failed,
    cancelled: [],
    cost,
    durationMs: Date.now() - started,
    stopped: status.state === 'succeeded' || status.state === 'partial' ? undefined : status.error ? l10n.t('the batch job ended {0}: {1}', status.state, status.error) : l10n.t('the batch job ended {0}', status.state),
  };
  if (unwanted && !json) {
    io.err(
      unwanted === 1
        ? l10n.t('illustrate: 1 image of the job had no missing link to go to (made meanwhile, or its link was removed); it was not written.')
        : l10n.t('illustrate: {0} images of the job had no missing link to go to (made meanwhile, or their links were removed); they were not written.', unwanted),
    );
  }
  // With illustrate.variants.dark, each placed picture's twin: an ordinary image edit, made now.
  const twins = await twinsAfterFill(s, run.paths, made.map((m) => m.file), signal);
  reportOutcome(s, reported, outcome, io, json, { job: status.name, unplaced: unwanted }, twins);
  await writeReport(run.report, s, reported, outcome);
  if (outcome.stopped && !made.length) {
    return 1;
  }
  return outcomeCode(outcome);
}
