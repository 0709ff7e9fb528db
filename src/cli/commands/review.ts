/** `illustrate review`: the pictures already in the docs looked at by a text model against their words, each verdict kept in Illustrate's record. */
import * as l10n from '@vscode/l10n';
import { formatCost } from '../../core/api/pricing';
import { printable } from '../../core/escape';
import { verdictReasons, verdictsInOrder } from '../../core/review/job';
import { Verdict } from '../../core/review/review';
import { parse, start } from '../args';
import { help } from '../help';
import { Io, outcomeCode, planAskRun } from '../output';
import { planReviewImages, runReview } from '../run';

/** A verdict as JSON: the status, the problems or the reason, the model and the cost. */
export function verdictJson(verdict: Verdict): Record<string, unknown> {
  return verdict.status === 'unreviewed'
    ? { status: 'unreviewed', reason: verdict.reason, model: verdict.model ?? null, cost: verdict.cost ?? null }
    : { status: verdict.status, problems: verdict.problems, model: verdict.model, cost: verdict.cost ?? null, date: verdict.date };
}

/**
 * `illustrate review`: every picture the docs link to that can be sent, reviewed against its
 * record's prompt (Illustrate's) or its alt text (others), with fill's plan, cost and question.
 * Exit codes as `check` for findings: 1 when a picture failed its review or could not be reviewed;
 * 3 when the key was refused (the run stopped there).
 */
export async function reviewCommand(args: string[], io: Io, signal: AbortSignal, stop: AbortSignal): Promise<number> {
  const { values, positionals } = parse(args, { 'dry-run': { type: 'boolean' }, yes: { type: 'boolean', short: 'y' }, site: { type: 'string' }, 'review-model': { type: 'string' }, 'describe-model': { type: 'string' } });
  if (values.bool('help')) {
    io.out(help());
    return 0;
  }
  const s = await start(io, values, {});
  const settings = s.configured.settings;
  const plan = await planReviewImages(s, positionals, () => signal.aborted);
  const rel = (p: string): string => s.workspace.relative(p);
  const { model, cost } = await s.reviewer.estimate(settings, plan.targets.map((t) => t.words), plan.targets.length > 0 && s.configured.key !== undefined, signal);
  const json = values.bool('json');
  const planJson = {
    documents: plan.documents,
    model,
    cost: cost ?? null,
    images: plan.targets.map((t) => ({
      file: rel(t.uri),
      format: t.format,
      against: t.words.from === 'alt' ? 'alt' : 'record',
      prompt: t.words.prompt,
      ...(t.words.style ? { style: t.words.style } : {}),
      ...(t.words.edit ? { edit: t.words.edit } : {}),
      links: t.links.map((l) => ({ document: rel(l.document), line: l.line })),
    })),
    skipped: plan.skipped.map((k) => ({ file: rel(k.file), document: rel(k.link.document), line: k.link.line, reason: k.reason })),
  };
  const lines = (): string[] => [
    `${plan.targets.length === 1 ? l10n.t('1 image to review') : l10n.t('{0} images to review', plan.targets.length)}${plan.documents === 1 ? l10n.t(' in 1 document') : l10n.t(' in {0} documents', plan.documents)} · ${model} · ${formatCost(cost)}`,
    ...plan.targets.map((t) => `  ${printable(rel(t.uri))}  ${t.words.from === 'alt' ? l10n.t('against its alt text') : l10n.t('against its prompt')}: ${printable(t.words.prompt.slice(0, 120))}`),
    ...plan.skipped.map((k) => `  - ${printable(rel(k.file))}: ${printable(k.reason)}`),
  ];
  const ran = await planAskRun(
    io,
    { count: plan.targets.length, json, dryRun: values.bool('dry-run'), yes: values.bool('yes'), key: s.configured.key, planJson, lines },
    {
      question: plan.targets.length === 1 ? l10n.t('Review 1 image for {0}? [y/N] ', formatCost(cost)) : l10n.t('Review {0} images for {1}? [y/N] ', plan.targets.length, formatCost(cost)),
      notAsked: l10n.t('illustrate: nothing was reviewed. Run again with --yes to review these images.'),
      declined: l10n.t('illustrate: nothing was reviewed.'),
    },
    (onProgress) => runReview(s, plan.targets, signal, onProgress, stop),
  );
  if (!ran) {
    return 0;
  }
  const { outcome, unwritten } = ran;
  const { made, ...count } = verdictsInOrder(outcome);
  if (json) {
    io.out(
      JSON.stringify({
        plan: planJson,
        ran: true,
        reviewed: made.map((m) => ({ file: rel(m.target.uri), ...verdictJson(m.verdict), kept: m.kept })),
        failed: [...outcome.failed.map((f) => ({ file: rel(f.target.uri), message: f.message })), ...unwritten.map((message) => ({ file: null, message }))],
        cost: outcome.cost,
      }),
    );
  } else {
    for (const m of made) {
      const file = printable(rel(m.target.uri));
      const v = m.verdict;
      if (v.status === 'unreviewed') {
        io.out(l10n.t('not reviewed {0}: {1}', file, printable(v.reason)));
      } else if (v.status === 'fail') {
        io.out(l10n.t('fail {0}: {1}', file, printable(verdictReasons(v))));
      } else {
        io.out(l10n.t('pass {0}', file));
      }
    }
    for (const f of outcome.failed) {
      io.out(l10n.t('failed {0}: {1}', printable(rel(f.target.uri)), printable(f.message)));
    }
    for (const u of unwritten) {
      io.out(l10n.t('not written: {0}', printable(u)));
    }
    const notKept = made.filter((m) => !m.kept && m.verdict.status !== 'unreviewed').length;
    io.err(
      l10n.t('illustrate review: {0} of {1} reviewed · {2} passed · {3} failed review · {4} not reviewed · ≈ ${5}', count.pass + count.fail, plan.targets.length, count.pass, count.fail, count.unreviewed + outcome.failed.length, outcome.cost.toFixed(4)) +
        (notKept ? l10n.t(' · not kept for {0} (images Illustrate did not make carry no record)', notKept) : ''),
    );
  }
  if (outcome.stopped) {
    io.err(`illustrate: stopped: ${outcome.stopped}`);
  }
  if (signal.aborted || stop.aborted) {
    return 130;
  }
  // As check for its findings: 1 when a picture failed its review or could not be reviewed; 3 when the key was refused.
  const code = outcomeCode(outcome);
  return code || (count.fail || count.unreviewed || unwritten.length ? 1 : 0);
}
