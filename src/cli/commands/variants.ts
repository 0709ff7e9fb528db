/** `illustrate variants IMAGE… --transparent`: pictures already there, their backgrounds taken away (two image calls each), planned, priced and asked about; `illustrate variants [PATH…] --dark`: the dark twins (commands/dark). */
import * as l10n from '@vscode/l10n';
import { formatCost } from '../../core/api/pricing';
import { printable } from '../../core/escape';
import { transparentJobEstimate } from '../../core/fill/jobs';
import { parse, start } from '../args';
import { UsageError } from '../config';
import { help } from '../help';
import { askToSpend, bar, Io, outcomeCode } from '../output';
import { planTransparent, runTransparent } from '../run';
import { darkCommand } from './dark';
import { variantsLangCommand } from './variantsLang';

export async function variantsCommand(args: string[], io: Io, signal: AbortSignal, stop: AbortSignal): Promise<number> {
  // --lang: translated pictures for translated pages (./variantsLang).
  if (args.some((a) => a === '--lang' || a.startsWith('--lang='))) {
    return variantsLangCommand(args, io, signal, stop);
  }
  const { values, positionals } = parse(args, {
    transparent: { type: 'boolean' },
    dark: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    output: { type: 'string', short: 'o' },
  });
  if (values.bool('help')) {
    io.out(help());
    return 0;
  }
  if (values.bool('dark')) {
    if (values.bool('transparent') || values.str('output') !== undefined) {
      throw new UsageError(l10n.t('--dark makes the twins of the images the pages link: it does not go with --transparent or -o.'));
    }
    return darkCommand(values, positionals, io, signal, stop);
  }
  if (!values.bool('transparent')) {
    throw new UsageError(l10n.t('variants needs the kind of variant to make: --transparent (illustrate variants docs/img/logo.png --transparent) or --dark (illustrate variants docs --dark).'));
  }
  if (!positionals.length) {
    throw new UsageError(l10n.t('variants needs one or more images: illustrate variants docs/img/logo.png --transparent'));
  }
  const out = values.str('output');
  if (out !== undefined && positionals.length > 1) {
    throw new UsageError(l10n.t('-o names one file: give it with one image.'));
  }
  const s = await start(io, values, {});
  const settings = s.configured.settings;
  const plan = await planTransparent(s, positionals, out);
  const cost = transparentJobEstimate(plan.targets, () => settings);
  const rel = (p: string): string => s.workspace.relative(p);
  const json = values.bool('json');
  const calls = plan.targets.length * 2;
  const planJson = {
    model: settings.model,
    imageSize: settings.imageSize || null,
    calls,
    estimatedCost: cost ?? null,
    images: plan.targets.map((t) => ({ file: rel(t.uri), out: rel(t.out), format: t.output.format, replaces: t.out === t.uri, prompt: t.prompt, calls: 2 })),
    skipped: plan.skipped,
  };
  const lines = (): string[] => [
    `${plan.targets.length === 1 ? l10n.t('1 image to make transparent') : l10n.t('{0} images to make transparent', plan.targets.length)} · ${l10n.t('{0} image calls (each image: an edit onto white, then one onto black)', calls)} · ${settings.model} ${settings.imageSize || ''} · ${formatCost(cost)}`,
    ...plan.targets.map((t) => `  + ${printable(rel(t.uri))} → ${t.out === t.uri ? l10n.t('replaced by a {0} with alpha', t.output.format.toUpperCase()) : printable(rel(t.out))}`),
    ...plan.skipped.map((k) => `  - ${printable(k.file)}: ${printable(k.reason)}`),
  ];
  const show = (): void => {
    if (json) {
      io.out(JSON.stringify({ plan: planJson, ran: false }));
    } else {
      lines().forEach((l) => io.out(l));
    }
  };
  if (!plan.targets.length || values.bool('dry-run')) {
    show();
    return 0;
  }
  if (
    !(await askToSpend(
      io,
      values.bool('yes'),
      show,
      lines,
      {
        question: l10n.t('Make {0} transparent ({1} image calls) for {2}? [y/N] ', plan.targets.length === 1 ? l10n.t('1 image') : l10n.t('{0} images', plan.targets.length), calls, formatCost(cost)),
        notAsked: l10n.t('illustrate: nothing was made. Run again with --yes to make these images transparent.'),
        declined: l10n.t('illustrate: nothing was made.'),
      },
      s.configured.key,
    ))
  ) {
    return 0;
  }
  const outcome = await runTransparent(
    s,
    plan,
    signal,
    (p) => {
      if (io.interactive && !json) {
        io.progress(bar(p.done, p.failed, p.total, p.cost));
      }
    },
    stop,
  );
  if (io.interactive && !json) {
    io.progress('');
  }
  if (json) {
    io.out(
      JSON.stringify({
        plan: planJson,
        ran: true,
        made: outcome.made.map((m) => ({ file: rel(m.file), source: rel(m.target.uri), width: m.image.width, height: m.image.height, format: m.image.format, bytes: m.image.bytes.length, transparent: true, requests: 2, cost: m.image.cost ?? null })),
        failed: outcome.failed.map((f) => ({ file: rel(f.target.uri), message: f.message })),
        notStarted: outcome.cancelled.map((c) => rel(c.uri)),
        stopped: outcome.stopped ?? null,
        cost: outcome.cost,
      }),
    );
  } else {
    for (const m of outcome.made) {
      io.out(l10n.t('made {0} transparent ({1}×{2} {3})', printable(rel(m.file)), m.image.width, m.image.height, m.image.format.toUpperCase()));
    }
    for (const f of outcome.failed) {
      io.out(l10n.t('failed {0}: {1}', printable(rel(f.target.uri)), printable(f.message)));
    }
    if (outcome.stopped) {
      io.err(`illustrate: stopped: ${outcome.stopped}`);
    }
    io.err(l10n.t('illustrate variants: {0} of {1} made transparent · {2} failed · ≈ ${3}', outcome.made.length, plan.targets.length, outcome.failed.length, outcome.cost.toFixed(3)));
  }
  if (signal.aborted || stop.aborted) {
    return 130;
  }
  return outcomeCode(outcome);
}
