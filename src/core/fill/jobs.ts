/**
 * Each job's run, written once for every host (the editor, the CLI, the MCP server, Copilot's
 * tools): the pace, what stops a run, the budget, cancel and what is made are decided here; a host
 * supplies only its I/O (where files are, how one is written, which settings apply).
 */
import * as l10n from '@vscode/l10n';
import { Budget, withinBudget } from '../api/budget';
import { Describer, worstAltCost } from '../api/describe';
import { GeneratedImage, Generator } from '../api/generator';
import { IllustrateError, stopsRun } from '../errors';
import { outputFor } from '../images/codec';
import { MIME_TYPES, referenceFormat } from '../images/imageFormat';
import { withKeptAlt } from '../images/metadata';
import { makeTransparent, transparentEstimate, TransparentOutput } from '../images/transparent';
import { optionsFromSettings, Settings } from '../settings';
import { AltTarget, altTextEdits, Described } from './alt';
import { TextEdit } from '../docs/altText';
import { fillEstimate, FillOutcome, FillProgress, FillTarget, Made, runFillTargets } from './fill';

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
}

export interface FillMade<F> {
  readonly file: F;
  readonly image: GeneratedImage;
}

/**
 * Makes every target (a missing image, or with `replacing` a stale one made again in place), each
 * written as it arrives, at the adaptive pace; a refused key stops the run in every host.
 */
export function runFillJob<L, F>(host: FillJobHost<L, F>, targets: readonly FillTarget<L>[], options: JobRunOptions & { readonly replacing?: (target: FillTarget<L>) => boolean }): Promise<FillOutcome<L, FillMade<F>>> {
  const styleReferences = host.generator.styleReferencesOnce();
  return runFillTargets<L, FillMade<F>>(
    targets,
    options.concurrency,
    withinBudget(
      options.budget,
      (target) => fillEstimate(host.settings(target), [target]),
      async (target, run) => {
        const settings = host.settings(target);
        const image = await host.generator.generate({ prompt: target.prompt, options: optionsFromSettings(settings), retryRateLimited: false, styleReferences, output: outputFor(host.path(target.uri), settings.output) }, settings, run);
        return { value: { file: await host.write(target, image, options.replacing?.(target) === true, run), image }, cost: image.cost };
      },
    ),
    options.signal,
    options.onProgress,
    stopsRun,
    options.stop,
  );
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
