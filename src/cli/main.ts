/**
 * `illustrate`: Illustrate's command-line tool, for docs pipelines and CI. The editor's core
 * (scan, plan, run, names, links, messages) with the files on disk.
 *
 * Exit codes: 0 all done, 1 some images failed, 2 usage error, 3 key missing or refused,
 * 4 nothing could be reached.
 */
import { promises as fs } from 'fs';
import { parseArgs } from 'util';
import { submitBatch, pollBatch, offersBatch, isActive, BatchEndpoint, BatchStatus } from '../core/api/batch';
import { abortableSleep } from '../core/api/client';
import { ErrorKind, IllustrateError } from '../core/errors';
import { batchRequests, FillOutcome, FillPlan, FillTarget, fillEstimate, fillReport, failureMessage } from '../core/fill/fill';
import { CHECK_GROUPS, checkKinds } from '../core/fill/check';
import { GenerationLog, weightNote } from '../core/api/generator';
import { MIME_TYPES, referenceFormat } from '../core/images/imageFormat';
import { listImageModels } from '../core/api/modelList';
import { MAX_REFERENCE_BYTES, quotedPrice } from '../core/api/models';
import { formatCost } from '../core/api/pricing';
import { ReferenceImage } from '../core/api/request';
import { optionsFromSettings } from '../core/settings';
import { loadReferences } from '../core/images/styleReferences';
import { actionsAnnotation, actionsLogLine, printable } from '../core/escape';
import { OutputFormat, outputFor } from '../core/images/codec';
import { linkText } from '../core/docs/docScan';
import { describeSite, GENERATORS, Generator, SiteOverride } from '../core/docs/sites';
import { toPosix } from '../node/disk';
import { nodeFetch } from '../node/http';
import { configure, noKeyMessage, UsageError } from './config';
import { serveMcp } from './mcp';
import { VERSION } from './version';
import { checkImages, DiskMade, generateOne, placeTarget, planAlt, planFill, runAlt, runPlan, session, Session } from './run';
import * as l10n from '@vscode/l10n';


function help(): string {
  return l10n.t(`illustrate: AI images for your docs, from the command line (Gemini "Nano Banana" models)

Usage:
  illustrate generate "PROMPT" [-o PATH] [--into DOC.md[:LINE]] [--model ID] [--aspect RATIO]
                     [--size SIZE] [--ref IMAGE]... [--style TEXT | --no-style] [--json]
                     [--format png|jpeg|webp] [--quality 1-100] [--max-width PX] [--site GEN[:DIR]]
  illustrate fill [PATH...] [--dry-run] [--yes] [--concurrency N] [--batch [--no-wait]]
                  [--job NAME [--no-wait]] [--json] [--report FILE]
                  [--quality 1-100] [--max-width PX] [--site GEN[:DIR]] [--stale]
  illustrate check [PATH...] [--json] [--format text|github] [--only missing,stale,alt]
  illustrate alt [PATH...] [--dry-run] [--yes] [--json] [--describe-model ID]
  illustrate models [--json]
  illustrate mcp [--base-url URL] [--auth-header H] [--api-key-file FILE] [--describe-model ID]
                                      run the MCP server over stdio (for agents)

generate   Makes one image and prints its path and markdown link. With --into, the link goes
           into the document: where a missing link with this prompt (or -o path) already is,
           else at LINE, else at the end.
fill       Finds every image the markdown files link to but that does not exist, and makes
           it from its alt text. Without --yes it shows the plan and cost and asks on a
           terminal; elsewhere it prints the plan and spends nothing.
           --batch sends one Batch API job at half price and waits for it; with --no-wait it
           prints the job's name and exits. --job NAME picks that job up later (from any
           checkout of the same docs): it places what is ready, or with --no-wait says the
           job is still running and spends nothing.
           --stale makes again, in place, the images Illustrate made whose alt text changed
           since (what illustrate check calls stale), with the same plan and question.
check      Spends nothing: lists every image that is missing, stale (made by Illustrate from
           an alt text that has changed since), or linked with an alt text that cannot
           describe it or with none, one line each with what to run; --format github prints
           GitHub Actions annotations; --only limits it to some of missing, stale and alt.
           Exit 1 when it finds anything.
alt        Finds every image whose alt text is missing or describes nothing ("image", a file
           name), describes it with a Gemini text model (--describe-model) that sees the
           picture and the text around it, and writes the description as its alt text: only
           the alt text changes. Plan, cost and question as for fill.
models     The image models the endpoint offers, with their prices.

Key, endpoint and what alt text buys (never read from the repository):
  ILLUSTRATE_API_KEY or GEMINI_API_KEY   the API key (or --api-key-file FILE outside the project)
  --base-url URL / ILLUSTRATE_BASE_URL   default https://api.apiyi.com (Google's own endpoint
                                         when only GEMINI_API_KEY is set)
  --auth-header auto|bearer|x-goog-api-key / ILLUSTRATE_AUTH_HEADER
  --describe-model ID / ILLUSTRATE_DESCRIBE_MODEL   the text model that writes alt text
                                         (default: the cheapest Flash-Lite the endpoint lists)

Destination, file name, style, model and sizes come from .vscode/settings.json (illustrate.*)
in the current folder, the project root. Nothing is written outside it.

Exit codes: 0 done, 1 some images failed, 2 usage error, 3 key missing or refused,
            4 the endpoint could not be reached.
`);
}

/**
 * In GitHub Actions the runner reads every line of stdout and stderr for workflow commands: each
 * line the tool writes goes through `actionsLogLine` (none can start one); only the annotations
 * `--format github` builds (`actionsAnnotation`) are written as they are.
 */
function actionsIo(io: Io): Io {
  const lines = (write: (line: string) => void) => (text: string) => text.split('\n').forEach((line) => write(actionsLogLine(line)));
  const guarded: Io = { ...io, out: lines(io.out), err: lines(io.err), progress: (line) => io.progress(actionsLogLine(line)) };
  annotations.set(guarded, io.out);
  return guarded;
}

/** The unguarded stdout of each guarded output, for annotations only. */
const annotations = new WeakMap<Io, (line: string) => void>();

/** Writes an annotation made by `actionsAnnotation` (already escaped) to stdout. */
function annotate(io: Io, annotation: string): void {
  (annotations.get(io) ?? io.out)(annotation);
}

/** Where the tool writes: results to stdout, everything else to stderr. */
export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** A terminal on both ends: the plan is asked about, progress is a bar. */
  readonly interactive: boolean;
  readonly ask: (question: string) => Promise<string>;
  readonly progress: (line: string) => void;
}

function exitCodeOf(kind: ErrorKind): number {
  switch (kind) {
    case 'noKey':
    case 'badKey':
    case 'permission':
      return 3;
    case 'network':
    case 'timeout':
    case 'redirect':
      return 4;
    case 'options':
    case 'destination':
      return 2;
    default:
      return 1;
  }
}

const COMMON = {
  'base-url': { type: 'string' },
  'auth-header': { type: 'string' },
  'api-key-file': { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `--format`, `--quality`, `--max-width`: what `illustrate.output.*` says, for this run. */
const OUTPUT_FLAGS = {
  format: { type: 'string' },
  quality: { type: 'string' },
  'max-width': { type: 'string' },
} as const;

/** The output flags as settings overrides, checked. */
function outputOverrides(values: Flags): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const format = values.str('format');
  if (format !== undefined) {
    if (!['png', 'jpeg', 'webp'].includes(format)) {
      throw new UsageError(l10n.t('--format takes png, jpeg or webp.'));
    }
    out['output.format'] = format;
  }
  for (const [flag, key, min, max] of [
    ['quality', 'output.quality', 1, 100],
    ['max-width', 'output.maxWidth', 0, 16384],
  ] as const) {
    const raw = values.str(flag);
    if (raw !== undefined) {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min || n > max) {
        throw new UsageError(l10n.t('--{0} takes a whole number from {1} to {2}.', flag, min, max));
      }
      out[key] = n;
    }
  }
  return out;
}

function logTo(io: Io, verbose: boolean): GenerationLog {
  const line = (level: string) => (text: string) => {
    if (verbose) {
      io.err(`[${level}] ${text}`);
    }
  };
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

/** `--auth-header`, checked. */
function authHeaderFlag(values: Flags): string | undefined {
  const auth = values.str('auth-header');
  if (auth !== undefined && !['auto', 'bearer', 'x-goog-api-key'].includes(auth)) {
    throw new UsageError(l10n.t('--auth-header must be auto, bearer or x-goog-api-key.'));
  }
  return auth;
}

/** `--site GENERATOR[:ROOT]`: the site, where detection cannot know it. */
function siteFlag(values: Flags): SiteOverride | undefined {
  const given = values.str('site');
  if (given === undefined) {
    return undefined;
  }
  const [generator, root] = given.split(/:(.*)/s, 2);
  if (!GENERATORS.includes(generator as Generator)) {
    throw new UsageError(l10n.t('--site takes one of {0}, optionally with :FOLDER (for example docusaurus:website).', GENERATORS.join(', ')));
  }
  return { generator: generator as Generator, root: root || undefined };
}

/** A command that takes options only: a stray argument is a usage error, never ignored. */
function noArguments(command: 'mcp' | 'models', positionals: readonly string[]): void {
  if (positionals.length) {
    throw new UsageError(l10n.t('{0} takes no arguments, only options: {1} (see illustrate --help)', command, printable(positionals[0].slice(0, 40))));
  }
}

async function start(io: Io, values: Flags, overrides: Record<string, unknown>): Promise<Session> {
  const auth = authHeaderFlag(values);
  const root = toPosix(process.cwd());
  const configured = await configure(root, process.env, { baseUrl: values.str('base-url'), authHeader: auth, apiKeyFile: values.str('api-key-file'), site: siteFlag(values), describeModel: values.str('describe-model') }, overrides, (w) => io.err(`illustrate: ${printable(w)}`));
  return session(root, configured, nodeFetch, logTo(io, values.bool('verbose')), (line) => io.err(`illustrate: ${printable(line)}`));
}

/** `--ref` images: the user's own files, checked like any reference (size first, then the bytes). */
async function readRefs(paths: readonly string[]): Promise<ReferenceImage[]> {
  const out: ReferenceImage[] = [];
  for (const p of paths) {
    const stat = await fs.stat(p).catch(() => undefined);
    if (!stat?.isFile()) {
      throw new UsageError(l10n.t('--ref {0}: no such file.', p));
    }
    if (stat.size > MAX_REFERENCE_BYTES) {
      throw new UsageError(l10n.t('--ref {0} is {1} MB; the API takes at most 7 MB per image.', p, (stat.size / 1048576).toFixed(1)));
    }
    const data = await fs.readFile(p);
    const format = referenceFormat(data);
    if (!format) {
      throw new UsageError(l10n.t('--ref {0} is not a PNG, JPEG or WebP image.', p));
    }
    out.push({ mimeType: MIME_TYPES[format], data });
  }
  return out;
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** Parsed flags, read by name. */
class Flags {
  constructor(private readonly values: Record<string, unknown>) {}
  str(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === 'string' ? v : undefined;
  }
  bool(name: string): boolean {
    return this.values[name] === true;
  }
  list(name: string): string[] {
    const v = this.values[name];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }
}

function parse(args: string[], options: OptionSpec): { values: Flags; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (e: unknown) {
    throw new UsageError(l10n.t('{0} (see illustrate --help)', printable((e as Error).message.split('\n')[0].slice(0, 200))));
  }
  // An empty value is a mistake to say, never a flag silently ignored (`--report ""`).
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === '' || (Array.isArray(value) && value.includes(''))) {
      throw new UsageError(l10n.t('--{0} needs a value (see illustrate --help)', name));
    }
  }
  return { values: new Flags(parsed.values), positionals: parsed.positionals };
}

async function generateCommand(args: string[], io: Io, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(args, {
    output: { type: 'string', short: 'o' },
    into: { type: 'string' },
    model: { type: 'string' },
    aspect: { type: 'string' },
    size: { type: 'string' },
    ref: { type: 'string', multiple: true },
    style: { type: 'string' },
    'no-style': { type: 'boolean' },
    site: { type: 'string' },
    ...OUTPUT_FLAGS,
  });
  if (values.bool('help')) {
    io.out(help());
    return 0;
  }
  const prompt = positionals.join(' ').trim();
  if (!prompt) {
    throw new UsageError(l10n.t('generate needs a prompt: illustrate generate "a lighthouse at dusk"'));
  }
  let document: string | undefined;
  let line: number | undefined;
  if (values.str('into') !== undefined) {
    const m = /^(.*?)(?::(\d+))?$/.exec(values.str('into') as string) as RegExpExecArray;
    document = m[1];
    line = m[2] === undefined ? undefined : Number(m[2]);
    if (line !== undefined && line < 1) {
      throw new UsageError(l10n.t('--into DOC.md:LINE counts lines from 1.'));
    }
  }
  const overrides: Record<string, unknown> = { model: values.str('model'), aspectRatio: values.str('aspect'), imageSize: values.str('size'), style: values.str('style'), ...outputOverrides(values) };
  const s = await start(io, values, overrides);
  const references = await readRefs(values.list('ref'));
  const generated = await generateOne(
    s,
    { prompt, options: optionsFromSettings(s.configured.settings), output: values.str('output'), document, line, references, applyStyle: !values.bool('no-style'), formatOverride: values.str('format') as OutputFormat | undefined },
    signal,
  );
  const rel = s.workspace.relative(generated.file);
  if (values.bool('json')) {
    const { image } = generated;
    io.out(JSON.stringify({ file: rel, link: generated.link, document: document ? s.workspace.relative(toPosix(document)) : undefined, width: image.width, height: image.height, format: image.format, bytes: image.bytes.length, receivedBytes: image.receivedBytes, model: image.options.model, cost: image.cost ?? null }));
  } else {
    io.out(printable(rel));
    io.out(printable(generated.link));
    io.err(`${generated.image.width}×${generated.image.height} ${weightNote(generated.image) || generated.image.format.toUpperCase()} · ${generated.image.options.model} · ${formatCost(generated.image.cost)}${document ? ` · linked in ${s.workspace.relative(toPosix(document))}` : ''}`);
  }
  return 0;
}

/** A link as the page has it, for a person to find it: `![alt](target)` or `<img src="…">`. */

/** The sites the plan's pages belong to, one line each. */
function siteLines(s: Session, plan: FillPlan<string>): string[] {
  return (plan.sites ?? []).map((site) => {
    const d = describeSite(site, (p) => s.workspace.relative(p));
    return l10n.t('  site: {0} at {1} · / is served from {2}{3}', d.generator, d.root || '.', d.publicDirs.join(', ') || '.', d.base !== '/' ? l10n.t(' · base {0}', d.base) : '') + (d.notes.length ? ` (${printable(d.notes.join('; '))})` : '');
  });
}

/** The plan as lines; `price` is what the run costs (half the estimate for a batch). */
function planLines(s: Session, plan: FillPlan<string>, price: number | undefined, batch: boolean, stale = false): string[] {
  const settings = s.configured.settings;
  const lines = [
    `${stale ? (plan.targets.length === 1 ? l10n.t('1 stale image') : l10n.t('{0} stale images', plan.targets.length)) : plan.targets.length === 1 ? l10n.t('1 missing image') : l10n.t('{0} missing images', plan.targets.length)}${plan.documents === 1 ? l10n.t(' in 1 document') : l10n.t(' in {0} documents', plan.documents)} · ${settings.model} ${settings.imageSize || ''} · ${formatCost(price)}${batch ? l10n.t(' (batch, half price)') : ''}${settings.style ? l10n.t(' · style: {0}', printable(settings.style.slice(0, 60))) : ''}`,
  ];
  lines.push(...siteLines(s, plan));
  for (const t of plan.targets) {
    lines.push(`  + ${printable(s.workspace.relative(t.uri))} — ${printable(t.prompt)}`);
    for (const l of t.links.slice(0, 3)) {
      lines.push(`      ${printable(s.workspace.relative(l.document))}:${l.line}  ${printable(linkText(l.image)).slice(0, 200)}`);
    }
    if (t.links.length > 3) {
      lines.push(l10n.t('      … and {0} more links', t.links.length - 3));
    }
  }
  for (const k of plan.skipped) {
    lines.push(l10n.t('  - {0}: {1} — skipped: {2}', `${printable(s.workspace.relative(k.document))}${k.line ? `:${k.line}` : ''}`, printable(linkText(k.image)).slice(0, 200), printable(k.reason)));
  }
  if (plan.existing) {
    lines.push(l10n.t('  {0} already there', plan.existing));
  }
  return lines;
}

function planJson(s: Session, plan: FillPlan<string>, cost: number | undefined): Record<string, unknown> {
  return {
    documents: plan.documents,
    existing: plan.existing,
    estimatedCost: cost ?? null,
    model: s.configured.settings.model,
    endpoint: s.configured.settings.baseUrl,
    sites: (plan.sites ?? []).map((site) => describeSite(site, (p) => s.workspace.relative(p))),
    targets: plan.targets.map((t) => ({
      file: s.workspace.relative(t.uri),
      prompt: t.prompt,
      documents: [...new Set(t.links.map((l) => s.workspace.relative(l.document)))],
      links: t.links.map((l) => ({ document: s.workspace.relative(l.document), line: l.line, link: l.image.target, alt: l.image.alt, copy: l.copy })),
      otherAlts: t.otherAlts ?? [],
    })),
    skipped: plan.skipped.map((k) => ({ document: s.workspace.relative(k.document), line: k.line ?? null, target: k.image.target, alt: k.image.alt, file: k.uri ? s.workspace.relative(k.uri) : null, reason: k.reason })),
  };
}

function bar(done: number, failed: number, total: number, cost: number): string {
  const width = 24;
  const filled = total ? Math.round(((done + failed) / total) * width) : width;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done + failed}/${total}${failed ? l10n.t(' · {0} failed', failed) : ''} · $${cost.toFixed(3)}`;
}

/** The exit code of a run: what failed, and why. */
function outcomeCode(outcome: { made: readonly unknown[]; failed: readonly { kind: ErrorKind }[] }): number {
  if (!outcome.failed.length) {
    return 0;
  }
  if (outcome.failed.some((f) => exitCodeOf(f.kind) === 3)) {
    return 3;
  }
  if (!outcome.made.length && outcome.failed.every((f) => exitCodeOf(f.kind) === 4)) {
    return 4;
  }
  return 1;
}

async function fillCommand(args: string[], io: Io, signal: AbortSignal, stop: AbortSignal): Promise<number> {
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
  const s = await start(io, values, { fillConcurrency: concurrency, ...outputOverrides(values) });
  const settings = s.configured.settings;
  // Where the report goes is checked before anything is spent.
  const report = values.str('report') !== undefined ? await s.workspace.reportPath(values.str('report') as string) : undefined;
  // --stale: the images Illustrate made whose alt text changed since, made again in place.
  const stale = values.bool('stale');
  if (stale && (values.bool('batch') || job !== undefined)) {
    throw new UsageError(l10n.t('--stale does not go with --batch or --job.'));
  }
  const plan = await planFill(s, positionals, () => signal.aborted, stale);
  const cost = fillEstimate(settings, plan.targets);
  const batch = values.bool('batch') || job !== undefined;
  const price = batch && cost !== undefined ? cost / 2 : cost;
  const json = values.bool('json');
  if (batch && !offersBatch(settings.baseUrl, settings.authHeader)) {
    throw new UsageError(l10n.t('--batch needs Google\'s Batch API: use --base-url {0} (or --auth-header x-goog-api-key with a gateway that offers it).', 'https://generativelanguage.googleapis.com'));
  }
  const show = (): void => {
    if (values.bool('json')) {
      io.out(JSON.stringify({ plan: planJson(s, plan, cost), ran: false }));
    } else {
      planLines(s, plan, price, batch, stale).forEach((l) => io.out(l));
    }
  };
  if (job !== undefined) {
    if (!s.configured.key) {
      throw new IllustrateError('noKey', noKeyMessage());
    }
    return collectBatch(s, plan, job, { io, json, report, wait: !values.bool('no-wait'), resumed: true }, AbortSignal.any([signal, stop]));
  }
  if (!plan.targets.length) {
    show();
    return 0;
  }
  if (values.bool('dry-run')) {
    show();
    return 0;
  }
  const go = await confirm(io, values.bool('yes') === true, show, () => planLines(s, plan, price, batch, stale), {
    question: l10n.t('Generate {0} for {1}? [y/N] ', plan.targets.length === 1 ? l10n.t('1 image') : l10n.t('{0} images', plan.targets.length), formatCost(price)),
    notAsked: l10n.t('illustrate: nothing was generated. Run again with --yes to generate these images.'),
    declined: l10n.t('illustrate: nothing was generated.'),
  });
  if (!go) {
    return 0;
  }
  if (!s.configured.key) {
    throw new IllustrateError('noKey', noKeyMessage());
  }
  if (batch) {
    return batchFill(s, plan, { io, json, report, wait: !values.bool('no-wait'), resumed: false }, AbortSignal.any([signal, stop]));
  }
  const outcome = await runPlan(
    s,
    plan,
    settings.fillConcurrency,
    signal,
    (p) => {
      if (io.interactive && !values.bool('json')) {
        io.progress(bar(p.done, p.failed, p.total, p.cost));
      }
    },
    stop,
    stale,
  );
  if (io.interactive && !values.bool('json')) {
    io.progress('');
  }
  reportOutcome(s, plan, outcome, io, values.bool('json'));
  await writeReport(report, s, plan, outcome);
  if (signal.aborted) {
    io.err(l10n.t('illustrate: interrupted: the requests in flight were aborted; {0} made, {1} not made.', outcome.made.length, plan.targets.length - outcome.made.length));
    return 130;
  }
  if (stop.aborted) {
    io.err(l10n.t('illustrate: interrupted: no new image was started, and every request in flight finished ({0} made, {1} not started).', outcome.made.length, outcome.cancelled.length));
    return 130;
  }
  return outcomeCode(outcome);
}

function reportOutcome(s: Session, plan: FillPlan<string>, outcome: FillOutcome<string, DiskMade>, io: Io, json: boolean, batch?: { job: string; unplaced: number }): void {
  const rel = (p: string): string => s.workspace.relative(p);
  if (json) {
    io.out(
      JSON.stringify({
        ...(batch ? { job: batch.job, unplaced: batch.unplaced } : {}),
        plan: planJson(s, plan, fillEstimate(s.configured.settings, plan.targets)),
        ran: true,
        made: outcome.made.map((m) => ({ file: rel(m.file), prompt: m.target.prompt, width: m.image.width, height: m.image.height, format: m.image.format, bytes: m.image.bytes.length, receivedBytes: m.image.receivedBytes, cost: m.image.cost ?? null })),
        failed: outcome.failed.map((f) => ({ file: rel(f.target.uri), prompt: f.target.prompt, message: f.message })),
        notStarted: outcome.cancelled.map((c) => rel(c.uri)),
        stopped: outcome.stopped ?? null,
        cost: outcome.cost,
        durationMs: outcome.durationMs,
      }),
    );
    return;
  }
  for (const m of outcome.made) {
    const weight = weightNote(m.image);
    io.out(l10n.t('made {0} ({1}×{2} {3})', printable(rel(m.file)), m.image.width, m.image.height, weight || m.image.format.toUpperCase()));
  }
  for (const f of outcome.failed) {
    io.out(l10n.t('failed {0}: {1}', printable(rel(f.target.uri)), printable(f.message)));
  }
  if (outcome.stopped) {
    io.err(`illustrate: stopped: ${outcome.stopped}`);
  }
  io.err(
    l10n.t('Filled {0} of {1} · {2} failed · {3} not started · {4} skipped · ≈ ${5} · {6} s', outcome.made.length, plan.targets.length, outcome.failed.length, outcome.cancelled.length, plan.skipped.length, outcome.cost.toFixed(3), (outcome.durationMs / 1000).toFixed(1)),
  );
}

/** `--report FILE`: the editor's markdown report of the run, as a new file inside the project (checked before the run). */
async function writeReport(file: string | undefined, s: Session, plan: FillPlan<string>, outcome: FillOutcome<string, DiskMade>): Promise<void> {
  if (file) {
    const rel = (p: string): string => s.workspace.relative(p);
    await s.workspace.writeReport(file, fillReport(plan, outcome, rel, (m) => ({ file: rel(m.file), width: m.image.width, height: m.image.height, format: m.image.format, weight: weightNote(m.image) })));
  }
}

/** How a batch run reports, and whether it waits for Google. */
interface BatchRun {
  readonly io: Io;
  readonly json: boolean;
  readonly report: string | undefined;
  /** Wait (polling with backoff) until the job ends; otherwise look once. */
  readonly wait: boolean;
  /** Picking up a job sent earlier (`--job`): look at once, and tell results no target wants. */
  readonly resumed: boolean;
}

function batchEndpoint(s: Session): BatchEndpoint {
  const settings = s.configured.settings;
  return { baseUrl: settings.baseUrl, authHeader: settings.authHeader, apiKey: s.configured.key as string, timeoutMs: Math.min(settings.requestTimeoutSeconds, 120) * 1000 };
}

/**
 * The CLI keys each request by its image's path in the project, so a later `--job` run (another
 * process, another checkout) matches the results to the targets of its own scan.
 */
function batchKey(s: Session, target: FillTarget<string>): string {
  return s.workspace.relative(target.uri);
}

/** `fill --batch`: one Batch API job at half price; waits for it and places the results, or with --no-wait names the job. */
async function batchFill(s: Session, plan: FillPlan<string>, run: BatchRun, signal: AbortSignal): Promise<number> {
  const settings = s.configured.settings;
  const references = settings.styleReferences.length ? await loadReferences(settings.styleReferences, s.workspace.references) : [];
  const keyed = batchRequests(plan.targets, settings, references, (t) => batchKey(s, t));
  const status: BatchStatus = await submitBatch(
    batchEndpoint(s),
    optionsFromSettings(settings).model,
    `Illustrate CLI ${new Date().toISOString().slice(0, 16)}`,
    keyed.map((k) => k.item),
    signal,
    { fetch: nodeFetch },
  );
  if (!run.wait) {
    if (run.json) {
      run.io.out(JSON.stringify({ plan: planJson(s, plan, fillEstimate(settings, plan.targets)), ran: false, job: status.name, state: status.state }));
    } else {
      run.io.out(status.name);
      run.io.err(l10n.t('illustrate: batch job {0} submitted ({1} images). Google makes them within 24 h; place them with: illustrate fill --job {0}', status.name, keyed.length));
    }
    return 0;
  }
  run.io.err(l10n.t('illustrate: batch job {0} submitted ({1} images); waiting for Google (up to 24 h). Ctrl+C stops waiting; the job keeps running.', status.name, keyed.length));
  return collectBatch(s, plan, status.name, run, signal);
}

/**
 * Polls job `name` until it ends (or once, without `wait`) and places each result in the target of
 * this run's scan that has its key. A result no target wants (its image was made meanwhile, or
 * its link was removed) is dropped and counted.
 */
async function collectBatch(s: Session, plan: FillPlan<string>, name: string, run: BatchRun, signal: AbortSignal): Promise<number> {
  const { io, json } = run;
  const settings = s.configured.settings;
  const options = optionsFromSettings(settings);
  const endpoint = batchEndpoint(s);
  const targets = new Map(plan.targets.map((t) => [batchKey(s, t), t]));
  const made: ({ target: FillTarget<string> } & DiskMade)[] = [];
  const failed: { target: FillTarget<string>; message: string; kind: ErrorKind }[] = [];
  const answered = new Set<string>();
  let unwanted = 0;
  let cost = 0;
  const firstWait = Number(process.env.ILLUSTRATE_BATCH_POLL_MS) || 30_000;
  const started = Date.now();
  let status: BatchStatus;
  for (let polls = 0; ; polls++) {
    if (polls > 0 || !run.resumed) {
      await abortableSleep(Math.min(10 * 60_000, firstWait * 1.5 ** Math.min(polls, 30)), signal);
    }
    status = await pollBatch(endpoint, name, signal, { fetch: nodeFetch }, async (result) => {
      const target = targets.get(result.key);
      if (!target || answered.has(result.key)) {
        unwanted++;
        if ('answer' in result) {
          result.answer.image.release();
        }
        return;
      }
      answered.add(result.key);
      if ('error' in result) {
        failed.push({ target, message: result.error.message, kind: result.error.kind });
        return;
      }
      try {
        const image = await s.generator.finish(s.generator.fromAnswer(result.answer, target.prompt, options, settings, Date.now() - started, 'batch'), outputFor(target.uri, settings.output), signal);
        const file = await placeTarget(s, target, image);
        cost += image.cost ?? 0;
        made.push({ target, file, image });
      } catch (e: unknown) {
        failed.push({ target, message: failureMessage(e), kind: e instanceof IllustrateError ? e.kind : 'unexpected' });
      }
    });
    if (!isActive(status.state)) {
      break;
    }
    if (!run.wait) {
      if (json) {
        io.out(JSON.stringify({ job: status.name, state: status.state, ran: false }));
      } else {
        io.err(l10n.t('illustrate: batch job {0} is still {1}; nothing was placed. Run the same command again later.', status.name, status.state));
      }
      return 0;
    }
    if (!json) {
      io.err(l10n.t('illustrate: batch job {0}…', status.state));
    }
  }
  // A job picked up later reports on the images it answered, not on every gap the scan found.
  const reported: FillPlan<string> = run.resumed ? { ...plan, targets: plan.targets.filter((t) => answered.has(batchKey(s, t))) } : plan;
  const outcome: FillOutcome<string, DiskMade> = {
    made,
    failed,
    cancelled: [],
    cost,
    durationMs: Date.now() - started,
    stopped: status.state === 'succeeded' || status.state === 'partial' ? undefined : status.error ? l10n.t('the batch job ended {0}: {1}', status.state, status.error) : l10n.t('the batch job ended {0}', status.state),
  };
  if (unwanted && !json) {
    io.err(
      unwanted === 1
        ? l10n.t('illustrate: 1 image of the job had no missing link to go to (made meanwhile, or its link was removed); it was not written.')
        : l10n.t('illustrate: {0} images of the job had no missing link to go to (made meanwhile, or their links were removed); they were not written.', unwanted),
    );
  }
  reportOutcome(s, reported, outcome, io, json, { job: status.name, unplaced: unwanted });
  await writeReport(run.report, s, reported, outcome);
  if (outcome.stopped && !made.length) {
    return 1;
  }
  return outcomeCode(outcome);
}

async function modelsCommand(args: string[], io: Io, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (values.bool('help')) {
    io.out(help());
    return 0;
  }
  noArguments('models', positionals);
  const s = await start(io, values, {});
  const settings = s.configured.settings;
  const listing = await listImageModels(settings.baseUrl, settings.authHeader, s.configured.key, AbortSignal.any([signal, AbortSignal.timeout(30_000)]), nodeFetch);
  const rows = listing.models.map((m) => {
    const { size, price } = quotedPrice(m.known, settings.imageSize);
    return { id: m.id, label: m.label, listed: m.listed, status: m.known?.status ?? 'unknown', pricePerImage: price ?? null, size, sizes: m.known?.sizes ?? [] };
  });
  if (values.bool('json')) {
    io.out(JSON.stringify({ endpoint: settings.baseUrl, fromEndpoint: !listing.fallbackReason, note: listing.fallbackReason ?? null, models: rows }));
    return 0;
  }
  if (listing.fallbackReason) {
    io.err(l10n.t('illustrate: showing Illustrate\'s own table ({0}).', listing.fallbackReason));
  }
  const width = Math.max(...rows.map((r) => r.id.length), 2);
  for (const r of rows) {
    const price = r.pricePerImage === null ? l10n.t('price unknown') : l10n.t('{0} per image at {1}', formatCost(r.pricePerImage), r.size);
    const known = listing.models.find((m) => m.id === r.id)?.known;
    const status = r.status === 'preview' ? l10n.t(' · preview') : r.status === 'retired' ? l10n.t(' · retired at Google') : r.status === 'deprecated' ? l10n.t(' · deprecated: {0} replaces it', known?.successor ?? '') : '';
    io.out(`${r.id.padEnd(width)}  ${r.label} · ${price}${status}${known?.recommended ? l10n.t(' · recommended') : ''}${r.id === settings.model ? l10n.t(' · (current)') : ''}`);
  }
  return 0;
}

/** `illustrate check`: what the images need, spending nothing; exit 1 when anything does. */
async function checkCommand(args: string[], io: Io, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: 'string' }, site: { type: 'string' }, only: { type: 'string' } });
  if (values.bool('help')) {
    io.out(help());
    return 0;
  }
  const format = values.str('format') ?? 'text';
  if (!['text', 'github'].includes(format)) {
    throw new UsageError(l10n.t('--format takes text or github.'));
  }
  const only = values.str('only');
  const kinds = only === undefined ? undefined : checkKinds(only);
  if (only !== undefined && !kinds) {
    throw new UsageError(l10n.t('--only takes a comma-separated list of {0}.', Object.keys(CHECK_GROUPS).join(', ')));
  }
  const s = await start(io, values, {});
  const checked = await checkImages(s, positionals, () => signal.aborted);
  const { plan } = checked;
  const findings = kinds ? checked.findings.filter((f) => kinds.has(f.kind)) : checked.findings;
  const rel = (p: string): string => s.workspace.relative(p);
  if (values.bool('json')) {
    io.out(JSON.stringify({ documents: plan.documents, findings: findings.map((f) => ({ kind: f.kind, document: rel(f.document), line: f.line, link: f.link, file: rel(f.file), message: f.message, fix: f.fix })) }));
  } else if (format === 'github') {
    for (const f of findings) {
      annotate(io, actionsAnnotation('warning', { file: rel(f.document), line: f.line, title: `Illustrate: ${f.kind}` }, `${f.link} — ${f.message}. Run: ${f.fix}`));
    }
  } else {
    for (const f of findings) {
      io.out(`${printable(rel(f.document))}:${f.line}  ${printable(f.link.slice(0, 200))}  — ${printable(f.message)} (${printable(f.fix)})`);
    }
  }
  const counts = { missing: 0, stale: 0, genericAlt: 0, missingAlt: 0 };
  findings.forEach((f) => counts[f.kind]++);
  io.err(l10n.t('illustrate check: {0} documents · {1} missing · {2} stale · {3} with an alt text that cannot describe the picture · {4} without alt text', plan.documents, counts.missing, counts.stale, counts.genericAlt, counts.missingAlt));
  return findings.length ? 1 : 0;
}

/**
 * Whether to spend: with --yes, yes; on a terminal, the plan on stderr and a [y/N] question;
 * elsewhere the plan (`show`) and a note, and nothing is spent.
 */
async function confirm(io: Io, yes: boolean, show: () => void, lines: () => string[], text: { readonly question: string; readonly notAsked: string; readonly declined: string }): Promise<boolean> {
  if (yes) {
    return true;
  }
  if (!io.interactive) {
    show();
    io.err(text.notAsked);
    return false;
  }
  lines().forEach((l) => io.err(l));
  if (!/^y(es)?$/i.test((await io.ask(text.question)).trim())) {
    io.err(text.declined);
    return false;
  }
  return true;
}

/** `illustrate alt`: alt text for the images that have none, with fill's plan, cost and question. */
async function altCommand(args: string[], io: Io, signal: AbortSignal, stop: AbortSignal): Promise<number> {
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
    l10n.t('{0} image(s) need alt text in {1} document(s) · {2} · {3}', plan.targets.length, plan.documents, model, formatCost(cost)),
    ...plan.targets.flatMap((t) => t.links.map((l) => `  ${printable(rel(l.document))}:${l.line}  ${printable(linkText(l.image).slice(0, 200))}  → ${printable(rel(t.uri))}${l.need === 'missing' ? '' : l10n.t(' (describes nothing)')}${t.language !== 'English' ? ` · ${t.language}` : ''}`)),
    ...plan.skipped.map((k) => `  - ${printable(rel(k.link.document))}:${k.link.line}  ${printable(rel(k.file))}: ${printable(k.reason)}`),
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
  const go = await confirm(io, values.bool('yes') === true, show, lines, {
    question: l10n.t('Describe {0} image(s) for {1}? [y/N] ', plan.targets.length, formatCost(cost)),
    notAsked: l10n.t('illustrate: nothing was described. Run again with --yes to write these alt texts.'),
    declined: l10n.t('illustrate: nothing was described.'),
  });
  if (!go) {
    return 0;
  }
  if (!s.configured.key) {
    throw new IllustrateError('noKey', noKeyMessage());
  }
  const { outcome, unwritten } = await runAlt(s, plan, plan.targets, signal, (p) => {
    if (io.interactive && !json) {
      io.progress(bar(p.done, p.failed, p.total, p.cost));
    }
  }, stop);
  if (io.interactive && !json) {
    io.progress('');
  }
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
  if (signal.aborted || stop.aborted) {
    return 130;
  }
  return outcome.failed.length || unwritten.length ? 1 : 0;
}

/** `illustrate mcp`: the endpoint options apply to every tool call, as for the other commands. */
async function mcpCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { 'describe-model': { type: 'string' } });
  if (values.bool('help')) {
    io.out(help());
    return 0;
  }
  noArguments('mcp', positionals);
  const auth = authHeaderFlag(values);
  await serveMcp(toPosix(process.cwd()), process.env, { baseUrl: values.str('base-url'), authHeader: auth, apiKeyFile: values.str('api-key-file'), describeModel: values.str('describe-model') }, (line) => io.err(line));
  return 0;
}

/**
 * Runs one command line; returns the exit code. Every failure is one line on stderr. `stop` asks
 * a fill to start nothing new and let the requests in flight finish (the first Ctrl+C); `signal`
 * aborts everything (the second). Other commands stop at once on either.
 */
export async function run(argv: string[], terminal: Io, signal: AbortSignal, stop: AbortSignal = signal): Promise<number> {
  const io = process.env.GITHUB_ACTIONS ? actionsIo(terminal) : terminal;
  const [command, ...rest] = argv;
  const either = AbortSignal.any([signal, stop]);
  try {
    switch (command) {
      case 'generate':
        return await generateCommand(rest, io, either);
      case 'fill':
        return await fillCommand(rest, io, signal, stop);
      case 'models':
        return await modelsCommand(rest, io, either);
      case 'check':
        return await checkCommand(rest, io, either);
      case 'alt':
        return await altCommand(rest, io, signal, stop);
      case 'mcp':
        return await mcpCommand(rest, io);
      case '--version':
      case '-v':
        io.out(VERSION);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        (command === undefined ? io.err : io.out)(help());
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(l10n.t('Unknown command "{0}". Commands: generate, fill, check, alt, models, mcp (see illustrate --help).', command.slice(0, 40)));
    }
  } catch (e: unknown) {
    if (e instanceof UsageError) {
      io.err(`illustrate: ${e.message}`);
      return 2;
    }
    if (e instanceof IllustrateError) {
      io.err(`illustrate: ${e.message}`);
      return e.kind === 'cancelled' ? 130 : exitCodeOf(e.kind);
    }
    io.err(l10n.t('illustrate: {0} (run with --verbose for details)', failureMessage(e)));
    if (argv.includes('--verbose')) {
      io.err(String((e as Error)?.stack ?? e));
    }
    return 1;
  }
}
