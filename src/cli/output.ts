/**
 * What the tool writes and returns: the terminal (`Io`) and its GitHub Actions guard, exit codes,
 * the question before spending, the progress bar, and the fill plan and outcome (as lines, as JSON,
 * as the --report file) that fill and its batch share.
 */
import { noKeyMessage } from './config';
import { IllustrateError } from '../core/errors';
import * as l10n from '@vscode/l10n';
import { GenerationLog, weightNote } from '../core/api/generator';
import { formatCost } from '../core/api/pricing';
import { linkText } from '../core/docs/docScan';
import { describeSite } from '../core/docs/sites';
import { ErrorKind } from '../core/errors';
import { actionsLogLine, printable } from '../core/escape';
import { FillOutcome, FillPlan, FillProgress, fillEstimate, fillReport } from '../core/fill/fill';
import { DarkJobOutcome } from '../core/fill/dark';
import { DiskMade, Session } from './run';
import { posix } from 'path';
import { MadeReview, madeReviewJson, retrySaid, ReviewPlan, reviewPlan, verdictLine } from '../core/review/made';

/** Where the tool writes: results to stdout, everything else to stderr. */
export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** A terminal on both ends: the plan is asked about, progress is a bar. */
  readonly interactive: boolean;
  readonly ask: (question: string) => Promise<string>;
  readonly progress: (line: string) => void;
  /** Where an annotation made by `actionsAnnotation` goes as it is (set by `actionsIo`; else `out`). */
  readonly annotation?: (line: string) => void;
}

/**
 * In GitHub Actions the runner reads every line of stdout and stderr for workflow commands: each
 * line the tool writes goes through `actionsLogLine` (none can start one); only the annotations
 * `--format github` builds (`actionsAnnotation`) are written as they are.
 */
export function actionsIo(io: Io): Io {
  const lines = (write: (line: string) => void) => (text: string) => text.split('\n').forEach((line) => write(actionsLogLine(line)));
  return { ...io, out: lines(io.out), err: lines(io.err), progress: (line) => io.progress(actionsLogLine(line)), annotation: io.out };
}

/** Writes an annotation made by `actionsAnnotation` (already escaped) to stdout. */
export function annotate(io: Io, annotation: string): void {
  (io.annotation ?? io.out)(annotation);
}

export function exitCodeOf(kind: ErrorKind): number {
  switch (kind) {
    case 'noKey':
    case 'badKey':
    case 'permission':
      return 3;
    case 'network':
    case 'timeout':
    case 'redirect':
      return 4;
    case 'options':
    case 'destination':
      return 2;
    default:
      return 1;
  }
}

/** The exit code of a run: what failed, and why. */
export function outcomeCode(outcome: { made: readonly unknown[]; failed: readonly { kind: ErrorKind }[] }): number {
  if (!outcome.failed.length) {
    return 0;
  }
  if (outcome.failed.some((f) => exitCodeOf(f.kind) === 3)) {
    return 3;
  }
  if (!outcome.made.length && outcome.failed.every((f) => exitCodeOf(f.kind) === 4)) {
    return 4;
  }
  return 1;
}

export function logTo(io: Io, verbose: boolean): GenerationLog {
  const line = (level: string) => (text: string) => {
    if (verbose) {
      io.err(`[${level}] ${text}`);
    }
  };
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

/**
 * Whether to spend: with --yes, yes; on a terminal, the plan on stderr and a [y/N] question;
 * elsewhere the plan (`show`) and a note, and nothing is spent.
 */
export async function confirm(io: Io, yes: boolean, show: () => void, lines: () => string[], text: { readonly question: string; readonly notAsked: string; readonly declined: string }): Promise<boolean> {
  if (yes) {
    return true;
  }
  if (!io.interactive) {
    show();
    io.err(text.notAsked);
    return false;
  }
  lines().forEach((l) => io.err(l));
  if (!/^y(es)?$/i.test((await io.ask(text.question)).trim())) {
    io.err(text.declined);
    return false;
  }
  return true;
}

/** Asks before spending (`confirm`), then makes sure there is a key: false when nothing is to be spent. */
export async function askToSpend(io: Io, yes: boolean, show: () => void, lines: () => string[], text: { readonly question: string; readonly notAsked: string; readonly declined: string }, key: string | undefined): Promise<boolean> {
  if (!(await confirm(io, yes, show, lines, text))) {
    return false;
  }
  if (!key) {
    throw new IllustrateError('noKey', noKeyMessage());
  }
  return true;
}

/**
 * The plan of a run over images, then the run (`illustrate alt`, `illustrate review`): with
 * --dry-run or nothing to do, the plan (`planJson` as `{plan, ran: false}` with --json, else its
 * lines) and nothing spent; otherwise asked (`askToSpend`), then `run` with a progress bar on a
 * terminal. Undefined when nothing ran.
 */
export async function planAskRun<R>(
  io: Io,
  plan: { readonly count: number; readonly json: boolean; readonly dryRun: boolean; readonly yes: boolean; readonly key: string | undefined; readonly planJson: unknown; readonly lines: () => string[] },
  text: { readonly question: string; readonly notAsked: string; readonly declined: string },
  run: (onProgress: (p: FillProgress) => void) => Promise<R>,
): Promise<R | undefined> {
  const show = (): void => {
    if (plan.json) {
      io.out(JSON.stringify({ plan: plan.planJson, ran: false }));
    } else {
      plan.lines().forEach((l) => io.out(l));
    }
  };
  if (!plan.count || plan.dryRun) {
    show();
    return undefined;
  }
  if (!(await askToSpend(io, plan.yes, show, plan.lines, text, plan.key))) {
    return undefined;
  }
  const bars = io.interactive && !plan.json;
  const ran = await run((p) => {
    if (bars) {
      io.progress(bar(p.done, p.failed, p.total, p.cost));
    }
  });
  if (bars) {
    io.progress('');
  }
  return ran;
}

export function bar(done: number, failed: number, total: number, cost: number, reviewing = 0): string {
  const width = 24;
  const filled = total ? Math.round(((done + failed) / total) * width) : width;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done + failed}/${total}${failed ? l10n.t(' · {0} failed', failed) : ''}${reviewing ? l10n.t(' · reviewing {0}', reviewing) : ''} · $${cost.toFixed(3)}`;
}

/** The sites the plan's pages belong to, one line each. */
function siteLines(s: Session, plan: FillPlan<string>): string[] {
  return (plan.sites ?? []).map((site) => {
    const d = describeSite(site, (p) => s.workspace.relative(p));
    return l10n.t('  site: {0} at {1} · / is served from {2}{3}', d.generator, d.root || '.', d.publicDirs.join(', ') || '.', d.base !== '/' ? l10n.t(' · base {0}', d.base) : '') + (d.notes.length ? ` (${printable(d.notes.join('; '))})` : '');
  });
}

/** The reviews of a plan, as a line: the mode, the model, the price per image, and in retry mode the most retries could add. */
function reviewPlanLine(review: ReviewPlan): string {
  const retries = review.mode === 'retry' ? l10n.t(' · a failed picture is made once more: at most {0} more if every one fails', formatCost(review.retriesAtMost)) : '';
  return l10n.t('  review: {0} with {1} · {2} an image{3}', review.mode, printable(review.model), formatCost(review.perImage), retries);
}

/** The plan as lines; `price` is what the run costs (half the estimate for a batch; the reviews included). */
export function planLines(s: Session, plan: FillPlan<string>, price: number | undefined, batch: boolean, stale = false, review?: ReviewPlan): string[] {
  const settings = s.configured.settings;
  const lines = [
    `${stale ? (plan.targets.length === 1 ? l10n.t('1 stale image') : l10n.t('{0} stale images', plan.targets.length)) : plan.targets.length === 1 ? l10n.t('1 missing image') : l10n.t('{0} missing images', plan.targets.length)}${plan.documents === 1 ? l10n.t(' in 1 document') : l10n.t(' in {0} documents', plan.documents)} · ${settings.model} ${settings.imageSize || ''} · ${formatCost(price)}${batch ? l10n.t(' (batch, half price)') : ''}${settings.style ? l10n.t(' · style: {0}', printable(settings.style.slice(0, 60))) : ''}`,
  ];
  lines.push(...siteLines(s, plan));
  if (review && plan.targets.length) {
    lines.push(reviewPlanLine(review));
  }
  for (const t of plan.targets) {
    lines.push(`  + ${printable(s.workspace.relative(t.uri))} — ${printable(t.prompt)}`);
    for (const l of t.links.slice(0, 3)) {
      lines.push(`      ${printable(s.workspace.relative(l.document))}:${l.line}  ${printable(linkText(l.image)).slice(0, 200)}`);
    }
    if (t.links.length > 3) {
      lines.push(l10n.t('      … and {0} more links', t.links.length - 3));
    }
  }
  for (const k of plan.skipped) {
    lines.push(l10n.t('  - {0}: {1} — skipped: {2}', `${printable(s.workspace.relative(k.document))}${k.line ? `:${k.line}` : ''}`, printable(linkText(k.image)).slice(0, 200), printable(k.reason)));
  }
  if (plan.existing) {
    lines.push(l10n.t('  {0} already there', plan.existing));
  }
  return lines;
}

/** A plan's reviews as data: null when off. */
function reviewPlanJson(review: ReviewPlan | undefined): Record<string, unknown> | null {
  return review ? { mode: review.mode, model: review.model, perImage: review.perImage ?? null, cost: review.cost ?? null, retriesAtMost: review.retriesAtMost ?? null } : null;
}

export function planJson(s: Session, plan: FillPlan<string>, cost: number | undefined, review?: ReviewPlan): Record<string, unknown> {
  return {
    documents: plan.documents,
    existing: plan.existing,
    estimatedCost: cost ?? null,
    review: reviewPlanJson(review),
    model: s.configured.settings.model,
    endpoint: s.configured.settings.baseUrl,
    sites: (plan.sites ?? []).map((site) => describeSite(site, (p) => s.workspace.relative(p))),
    targets: plan.targets.map((t) => ({
      file: s.workspace.relative(t.uri),
      prompt: t.prompt,
      documents: [...new Set(t.links.map((l) => s.workspace.relative(l.document)))],
      links: t.links.map((l) => ({ document: s.workspace.relative(l.document), line: l.line, link: l.image.target, alt: l.image.alt, copy: l.copy })),
      otherAlts: t.otherAlts ?? [],
    })),
    skipped: plan.skipped.map((k) => ({ document: s.workspace.relative(k.document), line: k.line ?? null, target: k.image.target, alt: k.image.alt, file: k.uri ? s.workspace.relative(k.uri) : null, reason: k.reason })),
  };
}

export function reportOutcome(s: Session, plan: FillPlan<string>, outcome: FillOutcome<string, DiskMade>, io: Io, json: boolean, batch?: { job: string; unplaced: number }, twins?: DarkJobOutcome<string>): void {
  const rel = (p: string): string => s.workspace.relative(p);
  if (json) {
    io.out(
      JSON.stringify({
        ...(batch ? { job: batch.job, unplaced: batch.unplaced } : {}),
        plan: planJson(s, plan, fillEstimate(s.configured.settings, plan.targets), batch ? undefined : reviewPlan(s.configured.settings, plan.targets)),
        ran: true,
        made: outcome.made.map((m) => ({
          file: rel(m.file),
          prompt: m.target.prompt,
          width: m.image.width,
          height: m.image.height,
          format: m.image.format,
          bytes: m.image.bytes.length,
          receivedBytes: m.image.receivedBytes,
          cost: m.image.cost ?? null,
          ...(m.review ? { review: madeReviewJson(m.review) } : {}),
        })),
        failed: outcome.failed.map((f) => ({ file: rel(f.target.uri), prompt: f.target.prompt, message: f.message })),
        notStarted: outcome.cancelled.map((c) => rel(c.uri)),
        stopped: outcome.stopped ?? null,
        cost: outcome.cost,
        review: outcome.review ?? null,
        durationMs: outcome.durationMs,
        ...(twins ? { darkTwins: twinsJson(s, twins) } : {}),
      }),
    );
    return;
  }
  for (const m of outcome.made) {
    const weight = weightNote(m.image);
    io.out(l10n.t('made {0} ({1}×{2} {3})', printable(rel(m.file)), m.image.width, m.image.height, weight || m.image.format.toUpperCase()));
    reviewLines(m.review).forEach((l) => io.out(`  ${l}`));
  }
  for (const f of outcome.failed) {
    io.out(l10n.t('failed {0}: {1}', printable(rel(f.target.uri)), printable(f.message)));
  }
  if (outcome.stopped) {
    io.err(`illustrate: stopped: ${outcome.stopped}`);
  }
  io.err(
    l10n.t('Filled {0} of {1} · {2} failed · {3} not started · {4} skipped · ≈ ${5} · {6} s', outcome.made.length, plan.targets.length, outcome.failed.length, outcome.cancelled.length, plan.skipped.length, outcome.cost.toFixed(3), (outcome.durationMs / 1000).toFixed(1)),
  );
  const r = outcome.review;
  if (r) {
    io.err(l10n.t('Reviewed: {0} passed · {1} failed · {2} not reviewed · {3} made again ({4} kept) · reviews ≈ ${5}, pictures made again ≈ ${6}', r.passed, r.failed, r.unreviewed, r.retried, r.keptRetries, r.cost.toFixed(4), r.retryCost.toFixed(3)));
  }
  if (twins) {
    for (const m of twins.outcome.made) {
      io.err(l10n.t('made {0} ({1}×{2} {3}), the dark twin of {4}', printable(rel(m.target.twin)), m.image.width, m.image.height, m.image.format.toUpperCase(), printable(rel(m.target.uri))));
    }
    for (const f of twins.outcome.failed) {
      io.err(l10n.t('failed {0}: {1}', printable(rel(f.target.uri)), printable(f.message)));
    }
    twins.unwritten.forEach((m) => io.err(l10n.t('not written: {0}', printable(m))));
  }
}

/** The dark twins a fill made after its pictures, in `--json`: each twin and its picture, what failed, what was not written. */
function twinsJson(s: Session, twins: DarkJobOutcome<string>): object {
  const rel = (p: string): string => s.workspace.relative(p);
  return {
    made: twins.outcome.made.map((m) => ({ file: rel(m.target.twin), source: rel(m.target.uri), width: m.image.width, height: m.image.height, cost: m.image.cost ?? null })),
    failed: twins.outcome.failed.map((f) => ({ file: rel(f.target.twin), source: rel(f.target.uri), message: f.message })),
    notWritten: twins.unwritten,
    cost: twins.outcome.cost,
  };
}

/**
 * A picture's review for a person, a line each (printable): the verdict with its reasons (for a
 * pass only when `always`, or after a retry), and what a retry came to.
 */
export function reviewLines(review: MadeReview | undefined, always = false): string[] {
  if (!review) {
    return [];
  }
  const lines = review.verdict.status === 'pass' && !review.retry && !always ? [] : [printable(verdictLine(review.verdict))];
  const retry = retrySaid(review);
  if (retry) {
    lines.push(printable(retry));
  }
  if (review.note) {
    lines.push(printable(review.note));
  }
  return lines;
}

/**
 * `--report FILE`: the editor's markdown report of the run, as a new file inside the project
 * (checked before the run); each image a thumbnail linked relative to the report's folder.
 */
export async function writeReport(file: string | undefined, s: Session, plan: FillPlan<string>, outcome: FillOutcome<string, DiskMade>): Promise<void> {
  if (file) {
    const rel = (p: string): string => s.workspace.relative(p);
    const from = posix.dirname(file);
    const src = (image: string): string => posix.relative(from, image).split('/').map(encodeURIComponent).join('/');
    await s.workspace.writeReport(file, fillReport(plan, outcome, rel, (m) => ({ file: rel(m.file), width: m.image.width, height: m.image.height, format: m.image.format, weight: weightNote(m.image), src: src(m.file), review: m.review })));
  }
}
