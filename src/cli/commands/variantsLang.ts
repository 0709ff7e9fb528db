/** `illustrate variants [PATH…] --lang ja,zh-CN`: the pictures translated pages share with their source pages, translated into each page's language, planned, priced and asked about. */
import * as l10n from '@vscode/l10n';
import { DEFAULT_DESCRIBE_MODEL } from '../../core/api/describe';
import { formatCost } from '../../core/api/pricing';
import { printable } from '../../core/escape';
import { madeReviewJson, verdictLine } from '../../core/review/made';
import { changedLinks, translationEstimate, TranslationPlan, TranslationRun, TranslationTarget } from '../../core/variants/translate';
import { parse, REVIEW_FLAG, reviewOverride, start } from '../args';
import { UsageError } from '../config';
import { help } from '../help';
import { Io, outcomeCode, planAskRun } from '../output';
import { Session } from '../run';
import { planLanguageVariants, runLanguageVariants } from '../translate';

/** The languages `--lang` names: `ja,zh-CN`, or `all`. */
export function langList(raw: string): string[] {
  const langs = raw.split(',').map((l) => l.trim()).filter(Boolean);
  if (!langs.length || langs.some((l) => !/^(?:all|[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?|[a-z]+(?:-[a-z]+)?)$/.test(l))) {
    throw new UsageError(l10n.t('--lang takes language tags separated by commas (--lang ja,zh-CN), or all.'));
  }
  return langs.includes('all') ? [] : langs;
}

/** The plan as JSON, for `--json` and the MCP tool. */
export function translationPlanJson(s: Session, plan: TranslationPlan<string>, cost: number | undefined): Record<string, unknown> {
  const rel = (p: string): string => s.workspace.relative(p);
  return {
    model: s.configured.settings.model,
    documents: plan.documents,
    estimatedCost: cost ?? null,
    images: plan.targets.map((t) => ({
      file: rel(t.uri),
      out: rel(t.out),
      lang: t.lang,
      language: t.language,
      text: t.text,
      replaces: t.replace,
      links: t.links.map((l) => ({ document: rel(l.document), line: l.line })),
      changes: changedLinks(t),
      words: t.words,
    })),
    skipped: plan.skipped.map((k) => ({ file: rel(k.file), lang: k.lang ?? null, document: k.document === undefined ? null : rel(k.document), line: k.line ?? null, reason: k.reason })),
  };
}

/** The run as JSON: what was made (and reviewed), left alone for having no text, failed, written. */
export function translationRunJson(s: Session, run: TranslationRun<string>): Record<string, unknown> {
  const rel = (p: string): string => s.workspace.relative(p);
  const { outcome } = run;
  return {
    made: outcome.made.flatMap((m) => (m.made.kind === 'made' ? [{ file: rel(m.target.out), source: rel(m.target.uri), lang: m.target.lang, width: m.made.image.width, height: m.made.image.height, format: m.made.image.format, cost: m.made.image.cost ?? null, ...(m.made.review ? { review: madeReviewJson(m.made.review) } : {}) }] : [])),
    noText: outcome.made.flatMap((m) => (m.made.kind === 'noText' ? [{ file: rel(m.target.uri), lang: m.target.lang }] : [])),
    pagesChanged: run.result.edits.map((e) => rel(e.document)),
    failed: outcome.failed.map((f) => ({ file: rel(f.target.uri), lang: f.target.lang, message: f.message })),
    notStarted: outcome.cancelled.map((c) => rel(c.uri)),
    unwritten: run.unwritten,
    stopped: outcome.stopped ?? null,
    cost: outcome.cost,
  };
}

/** The plan as lines for a terminal. */
export function translationPlanLines(s: Session, plan: TranslationPlan<string>, cost: number | undefined): string[] {
  const rel = (p: string): string => printable(s.workspace.relative(p));
  const settings = s.configured.settings;
  const looks = plan.targets.filter((t) => t.text === 'look').length;
  return [
    `${plan.targets.length === 1 ? l10n.t('1 picture to translate') : l10n.t('{0} pictures to translate', plan.targets.length)}${looks ? l10n.t(' · {0} looked at first for text (the describe model)', looks) : ''} · ${settings.model} ${settings.imageSize || ''} · ${formatCost(cost)}`,
    ...plan.targets.map((t) => `  + ${translationLine(t, rel)}`),
    ...plan.skipped.map((k) => `  - ${rel(k.file)}${k.lang ? ` (${printable(k.lang)})` : ''}: ${printable(k.reason)}`),
  ];
}

function translationLine(t: TranslationTarget<string>, rel: (p: string) => string): string {
  const where = t.replace ? l10n.t('made again over {0}', rel(t.out)) : rel(t.out);
  const pages = [...new Set(t.links.map((l) => rel(l.document)))];
  const links = t.edits.length ? l10n.t(' · the link changes in {0}', pages.join(', ')) : t.replace ? '' : l10n.t(' · no link changes (the site picks it by its name)');
  const look = t.text === 'look' ? l10n.t(' · looked at first: left alone if it holds no text') : '';
  return `${rel(t.uri)} → ${where} (${printable(t.lang)}, ${printable(t.language)})${links}${look}`;
}

/** Prints what a run made, and returns its exit code. */
export function reportTranslations(s: Session, run: TranslationRun<string>, io: Io, total: number): void {
  const rel = (p: string): string => printable(s.workspace.relative(p));
  const { outcome } = run;
  for (const m of outcome.made) {
    if (m.made.kind === 'made') {
      const review = m.made.review ? ` · ${verdictLine(m.made.review.verdict)}` : '';
      io.out(l10n.t('translated {0} into {1}: {2}', rel(m.target.uri), printable(m.target.language), rel(m.target.out)) + review);
    } else {
      io.out(l10n.t('left alone {0}: the describe model saw no text in it', rel(m.target.uri)));
    }
  }
  for (const f of outcome.failed) {
    io.out(l10n.t('failed {0}: {1}', rel(f.target.uri), printable(f.message)));
  }
  for (const u of run.unwritten) {
    io.err(`illustrate: ${printable(u)}`);
  }
  if (outcome.stopped) {
    io.err(`illustrate: stopped: ${printable(outcome.stopped)}`);
  }
  const made = outcome.made.filter((m) => m.made.kind === 'made').length;
  io.err(l10n.t('illustrate variants --lang: {0} of {1} translated · {2} pages changed · {3} failed · ≈ ${4}', made, total, run.result.edits.length, outcome.failed.length, outcome.cost.toFixed(3)));
}

export async function variantsLangCommand(args: string[], io: Io, signal: AbortSignal, stop: AbortSignal): Promise<number> {
  const { values, positionals } = parse(args, {
    lang: { type: 'string' },
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    ...REVIEW_FLAG,
  });
  if (values.bool('help')) {
    io.out(help());
    return 0;
  }
  const langs = langList(values.str('lang') ?? '');
  const s = await start(io, values, { ...reviewOverride(values) });
  const settings = s.configured.settings;
  const plan = await planLanguageVariants(s, positionals, langs, () => signal.aborted);
  const cost = translationEstimate(plan.targets, () => settings, settings.describeModel || DEFAULT_DESCRIBE_MODEL);
  const json = values.bool('json');
  const count = plan.targets.length === 1 ? l10n.t('1 picture') : l10n.t('{0} pictures', plan.targets.length);
  const run = await planAskRun(
    io,
    { count: plan.targets.length, json, dryRun: values.bool('dry-run'), yes: values.bool('yes'), key: s.configured.key, planJson: translationPlanJson(s, plan, cost), lines: () => translationPlanLines(s, plan, cost) },
    {
      question: l10n.t('Translate {0} for {1}? [y/N] ', count, formatCost(cost)),
      notAsked: l10n.t('illustrate: nothing was translated. Run again with --yes to translate these pictures.'),
      declined: l10n.t('illustrate: nothing was translated.'),
    },
    (onProgress) => runLanguageVariants(s, plan.targets, signal, onProgress, stop),
  );
  if (!run) {
    return 0;
  }
  if (json) {
    io.out(JSON.stringify({ plan: translationPlanJson(s, plan, cost), ran: true, ...translationRunJson(s, run) }));
  } else {
    reportTranslations(s, run, io, plan.targets.length);
  }
  if (signal.aborted || stop.aborted) {
    return 130;
  }
  return outcomeCode(run.outcome) || (run.unwritten.length ? 1 : 0);
}

/**
 * `fill --stale`'s translations: the translated pictures whose source changed since, made again
 * in place (no link changes), planned, priced and asked about as the fill is. Returns the exit code.
 */
export async function remakeStaleTranslations(s: Session, targets: readonly TranslationTarget<string>[], io: Io, values: { bool(name: string): boolean }, signal: AbortSignal, stop: AbortSignal): Promise<number> {
  if (!targets.length) {
    return 0;
  }
  const settings = s.configured.settings;
  const plan: TranslationPlan<string> = { targets, skipped: [], documents: 0 };
  const cost = translationEstimate(targets, () => settings, settings.describeModel || DEFAULT_DESCRIBE_MODEL);
  const json = values.bool('json');
  const lines = (): string[] => [targets.length === 1 ? l10n.t('1 stale translation (its source picture changed)') : l10n.t('{0} stale translations (their source pictures changed)', targets.length), ...translationPlanLines(s, plan, cost).slice(1)];
  const run = await planAskRun(
    io,
    { count: targets.length, json, dryRun: values.bool('dry-run'), yes: values.bool('yes'), key: s.configured.key, planJson: { translations: translationPlanJson(s, plan, cost) }, lines },
    {
      question: l10n.t('Translate {0} again for {1}? [y/N] ', targets.length === 1 ? l10n.t('1 picture') : l10n.t('{0} pictures', targets.length), formatCost(cost)),
      notAsked: l10n.t('illustrate: nothing was translated. Run again with --yes to translate these pictures.'),
      declined: l10n.t('illustrate: nothing was translated.'),
    },
    (onProgress) => runLanguageVariants(s, targets, signal, onProgress, stop),
  );
  if (!run) {
    return 0;
  }
  if (json) {
    io.out(JSON.stringify({ translations: { plan: translationPlanJson(s, plan, cost), ran: true, ...translationRunJson(s, run) } }));
  } else {
    reportTranslations(s, run, io, targets.length);
  }
  return signal.aborted || stop.aborted ? 130 : outcomeCode(run.outcome) || (run.unwritten.length ? 1 : 0);
}
