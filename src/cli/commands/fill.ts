/** `illustrate fill`: the missing (or, with --stale, changed) images of the docs, planned, priced, asked about and made. */
import * as l10n from '@vscode/l10n';
import { offersBatch } from '../../core/api/batch';
import { formatCost } from '../../core/api/pricing';
import { IllustrateError } from '../../core/errors';
import { fillEstimate } from '../../core/fill/fill';
import { reviewPlan } from '../../core/review/made';
import { OUTPUT_FLAGS, outputOverrides, parse, REVIEW_FLAG, reviewOverride, start } from '../args';
import { noKeyMessage, UsageError } from '../config';
import { help } from '../help';
import { remakeStaleTranslations } from './variantsLang';
import { planStaleTranslations } from '../translate';
import { askToSpend, bar, Io, outcomeCode, planJson, planLines, reportOutcome, writeReport } from '../output';
import { planDark, planFill, runPlan, twinsAfterFill } from '../run';
import { darkTwinEstimate } from '../../core/images/darkTwin';
import { batchFill, collectBatch } from './batch';

export async function fillCommand(args: string[], io: Io, signal: AbortSignal, stop: AbortSignal): Promise<number> {
  const { values, positionals } = parse(args, {
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    concurrency: { type: 'string' },
    batch: { type: 'boolean' },
    job: { type: 'string' },
    'no-wait': { type: 'boolean' },
    report: { type: 'string' },
    site: { type: 'string' },
    stale: { type: 'boolean' },
    ...OUTPUT_FLAGS,
    ...REVIEW_FLAG,
  });
  if (values.bool('help')) {
    io.out(help());
    return 0;
  }
  let concurrency: number | undefined;
  if (values.str('concurrency') !== undefined) {
    concurrency = Number(values.str('concurrency'));
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
      throw new UsageError(l10n.t('--concurrency takes a whole number from 1 to 16.'));
    }
  }
  const job = values.str('job');
  if (job !== undefined && (values.bool('batch') || values.bool('dry-run'))) {
    throw new UsageError(l10n.t('--job picks up a job already sent: it does not go with --batch or --dry-run.'));
  }
  if (values.bool('no-wait') && !values.bool('batch') && job === undefined) {
    throw new UsageError(l10n.t('--no-wait goes with --batch or --job NAME.'));
  }
  const s = await start(io, values, { fillConcurrency: concurrency, ...outputOverrides(values), ...reviewOverride(values) });
  const settings = s.configured.settings;
  // Where the report goes is checked before anything is spent.
  const report = values.str('report') !== undefined ? await s.workspace.reportPath(values.str('report') as string) : undefined;
  // --stale: the images Illustrate made whose alt text changed since, made again in place.
  const stale = values.bool('stale');
  if (stale && (values.bool('batch') || job !== undefined)) {
    throw new UsageError(l10n.t('--stale does not go with --batch or --job.'));
  }
  const plan = await planFill(s, positionals, () => signal.aborted, stale);
  // --stale: translated pictures whose source changed since, made again first (./variantsLang).
  const translated = stale ? await remakeStaleTranslations(s, await planStaleTranslations(s, plan), io, values, signal, stop) : 0;
  // Dark twins: with --stale, those whose picture changed since, made again; with illustrate.variants.dark, one for each new picture.
  const staleTwins = stale ? await planDark(s, positionals, { staleOnly: true, isCancelled: () => signal.aborted }) : undefined;
  // A batch's twins are made when its pictures are placed, as ordinary edits (the Batch API's half price is for the pictures).
  const twinCount = (staleTwins?.targets.length ?? 0) + (settings.darkTwins ? plan.targets.length : 0);
  const twinOne = darkTwinEstimate(settings);
  const twinCost = twinCount ? (twinOne === undefined ? undefined : twinOne * twinCount) : 0;
  const images = fillEstimate(settings, plan.targets);
  const cost = images === undefined || twinCost === undefined ? undefined : images + twinCost;
  const batch = values.bool('batch') || job !== undefined;
  // A batch's results are not reviewed (illustrate review looks at them later); a run's are, beside the generations.
  const review = batch ? undefined : reviewPlan(settings, plan.targets);
  const price = batch ? (images === undefined || twinCost === undefined ? undefined : images / 2 + twinCost) : cost === undefined || (review && review.cost === undefined) ? undefined : cost + (review?.cost ?? 0);
  const json = values.bool('json');
  if (batch && !offersBatch(settings.baseUrl, settings.authHeader)) {
    throw new UsageError(l10n.t('--batch needs Google\'s Batch API: use --base-url {0} (or --auth-header x-goog-api-key with a gateway that offers it).', 'https://generativelanguage.googleapis.com'));
  }
  const twinLines = (): string[] =>
    twinCount
      ? [
          batch
            ? l10n.t('  + {0} dark twins ({1} image edits at the full price, made when the batch\'s pictures are placed, {2}), in the cost above', twinCount, twinCount, formatCost(twinCost))
            : l10n.t('  + {0} dark twins ({1} image edits, {2}), in the cost above', twinCount, twinCount, formatCost(twinCost)),
        ]
      : [];
  const show = (): void => {
    if (values.bool('json')) {
      io.out(JSON.stringify({ plan: { ...planJson(s, plan, cost, review), darkTwins: twinCount }, ran: false }));
    } else {
      [...planLines(s, plan, price, batch, stale, review), ...twinLines()].forEach((l) => io.out(l));
    }
  };
  if (job !== undefined) {
    if (!s.configured.key) {
      throw new IllustrateError('noKey', noKeyMessage());
    }
    return collectBatch(s, plan, job, { io, json, report, wait: !values.bool('no-wait'), resumed: true, paths: positionals }, AbortSignal.any([signal, stop]));
  }
  if (!plan.targets.length && !staleTwins?.targets.length) {
    show();
    return translated;
  }
  if (values.bool('dry-run')) {
    show();
    return translated;
  }
  if (!(await askToSpend(io, values.bool('yes') === true, show, () => [...planLines(s, plan, price, batch, stale, review), ...twinLines()], {
    question: l10n.t('Generate {0} for {1}? [y/N] ', plan.targets.length + twinCount === 1 ? l10n.t('1 image') : l10n.t('{0} images', plan.targets.length + twinCount), formatCost(price)),
    notAsked: l10n.t('illustrate: nothing was generated. Run again with --yes to generate these images.'),
    declined: l10n.t('illustrate: nothing was generated.'),
  }, s.configured.key))) {
    return 0;
  }
  if (batch) {
    return batchFill(s, plan, { io, json, report, wait: !values.bool('no-wait'), resumed: false, paths: positionals }, AbortSignal.any([signal, stop]));
  }
  const outcome = await runPlan(
    s,
    plan,
    settings.fillConcurrency,
    signal,
    (p) => {
      if (io.interactive && !values.bool('json')) {
        io.progress(bar(p.done, p.failed, p.total, p.cost, p.reviewing));
      }
    },
    stop,
    stale,
  );
  if (io.interactive && !values.bool('json')) {
    io.progress('');
  }
  // The twins: of the new pictures (illustrate.variants.dark), and those whose picture changed (--stale).
  const twins = await twinsAfterFill(s, positionals, outcome.made.map((m) => m.file), signal, stop, staleTwins);
  reportOutcome(s, plan, outcome, io, values.bool('json'), undefined, twins);
  await writeReport(report, s, plan, outcome);
  if (signal.aborted) {
    io.err(l10n.t('illustrate: interrupted: the requests in flight were aborted; {0} made, {1} not made.', outcome.made.length, plan.targets.length - outcome.made.length));
    return 130;
  }
  if (stop.aborted) {
    io.err(l10n.t('illustrate: interrupted: no new image was started, and every request in flight finished ({0} made, {1} not started).', outcome.made.length, outcome.cancelled.length));
    return 130;
  }
  return outcomeCode(outcome) || translated;
}
