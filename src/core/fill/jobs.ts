/**
 * Each job's run, written once for every host (the editor, the CLI, the MCP server, Copilot's
 * tools): the pace, what stops a run, the budget, cancel and what is made are decided here; a host
 * supplies only its I/O (where files are, how one is written, which settings apply).
 */
import * as l10n from '@vscode/l10n';
import { Budget, withinBudget } from '../api/budget';
import { Describer, worstAltCost } from '../api/describe';
import { GenerateInput, GeneratedImage, Generator } from '../api/generator';
import { IllustrateError, stopsRun } from '../errors';
import { outputFor } from '../images/codec';
import { MIME_TYPES, referenceFormat } from '../images/imageFormat';
import { withKeptAlt } from '../images/metadata';
import { makePicture, makeTransparent, transparentEstimate, TransparentOutput } from '../images/transparent';
import { optionsFromSettings, Settings } from '../settings';
import { AltTarget, altTextEdits, Described } from './alt';
import { TextEdit } from '../docs/altText';
import { failureMessage, fillEstimate, FillOutcome, FillProgress, FillTarget, Made, runFillTargets } from './fill';
import { Reviewer, Verdict } from '../review/review';
import { MadeReview, reviewMade, ReviewedPicture, summarizeReviews } from '../review/made';

/** How a run goes, the same in every host. */
export interface JobRunOptions {
  readonly concurrency: number;
  /** Aborts everything, the requests in flight too. */
  readonly signal: AbortSignal;
  /** Starts nothing new, and lets the requests in flight finish and be written (gateways bill an abandoned request). */
  readonly stop?: AbortSignal;
  readonly onProgress: (p: FillProgress) => void;
  /** Each call is held to it at its worst case before it is sent. */
  readonly budget?: Budget;
}

/** What a fill needs of its host. `F` is what the host says a written image is (its file). */
export interface FillJobHost<L, F> {
  readonly generator: Generator;
  /** The settings a target is made with (its document's in the editor; the project's on the command line). */
  settings(target: FillTarget<L>): Settings;
  path(location: L): string;
  /** Writes a made image where the target's links point, or with `replace` over the stale file itself. */
  write(target: FillTarget<L>, image: GeneratedImage, replace: boolean, signal: AbortSignal): Promise<F>;
  /** Reviews what is made (`illustrate.review`); without it, or without `rewrite`, nothing is reviewed. */
  readonly reviewer?: Reviewer;
  /**
   * Writes `image` over the file `write` made for the target (same name and format, the links
   * untouched): the verdict kept in its record, or a picture made again that came out better.
   */
  rewrite?(target: FillTarget<L>, file: F, image: GeneratedImage, signal: AbortSignal): Promise<void>;
  /** The picture a retry did not keep, with its verdict (the editor keeps it in the Studio's history). */
  keepAside?(target: FillTarget<L>, image: GeneratedImage, verdict: Verdict): Promise<void> | void;
}

export interface FillMade<F> {
  readonly file: F;
  /** The picture in the file (after a retry, the one kept). */
  readonly image: GeneratedImage;
  /** Its review, when the run reviewed it. */
  readonly review?: MadeReview;
}

/** `work` run at most `limit` at a time, in the order asked. */
function limiter(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= limit) {
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/**
 * Makes every target (a missing image, or with `replacing` a stale one made again in place), each
 * written as it arrives, at the adaptive pace; a refused key stops the run in every host.
 *
 * With a reviewer (and `illustrate.review` not off), each image written is reviewed beside the
 * next generations (a review holds no generation slot; the run's outcome waits for the last), and
 * its verdict written into its file's record; in retry mode a failed picture is made once more with
 * the reasons, reviewed again, and the better one kept in the file (the other to `keepAside`).
 * Pictures made again run outside the adaptive pace, at most half the concurrency at once, each
 * waiting out a rate limit itself.
 */
export async function runFillJob<L, F>(host: FillJobHost<L, F>, targets: readonly FillTarget<L>[], options: JobRunOptions & { readonly replacing?: (target: FillTarget<L>) => boolean }): Promise<FillOutcome<L, FillMade<F>>> {
  const styleReferences = host.generator.styleReferencesOnce();
  // A review that meets a refused key stops the run as a generation would: in-flight requests aborted, nothing new.
  const halt = new AbortController();
  let halted: string | undefined;
  const signal = AbortSignal.any([options.signal, halt.signal]);
  const reviews: Promise<void>[] = [];
  const reviewed = new Map<FillTarget<L>, ReviewedPicture>();
  const schedule = limiter(Math.max(1, Math.floor(options.concurrency / 2)));
  let reviewing = 0;
  let reviewSpent = 0;
  let last: FillProgress = { done: 0, failed: 0, total: targets.length, cost: 0 };
  const progress = (p: FillProgress): void => {
    last = p;
    options.onProgress({ ...p, cost: p.cost + reviewSpent, reviewing });
  };
  const review = async (target: FillTarget<L>, file: F, image: GeneratedImage, input: GenerateInput, settings: Settings, mode: 'report' | 'retry'): Promise<void> => {
    try {
      let r = await reviewMade({ reviewer: host.reviewer as Reviewer, generator: host.generator, budget: options.budget, stop: options.stop, schedule }, image, input, settings, mode, signal);
      if (r.image !== image) {
        try {
          await host.rewrite?.(target, file, r.image, signal);
        } catch (e: unknown) {
          r = notKept(r, image, failureMessage(e));
        }
      }
      if (r.aside) {
        await Promise.resolve(host.keepAside?.(target, r.aside.image, r.aside.verdict)).catch(() => undefined);
      }
      reviewed.set(target, r);
      reviewSpent += r.review.reviewCost + r.review.retryCost;
    } catch (e: unknown) {
      if (halted === undefined && !options.signal.aborted && stopsRun(e)) {
        halted = failureMessage(e);
        halt.abort();
      }
      reviewed.set(target, { image, review: { mode, verdict: { status: 'unreviewed', reason: failureMessage(e) }, reviewCost: 0, retryCost: 0, unpriced: 0 } });
    }
  };
  const outcome = await runFillTargets<L, FillMade<F>>(
    targets,
    options.concurrency,
    withinBudget(
      options.budget,
      (target) => fillEstimate(host.settings(target), [target]),
      async (target, run) => {
        const settings = host.settings(target);
        const input: GenerateInput = { prompt: target.prompt, options: optionsFromSettings(settings), retryRateLimited: false, styleReferences, output: outputFor(host.path(target.uri), settings.output) };
        const image = await makePicture(host.generator, input, settings, run);
        const file = await host.write(target, image, options.replacing?.(target) === true, run);
        if (host.reviewer && host.rewrite && settings.review !== 'off') {
          reviewing++;
          reviews.push(
            review(target, file, image, input, settings, settings.review).finally(() => {
              reviewing--;
              progress(last);
            }),
          );
        }
        return { value: { file, image }, cost: image.cost };
      },
    ),
    signal,
    progress,
    stopsRun,
    options.stop,
  );
  await Promise.all(reviews);
  if (!reviewed.size) {
    return halted === undefined ? outcome : { ...outcome, stopped: outcome.stopped ?? halted };
  }
  const made = outcome.made.map((m) => {
    const r = reviewed.get(m.target);
    return r ? { ...m, image: r.image, review: r.review } : m;
  });
  const summary = summarizeReviews([...reviewed.values()].map((r) => r.review));
  return {
    ...outcome,
    made,
    cost: outcome.cost + (summary ? summary.cost + summary.retryCost : 0),
    unpriced: (outcome.unpriced ?? 0) + (summary?.unpriced ?? 0),
    stopped: outcome.stopped ?? halted,
    review: summary,
  };
}

/** A review whose better picture could not be written: the first picture stays in the file, the other goes aside. */
function notKept(r: ReviewedPicture, first: GeneratedImage, why: string): ReviewedPicture {
  const note = l10n.t('the better picture could not be written ({0}); the file keeps the first', why);
  if (r.review.retry?.kept !== 'retry' || !r.review.retry.other || !r.aside) {
    return { ...r, image: first, review: { ...r.review, note } };
  }
  return {
    image: first,
    review: { ...r.review, verdict: r.review.retry.other, retry: { kept: 'first', other: r.review.verdict }, note },
    aside: { image: r.image, verdict: r.review.verdict },
  };
}

/** What writing alt text needs of its host. */
export interface AltJobHost<L> {
  readonly describer: Describer;
  settings(target: AltTarget<L>): Settings;
  /** The image's bytes, through the host's one reader (inside the project, no link out); undefined when it cannot be read. */
  read(target: AltTarget<L>): Promise<Uint8Array | undefined>;
  /** A location's name for a message. */
  name(location: L): string;
  key(location: L): string;
  /**
   * Writes the descriptions and the rewritten images (the new alt text kept in an image's record):
   * the host's one workspace change. Returns what could not be written, one message each.
   */
  write(edits: readonly { readonly document: L; readonly edits: readonly TextEdit[] }[], images: readonly { readonly uri: L; readonly bytes: Uint8Array }[]): Promise<string[]>;
}

export interface AltMade {
  readonly described: Described;
  readonly bytes: Uint8Array;
}

export interface AltJobOutcome<L> {
  readonly outcome: FillOutcome<L, AltMade, AltTarget<L>>;
  /** Descriptions paid for but not written (a document changed meanwhile, say). */
  readonly unwritten: readonly string[];
}

/**
 * Describes the targets at Fill's pace (each held to the budget at its worst case, an answer of
 * maxOutputTokens), then writes every description through the host's one change: what was
 * described is written even after a cancel, since it was paid for.
 */
export async function runAltJob<L>(host: AltJobHost<L>, targets: readonly AltTarget<L>[], options: JobRunOptions & { readonly model?: string }): Promise<AltJobOutcome<L>> {
  const outcome = await runOnImages<L, AltMade, AltTarget<L>>(
    host,
    targets,
    options,
    (target) => worstAltCost(options.model ?? '', [target], host.settings(target)),
    async (target, bytes, run) => {
      const d = await host.describer.describe({ bytes, format: target.format }, target.context, target.language, host.settings(target), run);
      return { value: { described: { text: d.text, decorative: d.decorative }, bytes }, cost: d.cost };
    },
  );
  const edits = [...altTextEdits(outcome.made, host.key).values()];
  const images = outcome.made.flatMap((m) => {
    const bytes = m.described.decorative ? undefined : withKeptAlt(m.bytes, m.target.format, m.target.meta, m.described.text);
    return bytes ? [{ uri: m.target.uri, bytes }] : [];
  });
  const unwritten = edits.length || images.length ? await host.write(edits, images) : [];
  return { outcome, unwritten };
}

/**
 * A job over images that are there (alt text, the review): each target's file read through the
 * host's one reader and handed to `use`, at Fill's pace, each call held to the budget at its
 * `worst` case; a file that cannot be read is a failure; a refused key stops the run in every host.
 */
export function runOnImages<L, M extends object, T extends FillTarget<L>>(
  host: { read(target: T): Promise<Uint8Array | undefined>; name(location: L): string },
  targets: readonly T[],
  options: JobRunOptions,
  worst: (target: T) => number | undefined,
  use: (target: T, bytes: Uint8Array, signal: AbortSignal) => Promise<Made<M>>,
): Promise<FillOutcome<L, M, T>> {
  return runFillTargets<L, M, T>(
    targets,
    options.concurrency,
    withinBudget(options.budget, worst, async (target, run) => {
      const bytes = await host.read(target);
      if (!bytes) {
        throw new IllustrateError('options', l10n.t('Could not read {0}.', host.name(target.uri)));
      }
      return use(target, bytes, run);
    }),
    options.signal,
    options.onProgress,
    stopsRun,
    options.stop,
  );
}

/** A picture already there, to be made transparent (`makeTransparent` from it), written to `out` in `output`'s format. */
export interface TransparentTarget<L> extends FillTarget<L> {
  readonly out: L;
  readonly output: TransparentOutput;
}

/** What making pictures transparent needs of its host. */
export interface TransparentJobHost<L, F> {
  readonly generator: Generator;
  settings(target: TransparentTarget<L>): Settings;
  /** The picture's bytes through the host's one reader (inside the project, no link out); undefined when it cannot be read. */
  read(target: TransparentTarget<L>): Promise<Uint8Array | undefined>;
  name(location: L): string;
  /** Writes the transparent picture to `target.out`, the one change in the host. */
  write(target: TransparentTarget<L>, image: GeneratedImage, signal: AbortSignal): Promise<F>;
}

/** Each target's price before it is bought: two edits (onto white, then onto black). */
export function transparentJobEstimate<L>(targets: readonly TransparentTarget<L>[], settings: (target: TransparentTarget<L>) => Settings): number | undefined {
  let total = 0;
  for (const t of targets) {
    const one = transparentEstimate(settings(t), t.prompt, { source: true });
    if (one === undefined) {
      return undefined;
    }
    total += one;
  }
  return total;
}

/**
 * Makes each picture transparent at Fill's pace (each held to the budget at its two calls'
 * estimate), written as it is made; one whose two renders do not line up is a failure with its
 * reason, and nothing of it is written.
 */
export function runTransparentJob<L, F>(host: TransparentJobHost<L, F>, targets: readonly TransparentTarget<L>[], options: JobRunOptions): Promise<FillOutcome<L, FillMade<F>, TransparentTarget<L>>> {
  return runOnImages<L, FillMade<F>, TransparentTarget<L>>(
    host,
    targets,
    options,
    (target) => transparentJobEstimate([target], (t) => host.settings(t)),
    async (target, bytes, run) => {
      const settings = host.settings(target);
      const format = referenceFormat(bytes);
      if (!format) {
        throw new IllustrateError('options', l10n.t('Could not read {0}.', host.name(target.uri)));
      }
      const image = await makeTransparent(
        host.generator,
        { prompt: target.prompt, options: optionsFromSettings(settings), source: { mimeType: MIME_TYPES[format], data: bytes }, retryRateLimited: false, output: target.output },
        settings,
        run,
      );
      return { value: { file: await host.write(target, image, run), image }, cost: image.cost };
    },
  );
}
