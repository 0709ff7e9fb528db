/**
 * Reviewing the pictures a docs tree already has: the plan (each image once, with the words it is
 * reviewed against: the prompt, style and edit instruction in Illustrate's record, else its alt
 * text), and the one run every host uses (Fill's pace, budget, cancel and progress), the verdicts
 * kept in the records of Illustrate's images through the host's one write.
 */
import * as l10n from '@vscode/l10n';
import { ImageFormat, sniffFormat } from '../images/imageFormat';
import { ImageMetadata, readProvenance, withReview } from '../images/metadata';
import { Settings } from '../settings';
import { DESCRIBABLE } from '../fill/alt';
import { HEAD_CONCURRENCY, mapLimit } from '../fill/concurrency';
import { choosePrompt, FillHost, FillLink, FillOutcome, FillPlan, FillTarget, thumbnail } from '../fill/fill';
import { JobRunOptions, runOnImages } from '../fill/jobs';
import { Reviewer, ReviewWords, Verdict, worstReviewCost } from './review';
import { markdownCode, markdownText } from '../escape';

/** One picture to review, with every link to it. */
export interface ReviewTarget<L> extends FillTarget<L> {
  readonly format: ImageFormat;
  /** What it is reviewed against: Illustrate's record (`from` prompt), or its alt text (`from` alt). */
  readonly words: ReviewWords;
  /** Illustrate's record of it, when Illustrate made it: the verdict is kept there. */
  readonly meta?: ImageMetadata;
}

export interface ReviewSkip<L> {
  readonly file: L;
  readonly link: FillLink<L>;
  readonly reason: string;
}

export interface ReviewPlan<L> {
  readonly targets: readonly ReviewTarget<L>[];
  readonly skipped: readonly ReviewSkip<L>[];
  readonly documents: number;
}

/** The words of an image Illustrate made: its prompt, the style and the edit instruction it was made with. */
export function recordedWords(meta: ImageMetadata): ReviewWords {
  return { prompt: meta.prompt, ...(meta.style ? { style: meta.style } : {}), ...(meta.edit?.instruction ? { edit: meta.edit.instruction } : {}), from: 'prompt' };
}

/**
 * The pictures of a scanned tree to review: every image that is there (PNG, JPEG, WebP or GIF),
 * against its record when Illustrate made it, else against the alt text of its original page (the
 * one Fill would make it from); an image with neither is skipped, with the reason. `head` reads an
 * image's first bytes (its format and record).
 */
export async function planReview<L>(plan: FillPlan<L>, host: Pick<FillHost<L>, 'name'>, head: (file: L) => Promise<Uint8Array | undefined>): Promise<ReviewPlan<L>> {
  const targets: ReviewTarget<L>[] = [];
  const skipped: ReviewSkip<L>[] = [];
  const present = plan.present ?? [];
  const heads = await mapLimit(present, HEAD_CONCURRENCY, async (p) => {
    const bytes = await head(p.uri).catch(() => undefined);
    return bytes && { format: sniffFormat(bytes.subarray(0, 16)), meta: readProvenance(bytes) };
  });
  for (const [i, p] of present.entries()) {
    const format = heads[i]?.format;
    const skip = (reason: string): void => {
      skipped.push({ file: p.uri, link: p.links[0], reason });
    };
    if (!format || !DESCRIBABLE.includes(format)) {
      skip(l10n.t('not a PNG, JPEG, WebP or GIF image'));
      continue;
    }
    const meta = heads[i]?.meta;
    const alt = meta ? undefined : choosePrompt(p.links, host.name(p.uri)).prompt;
    const words = meta ? recordedWords(meta) : alt ? { prompt: alt, from: 'alt' as const } : undefined;
    if (!words || !words.prompt.trim()) {
      skip(l10n.t('no words to review it against: Illustrate did not make it, and no link gives it an alt text that describes it'));
      continue;
    }
    targets.push({ uri: p.uri, prompt: words.prompt, links: p.links, format, words, meta });
  }
  return { targets, skipped, documents: plan.documents };
}

/** What reviewing needs of its host. */
export interface ReviewJobHost<L> {
  readonly reviewer: Reviewer;
  settings(target: ReviewTarget<L>): Settings;
  /** The image's bytes, through the host's one reader (inside the project, no link out); undefined when it cannot be read. */
  read(target: ReviewTarget<L>): Promise<Uint8Array | undefined>;
  /** A location's name for a message. */
  name(location: L): string;
  /** Writes the rewritten images (each verdict kept in its record): the host's one change. Returns what could not be written, one message each. */
  write(images: readonly { readonly uri: L; readonly bytes: Uint8Array }[]): Promise<string[]>;
}

export interface ReviewMade {
  readonly verdict: Verdict;
  /** Whether the verdict is kept in the image's record (Illustrate's images, a verdict given). */
  readonly kept: boolean;
}

export interface ReviewJobOutcome<L> {
  readonly outcome: FillOutcome<L, ReviewMade, ReviewTarget<L>>;
  /** Verdicts paid for but not kept (a file that could not be written). */
  readonly unwritten: readonly string[];
}

/**
 * Reviews the targets at Fill's pace (each held to the budget at its worst case), then keeps each
 * verdict in the record of the images Illustrate made, through the host's one write: what was
 * reviewed is written even after a cancel, since it was paid for. A picture the reviewer could not
 * judge is in `made` as unreviewed (its record keeps the review it had); an image that cannot be
 * read is a failure. Images from elsewhere are not written to: a record would make them read as
 * Illustrate's (checked for staleness against a prompt they never had).
 */
export async function runReviewJob<L>(host: ReviewJobHost<L>, targets: readonly ReviewTarget<L>[], options: JobRunOptions & { readonly model?: string }): Promise<ReviewJobOutcome<L>> {
  const rewritten = new Map<ReviewTarget<L>, Uint8Array>();
  const outcome = await runOnImages<L, ReviewMade, ReviewTarget<L>>(
    host,
    targets,
    options,
    (target) => worstReviewCost(options.model ?? '', target.words, host.settings(target).prices),
    async (target, bytes, run) => {
      const verdict = await host.reviewer.review({ bytes, format: target.format }, target.words, host.settings(target), run);
      // The record as the file has it now, the verdict in it.
      const kept = withReview(bytes, target.format, readProvenance(bytes), verdict);
      if (kept) {
        rewritten.set(target, kept);
      }
      return { value: { verdict, kept: kept !== undefined }, cost: verdict.cost };
    },
  );
  const images = outcome.made.flatMap((m) => {
    const bytes = rewritten.get(m.target);
    return bytes ? [{ uri: m.target.uri, bytes }] : [];
  });
  const unwritten = images.length ? await host.write(images) : [];
  return { outcome, unwritten };
}

/** The reasons of a failed verdict on one line ("text: …; unasked: …"). */
export function verdictReasons(verdict: Verdict): string {
  if (verdict.status === 'unreviewed') {
    return verdict.reason;
  }
  return verdict.problems.map((p) => `${p.kind}: ${p.reason}`).join('; ');
}

/** A run's verdicts as a person reads them: failures first, then the pictures not reviewed, then the passes; with how many of each. */
export function verdictsInOrder<L>(outcome: FillOutcome<L, ReviewMade, ReviewTarget<L>>): { readonly made: readonly ({ readonly target: ReviewTarget<L> } & ReviewMade)[]; readonly pass: number; readonly fail: number; readonly unreviewed: number } {
  const order: Readonly<Record<Verdict['status'], number>> = { fail: 0, unreviewed: 1, pass: 2 };
  const made = [...outcome.made].sort((a, b) => order[a.verdict.status] - order[b.verdict.status]);
  const count = (status: Verdict['status']): number => made.filter((m) => m.verdict.status === status).length;
  return { made, pass: count('pass'), fail: count('fail'), unreviewed: count('unreviewed') };
}

/** How a report names and links a picture: a relative path for the text, and the link its thumbnail loads (a `data:` URI in the editor's preview, a relative path in a file; none: no thumbnail). */
export interface ReportLinks<L> {
  readonly name: (location: L) => string;
  readonly link: (location: L) => string | undefined;
}

/** A verdict as a report's heading reads it. */
export function verdictLabel(verdict: Verdict): string {
  return verdict.status === 'pass' ? l10n.t('passed') : verdict.status === 'fail' ? l10n.t('failed review') : l10n.t('not reviewed');
}

/**
 * The review's report as markdown: each picture as a thumbnail with its verdict and reasons, failures
 * first, then those not reviewed, then the passes; what could not be read or kept, and what was skipped.
 */
export function reviewReport<L>(plan: ReviewPlan<L>, outcome: FillOutcome<L, ReviewMade, ReviewTarget<L>>, unwritten: readonly string[], options: ReportLinks<L> & { readonly title: string; readonly summary: string }): string {
  const lines = [`# ${markdownText(options.title)}`, '', markdownText(options.summary), ''];
  for (const m of verdictsInOrder(outcome).made) {
    const src = options.link(m.target.uri);
    lines.push(`## ${markdownText(verdictLabel(m.verdict))}: ${markdownCode(options.name(m.target.uri))}`, '', ...(src ? [thumbnail(src, options.name(m.target.uri)), ''] : []));
    lines.push(`${m.target.words.from === 'alt' ? l10n.t('Alt text') : l10n.t('Prompt')}: ${markdownText(m.target.words.prompt)}`, '');
    const reasons = m.verdict.status === 'unreviewed' ? [m.verdict.reason] : m.verdict.problems.map((p) => `${p.kind}: ${p.reason}`);
    for (const r of reasons) {
      lines.push(`- ${markdownText(r)}`);
    }
    lines.push('');
  }
  const left = [
    ...outcome.failed.map((f) => l10n.t('{0}: {1}', markdownCode(options.name(f.target.uri)), markdownText(f.message))),
    ...unwritten.map((u) => markdownText(u)),
    ...plan.skipped.map((s) => l10n.t('{0}: skipped: {1}', markdownCode(options.name(s.file)), markdownText(s.reason))),
  ];
  if (left.length) {
    lines.push(`## ${l10n.t('Not reviewed')}`, '', ...left.map((l) => `- ${l}`), '');
  }
  return lines.join('\n');
}
