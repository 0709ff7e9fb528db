/**
 * The review of what a run makes, for every host: after a picture is made it is reviewed against
 * the words its record says it was made from; in `retry` mode a failed picture is made once more
 * with the reviewer's reasons added to the request, reviewed again, and the better of the two is
 * kept. Each review and each picture made again is held to the run's budget at its worst case
 * before it is sent. A review that goes wrong never fails the picture: it is "unreviewed".
 */
import * as l10n from '@vscode/l10n';
import { Budget, withinBudget } from '../api/budget';
import { GenerateInput, GeneratedImage, Generator } from '../api/generator';
import { estimateCost } from '../api/pricing';
import { DEFAULT_TEXT_MODEL } from '../api/textModel';
import { formatError, IllustrateError, isRecord } from '../errors';
import { withReview } from '../images/metadata';
import { makePicture, transparentEstimate } from '../images/transparent';
import { ReviewMode, Settings, withStyle } from '../settings';
import { betterOf, estimateReviewCost, REVIEW_KINDS, ReviewKind, Reviewer, ReviewWords, Verdict, worstReviewCost } from './review';

/** The words a made picture is reviewed against: the prompt its record keeps (for an edit, the alt text it stands for), its style, its edit instruction. */
export function wordsOf(image: GeneratedImage): ReviewWords {
  const meta = image.metadata;
  return { prompt: meta.prompt, ...(meta.style ? { style: meta.style } : {}), ...(meta.edit?.instruction ? { edit: meta.edit.instruction } : {}) };
}

/**
 * The request of a picture made again after a failed review: the words as they were, then what
 * the first picture got wrong, to avoid. The style (added by the generator) comes after it.
 */
export function retryPrompt(prompt: string, verdict: Verdict): string {
  const reasons = verdict.status === 'fail' ? verdict.problems.map((p) => p.reason) : [];
  if (!reasons.length) {
    return prompt;
  }
  return `${prompt}\n\nAvoid what an earlier picture for these words got wrong:\n${reasons.map((r) => `- ${r}`).join('\n')}`;
}

/** The picture with its verdict kept in its record (bytes and metadata); as it is when the verdict is unreviewed or its format keeps no record. */
export function withVerdict(image: GeneratedImage, verdict: Verdict): GeneratedImage {
  if (verdict.status === 'unreviewed') {
    return image;
  }
  const bytes = withReview(image.bytes, image.format, image.metadata, verdict);
  return bytes ? { ...image, bytes, metadata: { ...image.metadata, review: { status: verdict.status, problems: verdict.problems, model: verdict.model, date: verdict.date } } } : image;
}

/** What the review of one made picture came to. */
export interface MadeReview {
  readonly mode: 'report' | 'retry';
  /** The kept picture's verdict. */
  readonly verdict: Verdict;
  /**
   * A failed picture made once more: which of the two is kept, the verdict of the one not kept
   * (absent when the second could not be made), and why it could not be, when so.
   */
  readonly retry?: { readonly kept: 'first' | 'retry'; readonly other?: Verdict; readonly error?: string };
  /** Spent on reviews, in US dollars (calls of unknown price not counted). */
  readonly reviewCost: number;
  /** Spent on the picture made again. */
  readonly retryCost: number;
  /** Calls whose price is unknown (not in the costs). */
  readonly unpriced: number;
  /** Something the user should know about the kept file (its record could not be written, say). */
  readonly note?: string;
}

/** The picture to keep, its verdict in its record, and the other one when a retry was made. */
export interface ReviewedPicture {
  readonly image: GeneratedImage;
  readonly review: MadeReview;
  /** The picture not kept (for the editor's Studio history), with its verdict. */
  readonly aside?: { readonly image: GeneratedImage; readonly verdict: Verdict };
}

export interface ReviewDeps {
  readonly reviewer: Reviewer;
  readonly generator: Generator;
  /** Each review and each picture made again is held to it at its worst case before it is sent. */
  readonly budget?: Budget;
  /** Once aborted nothing new is sent: a picture not yet reviewed stays unreviewed, none is made again. */
  readonly stop?: AbortSignal;
  /** Runs the generation of a picture made again (a fill runs a few at once); at once when absent. */
  readonly schedule?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** Why nothing was said about a picture, as a verdict. */
function notReviewed(reason: string, model?: string): Verdict {
  return { status: 'unreviewed', reason, ...(model === undefined ? {} : { model }) };
}

/** What stops a whole run rather than leaving one picture unreviewed: a key missing or refused, a cancel. */
export function stopsReviewRun(e: unknown): boolean {
  return e instanceof IllustrateError && ['noKey', 'badKey', 'permission', 'cancelled'].includes(e.kind);
}

/** One review, held to the budget at its worst case; a budget that cannot hold it leaves the picture unreviewed with its message. */
async function reviewOnce(deps: ReviewDeps, image: GeneratedImage, settings: Settings, signal: AbortSignal): Promise<Verdict> {
  if (deps.stop?.aborted) {
    return notReviewed(l10n.t('the run was stopped before this picture was reviewed'));
  }
  const words = wordsOf(image);
  const model = await deps.reviewer.model(settings, signal);
  try {
    const made = await withinBudget(
      deps.budget,
      () => worstReviewCost(model, words, settings.prices),
      async () => {
        const verdict = await deps.reviewer.review(image, words, settings, signal);
        return { verdict, cost: verdict.cost };
      },
    )(undefined, signal);
    return made.verdict;
  } catch (e: unknown) {
    if (stopsReviewRun(e)) {
      throw e;
    }
    return notReviewed(formatError(e), model);
  }
}

/** A verdict's cost, split into what is known and how many calls were not priced. */
function spent(verdict: Verdict | undefined): { cost: number; unpriced: number } {
  if (!verdict) {
    return { cost: 0, unpriced: 0 };
  }
  if (verdict.status === 'unreviewed') {
    return { cost: verdict.cost ?? 0, unpriced: 0 };
  }
  return verdict.cost === undefined ? { cost: 0, unpriced: 1 } : { cost: verdict.cost, unpriced: 0 };
}

/** The estimated price of making `input` again with a longer prompt, for the budget: as Fill holds each image. */
function retryEstimate(input: GenerateInput, settings: Settings): number | undefined {
  const styled = input.applyStyle !== false;
  if (settings.transparentBackground) {
    return transparentEstimate({ ...settings, model: input.options.model, imageSize: input.options.imageSize }, input.prompt, { references: input.references?.length, applyStyle: input.applyStyle });
  }
  const references = (input.references?.length ?? 0) + (styled ? settings.styleReferences.length : 0);
  return estimateCost(input.options.model, input.options.imageSize, withStyle(input.prompt, styled ? settings.style : ''), references, 1, settings.prices);
}

/**
 * Reviews a picture just made from `input` (`mode` report or retry); in retry mode a failed one is
 * made once more with the reasons added to the request, reviewed again, and the better of the two
 * kept (a tie keeps the first). The kept picture carries its verdict in its record. A key refused
 * or a cancel throws (a run stops there); every other problem leaves the picture unreviewed, or
 * the first picture kept.
 */
export async function reviewMade(deps: ReviewDeps, image: GeneratedImage, input: GenerateInput, settings: Settings, mode: 'report' | 'retry', signal: AbortSignal): Promise<ReviewedPicture> {
  const first = await reviewOnce(deps, image, settings, signal);
  const firstSpent = spent(first);
  if (mode !== 'retry' || first.status !== 'fail' || deps.stop?.aborted) {
    return { image: withVerdict(image, first), review: { mode, verdict: first, reviewCost: firstSpent.cost, retryCost: 0, unpriced: firstSpent.unpriced } };
  }
  // The words recorded stay those the picture stands for; only the request gets the reasons.
  const again: GenerateInput = { ...input, prompt: retryPrompt(input.prompt, first), recordAs: input.recordAs ?? input.prompt, retryRateLimited: true };
  let second: GeneratedImage;
  try {
    const make = withinBudget(
      deps.budget,
      () => retryEstimate(again, settings),
      async () => {
        // A transparent picture is made again transparent (its two renders).
        const made = await makePicture(deps.generator, again, settings, signal);
        return { made, cost: made.cost };
      },
    );
    second = (await (deps.schedule ?? ((work) => work()))(() => make(undefined, signal))).made;
  } catch (e: unknown) {
    if (stopsReviewRun(e)) {
      throw e;
    }
    const error = formatError(e);
    return { image: withVerdict(image, first), review: { mode, verdict: first, retry: { kept: 'first', error }, reviewCost: firstSpent.cost, retryCost: 0, unpriced: firstSpent.unpriced } };
  }
  const secondVerdict = await reviewOnce(deps, second, settings, signal);
  const secondSpent = spent(secondVerdict);
  const retryCost = second.cost ?? 0;
  const costs = { reviewCost: firstSpent.cost + secondSpent.cost, retryCost, unpriced: firstSpent.unpriced + secondSpent.unpriced + (second.cost === undefined ? 1 : 0) };
  const a = { image, verdict: first };
  const b = { image: second, verdict: secondVerdict };
  // A picture of another format cannot take the first one's place (its file and links are written): the first stays.
  const kept = second.format === image.format ? betterOf(a, b, (x) => x.verdict) : a;
  const other = kept === a ? b : a;
  return {
    image: withVerdict(kept.image, kept.verdict),
    review: { mode, verdict: kept.verdict, retry: { kept: kept === a ? 'first' : 'retry', other: other.verdict }, ...costs },
    aside: other,
  };
}

/** The review model a plan is priced with before the endpoint is asked: the setting, else the describe model, else the default text model. */
export function plannedReviewModel(settings: Settings): string {
  return settings.reviewModel || settings.describeModel || DEFAULT_TEXT_MODEL;
}

/**
 * One picture's review for a single generation (generate, Regenerate, Edit Image, the Studio):
 * `reviewMade`, except that nothing stops: a key refused or a cancel leaves the picture, already
 * paid for, unreviewed with the reason.
 */
export async function reviewOne(deps: ReviewDeps, image: GeneratedImage, input: GenerateInput, settings: Settings, mode: 'report' | 'retry', signal: AbortSignal): Promise<ReviewedPicture> {
  try {
    return await reviewMade(deps, image, input, settings, mode, signal);
  } catch (e: unknown) {
    if (!stopsReviewRun(e)) {
      throw e;
    }
    return { image, review: { mode, verdict: notReviewed(formatError(e)), reviewCost: 0, retryCost: 0, unpriced: 0 } };
  }
}

/** What a plan says of the reviews a run will make. */
export interface ReviewPlan {
  readonly mode: ReviewMode;
  readonly model: string;
  /** Estimated per picture (a usual verdict); undefined when the model's price is unknown. */
  readonly perImage: number | undefined;
  /** Estimated for every picture of the plan. */
  readonly cost: number | undefined;
  /** In retry mode, the most the pictures made again could add (every picture failing once, each made and reviewed again); 0 otherwise. */
  readonly retriesAtMost: number | undefined;
}

/**
 * The reviews of a plan of `targets` (each made from its prompt with the settings' style): their
 * estimated cost with `model`, and in retry mode the most the retries could add. Undefined when
 * reviews are off.
 */
export function reviewPlan(settings: Settings, targets: readonly { readonly prompt: string }[], model = plannedReviewModel(settings), mode: ReviewMode = settings.review): ReviewPlan | undefined {
  if (mode === 'off') {
    return undefined;
  }
  const words: ReviewWords[] = targets.map((t) => ({ prompt: t.prompt, ...(settings.style ? { style: settings.style } : {}) }));
  const cost = estimateReviewCost(model, words, settings.prices);
  const perImage = targets.length ? (cost === undefined ? undefined : cost / targets.length) : estimateReviewCost(model, 1, settings.prices);
  let retriesAtMost: number | undefined = 0;
  if (mode === 'retry') {
    // A retry's request is longer by its reasons (at most five of 200 characters).
    const longer = '\n'.repeat(2) + 'x'.repeat(5 * 204 + 60);
    for (const t of targets) {
      const image = estimateCost(settings.model, settings.imageSize, withStyle(t.prompt + longer, settings.style), settings.styleReferences.length, 1, settings.prices);
      retriesAtMost = image === undefined || retriesAtMost === undefined ? undefined : retriesAtMost + image;
    }
    retriesAtMost = retriesAtMost === undefined || cost === undefined ? undefined : retriesAtMost + cost;
  }
  return { mode, model, perImage, cost, retriesAtMost };
}

/** A verdict as data (`--json`, MCP): status, problems, model and cost; for an unreviewed picture its reason. */
export function verdictJson(verdict: Verdict): { status: Verdict['status']; problems: { kind: string; reason: string }[]; model: string | null; cost: number | null; reason?: string } {
  const problems = verdict.status === 'unreviewed' ? [] : verdict.problems.map((p) => ({ kind: p.kind, reason: p.reason }));
  return { status: verdict.status, problems, model: verdict.model ?? null, cost: verdict.cost ?? null, ...(verdict.status === 'unreviewed' ? { reason: verdict.reason } : {}) };
}

/** A made picture's review as data: its verdict, what its reviews cost in all, and what a retry came to. */
export function madeReviewJson(review: MadeReview): Record<string, unknown> {
  return {
    ...verdictJson(review.verdict),
    cost: review.reviewCost,
    mode: review.mode,
    ...(review.retry ? { retry: { kept: review.retry.kept, ...(review.retry.other ? { other: verdictJson(review.retry.other) } : {}), ...(review.retry.error ? { error: review.retry.error } : {}), cost: review.retryCost } } : {}),
    ...(review.note ? { note: review.note } : {}),
  };
}

/** A verdict read back from its data (`verdictJson`), checked; undefined when it is not one. */
function verdictFromJson(value: unknown): Verdict | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const model = typeof value.model === 'string' ? value.model : undefined;
  const cost = typeof value.cost === 'number' ? value.cost : undefined;
  if (value.status === 'unreviewed') {
    return { status: 'unreviewed', reason: typeof value.reason === 'string' ? value.reason : '', ...(model === undefined ? {} : { model }), ...(cost === undefined ? {} : { cost }) };
  }
  if ((value.status !== 'pass' && value.status !== 'fail') || !Array.isArray(value.problems)) {
    return undefined;
  }
  const problems = value.problems
    .filter(isRecord)
    .filter((p) => (REVIEW_KINDS as readonly unknown[]).includes(p.kind) && typeof p.reason === 'string')
    .map((p) => ({ kind: p.kind as ReviewKind, reason: p.reason as string }));
  return { status: value.status, problems, model: model ?? '', cost, date: '' };
}

/** A made picture's review read back from its data (`madeReviewJson`, in `fill --json`), checked; undefined when it is not one. */
export function madeReviewFromJson(value: unknown): MadeReview | undefined {
  if (!isRecord(value) || (value.mode !== 'report' && value.mode !== 'retry')) {
    return undefined;
  }
  // Its `cost` is what all its reviews cost (reviewCost), not the kept verdict's own.
  const verdict = verdictFromJson({ ...value, cost: null });
  if (!verdict) {
    return undefined;
  }
  const retry = isRecord(value.retry) && (value.retry.kept === 'first' || value.retry.kept === 'retry') ? value.retry : undefined;
  const other = retry ? verdictFromJson(retry.other) : undefined;
  const number = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);
  return {
    mode: value.mode,
    verdict,
    ...(retry ? { retry: { kept: retry.kept as 'first' | 'retry', ...(other ? { other } : {}), ...(typeof retry.error === 'string' ? { error: retry.error } : {}) } } : {}),
    reviewCost: number(value.cost),
    retryCost: number(retry?.cost),
    unpriced: 0,
    ...(typeof value.note === 'string' ? { note: value.note } : {}),
  };
}

/** A run's reviews in sum, for its report. */
export interface ReviewSummary {
  readonly mode: 'report' | 'retry';
  /** The model that reviewed (the first that answered), when one did. */
  readonly model?: string;
  readonly passed: number;
  readonly failed: number;
  readonly unreviewed: number;
  /** Pictures made once more after a failed review, and how many of those were kept. */
  readonly retried: number;
  readonly keptRetries: number;
  /** Spent on reviews, and on pictures made again (US dollars, known prices only). */
  readonly cost: number;
  readonly retryCost: number;
  readonly unpriced: number;
}

/** The sum of a run's reviews; undefined when none was made. */
export function summarizeReviews(reviews: readonly MadeReview[]): ReviewSummary | undefined {
  if (!reviews.length) {
    return undefined;
  }
  const count = (s: Verdict['status']): number => reviews.filter((r) => r.verdict.status === s).length;
  return {
    mode: reviews.some((r) => r.mode === 'retry') ? 'retry' : 'report',
    model: reviews.map((r) => r.verdict.model).find((m) => m !== undefined),
    passed: count('pass'),
    failed: count('fail'),
    unreviewed: count('unreviewed'),
    retried: reviews.filter((r) => r.retry && !r.retry.error).length,
    keptRetries: reviews.filter((r) => r.retry?.kept === 'retry').length,
    cost: reviews.reduce((n, r) => n + r.reviewCost, 0),
    retryCost: reviews.reduce((n, r) => n + r.retryCost, 0),
    unpriced: reviews.reduce((n, r) => n + r.unpriced, 0),
  };
}

/** A verdict in one line for a person: "passed", "failed: reason; reason", "not reviewed: why". */
export function verdictLine(verdict: Verdict): string {
  switch (verdict.status) {
    case 'pass':
      return l10n.t('review passed');
    case 'fail':
      return l10n.t('review failed: {0}', verdict.problems.map((p) => p.reason).join(' · '));
    default:
      return l10n.t('not reviewed: {0}', verdict.reason);
  }
}

/** What making a failed picture again came to, in one line for a person; undefined when it was not made again. */
export function retrySaid(review: MadeReview): string | undefined {
  const retry = review.retry;
  if (!retry) {
    return undefined;
  }
  if (retry.error) {
    return l10n.t('made again with the reasons, but that failed: {0}; the first picture is kept', retry.error);
  }
  const other = retry.other ? verdictLine(retry.other) : '';
  return retry.kept === 'retry' ? l10n.t('made again with the reasons: the new picture is kept (the first: {0})', other) : l10n.t('made again with the reasons: the first picture is kept (the new one: {0})', other);
}
