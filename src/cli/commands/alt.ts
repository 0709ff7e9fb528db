/** `illustrate alt`: the images without a useful alt text described by a text model, and only their alt text written. */
import * as l10n from '@vscode/l10n';
import { formatCost } from '../../core/api/pricing';
import { linkText } from '../../core/docs/docScan';
import { printable } from '../../core/escape';
import { parse, start } from '../args';
import { help } from '../help';
import { Io, outcomeCode, planAskRun } from '../output';
import { planAlt, runAlt } from '../run';

/** `illustrate alt`: alt text for the images that have none, with fill's plan, cost and question. */
export async function altCommand(args: string[], io: Io, signal: AbortSignal, stop: AbortSignal): Promise<number> {
  const { values, positionals } = parse(args, { 'dry-run': { type: 'boolean' }, yes: { type: 'boolean', short: 'y' }, site: { type: 'string' }, 'describe-model': { type: 'string' } });
  if (values.bool('help')) {
    io.out(help());
    return 0;
  }
  const s = await start(io, values, {});
  const settings = s.configured.settings;
  const plan = await planAlt(s, positionals, () => signal.aborted);
  const rel = (p: string): string => s.workspace.relative(p);
  const { model, cost } = await s.describer.estimate(settings, plan.targets.length, plan.targets.length > 0 && s.configured.key !== undefined, signal);
  const json = values.bool('json');
  const planJson = {
    documents: plan.documents,
    model,
    cost: cost ?? null,
    images: plan.targets.map((t) => ({ file: rel(t.uri), format: t.format, language: t.language, links: t.links.map((l) => ({ document: rel(l.document), line: l.line, link: linkText(l.image), need: l.need })) })),
    skipped: plan.skipped.map((k) => ({ file: rel(k.file), document: rel(k.link.document), line: k.link.line, link: linkText(k.link.image), need: k.link.need, reason: k.reason })),
  };
  const lines = (): string[] => [
    `${plan.targets.length === 1 ? l10n.t('1 image needs alt text') : l10n.t('{0} images need alt text', plan.targets.length)}${plan.documents === 1 ? l10n.t(' in 1 document') : l10n.t(' in {0} documents', plan.documents)} · ${model} · ${formatCost(cost)}`,
    ...plan.targets.flatMap((t) => t.links.map((l) => `  ${printable(rel(l.document))}:${l.line}  ${printable(linkText(l.image).slice(0, 200))}  → ${printable(rel(t.uri))}${l.need === 'missing' ? '' : l10n.t(' (describes nothing)')}${t.language !== 'English' ? ` · ${t.language}` : ''}`)),
    ...plan.skipped.map((k) => `  - ${printable(rel(k.link.document))}:${k.link.line}  ${printable(rel(k.file))}: ${printable(k.reason)}`),
  ];
  const ran = await planAskRun(
    io,
    { count: plan.targets.length, json, dryRun: values.bool('dry-run'), yes: values.bool('yes'), key: s.configured.key, planJson, lines },
    {
      question: plan.targets.length === 1 ? l10n.t('Describe 1 image for {0}? [y/N] ', formatCost(cost)) : l10n.t('Describe {0} images for {1}? [y/N] ', plan.targets.length, formatCost(cost)),
      notAsked: l10n.t('illustrate: nothing was described. Run again with --yes to write these alt texts.'),
      declined: l10n.t('illustrate: nothing was described.'),
    },
    (onProgress) => runAlt(s, plan, plan.targets, signal, onProgress, stop),
  );
  if (!ran) {
    return 0;
  }
  const { outcome, unwritten } = ran;
  if (json) {
    io.out(
      JSON.stringify({
        plan: planJson,
        ran: true,
        written: outcome.made.map((m) => ({ file: rel(m.target.uri), alt: m.described.text, decorative: m.described.decorative, links: m.target.links.length })),
        failed: [...outcome.failed.map((f) => ({ file: rel(f.target.uri), message: f.message })), ...unwritten.map((message) => ({ file: null, message }))],
        cost: outcome.cost,
      }),
    );
  } else {
    for (const m of outcome.made) {
      io.out(m.described.decorative ? l10n.t('decorative {0}: its alt text is left empty', printable(rel(m.target.uri))) : l10n.t('wrote {0}: "{1}"', printable(rel(m.target.uri)), printable(m.described.text)));
    }
    for (const f of outcome.failed) {
      io.out(l10n.t('failed {0}: {1}', printable(rel(f.target.uri)), printable(f.message)));
    }
    for (const u of unwritten) {
      io.out(l10n.t('not written: {0}', printable(u)));
    }
    io.err(l10n.t('illustrate alt: {0} of {1} described · {2} failed · ≈ ${3}', outcome.made.length, plan.targets.length, outcome.failed.length, outcome.cost.toFixed(4)));
  }
  if (outcome.stopped) {
    io.err(`illustrate: stopped: ${outcome.stopped}`);
  }
  if (signal.aborted || stop.aborted) {
    return 130;
  }
  // The same exit codes as a fill: 3 when the key was refused (the run stopped there).
  const code = outcomeCode(outcome);
  return code || (unwritten.length ? 1 : 0);
}
