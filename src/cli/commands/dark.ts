/** `illustrate variants [PATH…] --dark`: the dark twins of the images the pages link, and the page markup that switches to them, planned, priced and asked about. */
import * as l10n from '@vscode/l10n';
import { formatCost } from '../../core/api/pricing';
import { printable } from '../../core/escape';
import { darkPlanEstimate, DarkPlan } from '../../core/fill/dark';
import { Flags, start } from '../args';
import { Io, outcomeCode, planAskRun } from '../output';
import { planDark, runDark, Session } from '../run';

/** A dark plan as JSON, paths relative to the root: the twins, the pages each edits, the links left out. */
export function darkPlanJson(s: Session, plan: DarkPlan<string>, cost: number | undefined): Record<string, unknown> {
  const rel = (p: string): string => s.workspace.relative(p);
  const settings = s.configured.settings;
  return {
    model: settings.model,
    imageSize: settings.imageSize || null,
    calls: plan.targets.filter((t) => t.make).length,
    estimatedCost: cost ?? null,
    twins: plan.targets.map((t) => ({ file: rel(t.uri), twin: rel(t.twin), make: t.make, stale: t.stale === true, documents: t.edits.map((e) => rel(e.document)), links: t.edits.reduce((n, e) => n + e.edits.length / 2, 0) })),
    switching: plan.switching,
    skipped: plan.skipped.map((k) => ({ file: rel(k.file), document: k.document === undefined ? null : rel(k.document), line: k.line ?? null, reason: k.reason })),
  };
}

/** The plan's lines: a summary, then each twin (made or there) with the pages it switches, then what is left out. */
export function darkPlanLines(s: Session, plan: DarkPlan<string>, cost: number | undefined): string[] {
  const rel = (p: string): string => s.workspace.relative(p);
  const making = plan.targets.filter((t) => t.make).length;
  const settings = s.configured.settings;
  return [
    `${making === 1 ? l10n.t('1 dark twin to make') : l10n.t('{0} dark twins to make', making)} · ${l10n.t('{0} image calls (an edit of each picture)', making)} · ${settings.model} ${settings.imageSize || ''} · ${formatCost(cost)}${plan.switching ? l10n.t(' · {0} links already switch', plan.switching) : ''}`,
    ...plan.targets.map((t) => `  + ${printable(rel(t.uri))} → ${printable(rel(t.twin))}${t.make ? (t.stale ? l10n.t(' (made again: the picture changed)') : '') : l10n.t(' (already there)')}${t.edits.length ? ` · ${t.edits.map((e) => printable(rel(e.document))).join(', ')}` : ''}`),
    ...plan.skipped.map((k) => `  - ${printable(rel(k.file))}${k.document !== undefined ? ` (${printable(rel(k.document))}:${k.line ?? 0})` : ''}: ${printable(k.reason)}`),
  ];
}

/** The dark twins under `paths`: planned, priced, asked about, made and linked. */
export async function darkCommand(values: Flags, paths: readonly string[], io: Io, signal: AbortSignal, stop: AbortSignal): Promise<number> {
  const s = await start(io, values, {});
  const settings = s.configured.settings;
  const plan = await planDark(s, paths, { isCancelled: () => signal.aborted });
  const cost = darkPlanEstimate(plan.targets, () => settings);
  const rel = (p: string): string => s.workspace.relative(p);
  const json = values.bool('json');
  const planJson = darkPlanJson(s, plan, cost);
  const lines = (): string[] => darkPlanLines(s, plan, cost);
  const making = plan.targets.filter((t) => t.make).length;
  const text = {
    question: l10n.t('Make {0} dark twins and switch their pages for {1}? [y/N] ', making, formatCost(cost)),
    notAsked: l10n.t('illustrate: nothing was made. Run again with --yes to make these dark twins.'),
    declined: l10n.t('illustrate: nothing was made.'),
  };
  // Twins already there only need their pages' markup: nothing is bought, so no key is needed.
  const key = making ? s.configured.key : (s.configured.key ?? 'none needed');
  const ran = await planAskRun(io, { count: plan.targets.length, json, dryRun: values.bool('dry-run'), yes: values.bool('yes'), key, planJson, lines }, text, (onProgress) => runDark(s, plan, signal, onProgress, stop));
  if (!ran) {
    return 0;
  }
  const { outcome, edits, unwritten } = ran;
  if (json) {
    io.out(
      JSON.stringify({
        plan: planJson,
        ran: true,
        made: outcome.made.map((m) => ({ file: rel(m.target.twin), source: rel(m.target.uri), width: m.image.width, height: m.image.height, format: m.image.format, bytes: m.image.bytes.length, cost: m.image.cost ?? null })),
        edited: edits.map((e) => ({ document: rel(e.document), links: e.edits.length / 2 })),
        failed: [...outcome.failed.map((f) => ({ file: rel(f.target.uri), message: f.message })), ...unwritten.map((message) => ({ file: null, message }))],
        notStarted: outcome.cancelled.map((c) => rel(c.uri)),
        stopped: outcome.stopped ?? null,
        cost: outcome.cost,
      }),
    );
  } else {
    for (const m of outcome.made) {
      io.out(l10n.t('made {0} ({1}×{2} {3}), the dark twin of {4}', printable(rel(m.target.twin)), m.image.width, m.image.height, m.image.format.toUpperCase(), printable(rel(m.target.uri))));
    }
    for (const e of edits) {
      io.out(l10n.t('switched {0} links in {1}', e.edits.length / 2, printable(rel(e.document))));
    }
    for (const f of outcome.failed) {
      io.out(l10n.t('failed {0}: {1}', printable(rel(f.target.uri)), printable(f.message)));
    }
    for (const message of unwritten) {
      io.out(l10n.t('not written: {0}', printable(message)));
    }
    if (outcome.stopped) {
      io.err(`illustrate: stopped: ${outcome.stopped}`);
    }
    io.err(l10n.t('illustrate variants: {0} of {1} dark twins made · {2} failed · ≈ ${3}', outcome.made.length, making, outcome.failed.length, outcome.cost.toFixed(3)));
  }
  if (signal.aborted || stop.aborted) {
    return 130;
  }
  return unwritten.length && !outcome.failed.length ? 1 : outcomeCode(outcome);
}
