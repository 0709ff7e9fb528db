/**
 * Dark twins of the images a docs tree links, for every host (the command line, the MCP server,
 * the editor): the plan (each image's twin beside it, made unless it is there, and the page edits
 * that make each link switch to it in dark mode, by its site's rule), its price, and one run over
 * a host interface whose result lists the files and the page edits as data, written as one change.
 */
import * as l10n from '@vscode/l10n';
import { GeneratedImage, Generator } from '../api/generator';
import { TextEdit } from '../docs/altText';
import { darkLinkEdits, darkRuleFor, isTwinName, withTwinSuffix } from '../docs/darkMarkup';
import { dialectOf } from '../escape';
import { IllustrateError } from '../errors';
import { outputFor } from '../images/codec';
import { darkTwinEstimate, makeDarkTwin } from '../images/darkTwin';
import { MIME_TYPES, referenceFormat, sniffFormat } from '../images/imageFormat';
import { fingerprint, ImageMetadata, readProvenance } from '../images/metadata';
import { basename } from '../paths';
import { Settings } from '../settings';
import { HEAD_CONCURRENCY, mapLimit } from './concurrency';
import { FillHost, FillLink, FillOutcome, FillPlan, FillTarget } from './fill';
import { JobRunOptions, runOnImages } from './jobs';

/** The edits of one document, offsets in the text the plan read (`DarkPlan.texts`). */
export interface DocumentEdits<L> {
  readonly document: L;
  readonly edits: readonly TextEdit[];
}

/** One image's twin: made (`make`) unless it is there and true to its source, and the edits of the links that do not switch yet. */
export interface DarkTarget<L> extends FillTarget<L> {
  readonly twin: L;
  readonly make: boolean;
  /** Why it is made again: its source changed since (fill --stale). */
  readonly stale?: boolean;
  readonly edits: readonly DocumentEdits<L>[];
}

export interface DarkSkip<L> {
  readonly file: L;
  readonly document?: L;
  readonly line?: number;
  readonly reason: string;
}

export interface DarkPlan<L> {
  readonly targets: readonly DarkTarget<L>[];
  readonly skipped: readonly DarkSkip<L>[];
  /** Links that already switch (a twin and its markup there): nothing to do. */
  readonly switching: number;
  /** Each edited document's text as the plan read it (by `host.key`). */
  readonly texts: ReadonlyMap<string, string>;
}

/** What planning twins needs of the host: the scan's host, an image's first bytes (its record) and its whole bytes. */
export interface DarkPlanHost<L> extends FillHost<L> {
  head(file: L): Promise<Uint8Array | undefined>;
  read(file: L): Promise<Uint8Array | undefined>;
}

export interface DarkPlanOptions {
  readonly suffix: string;
  /** Only these images (by `host.key`): Fill's new pictures. */
  readonly only?: ReadonlySet<string>;
  /** Only the twins whose source changed since they were made, made again (fill --stale). */
  readonly staleOnly?: boolean;
}

const TWINNABLE = new Set(['png', 'jpg', 'jpeg', 'webp']);

/** The twin of an image: `NAME<suffix>.EXT` beside it; undefined for a name that cannot have one. */
export function twinLocation<L>(host: Pick<FillHost<L>, 'path' | 'at'>, image: L, suffix: string): L | undefined {
  const path = host.path(image);
  const twin = withTwinSuffix(path, suffix);
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return twin && ext && TWINNABLE.has(ext) && !isTwinName(basename(path), suffix) ? host.at(image, twin) : undefined;
}

/** Whether the record of an existing twin says it was made from other bytes than the source's now. */
export function twinIsStale(twinMeta: ImageMetadata | undefined, source: Uint8Array | undefined): boolean {
  return twinMeta?.twinOf?.kind === 'dark' && source !== undefined && twinMeta.twinOf.source !== fingerprint(source);
}

/**
 * The twins the images of a scanned tree need: for each image linked (PNG, JPEG, WebP; not a twin
 * itself), its twin beside it, made unless it is there (a twin there is never made again, unless
 * its source changed and `staleOnly` asks), and the edits that make each link that does not switch
 * yet show it in dark mode, by its page's site. An image none of whose links can switch is left
 * out with the reasons.
 */
export async function planDarkTwins<L>(plan: FillPlan<L>, host: DarkPlanHost<L>, options: DarkPlanOptions): Promise<DarkPlan<L>> {
  const texts = new Map<string, string>();
  const skipped: DarkSkip<L>[] = [];
  let switching = 0;
  const present = (plan.present ?? []).filter((p) => !options.only || options.only.has(host.key(p.uri)));
  const found = await mapLimit(present, HEAD_CONCURRENCY, async (p) => {
    const twin = twinLocation(host, p.uri, options.suffix);
    if (twin === undefined) {
      return undefined;
    }
    const there = await host.exists(twin);
    const twinMeta = there ? readProvenance((await host.head(twin).catch(() => undefined)) ?? new Uint8Array()) : undefined;
    const stale = there && twinMeta?.twinOf?.kind === 'dark' && twinIsStale(twinMeta, await host.read(p.uri).catch(() => undefined));
    const head = await host.head(p.uri).catch(() => undefined);
    const format = head ? sniffFormat(head) : undefined;
    return { p, twin, there, stale, twinnable: format === 'png' || format === 'jpeg' || format === 'webp', meta: head ? readProvenance(head) : undefined };
  });
  const targets: DarkTarget<L>[] = [];
  for (const f of found) {
    if (!f || (options.staleOnly && !f.stale)) {
      continue;
    }
    if (!f.twinnable) {
      skipped.push({ file: f.p.uri, reason: l10n.t('not a PNG, JPEG or WebP image') });
      continue;
    }
    const byDocument = new Map<string, { document: L; edits: TextEdit[] }>();
    const reasons: DarkSkip<L>[] = [];
    let switches = 0;
    for (const l of f.p.links) {
      const root = host.root(l.document);
      if (root === undefined) {
        continue;
      }
      const site = await host.site(l.document, root);
      const text = texts.get(host.key(l.document)) ?? (await host.text(l.document));
      const r = darkLinkEdits(text, l.image, darkRuleFor(site), site, options.suffix, dialectOf(host.path(l.document)));
      if ('already' in r) {
        switches++;
      } else if ('skip' in r) {
        reasons.push({ file: f.p.uri, document: l.document, line: l.line, reason: r.skip });
      } else {
        texts.set(host.key(l.document), text);
        const entry = byDocument.get(host.key(l.document)) ?? { document: l.document, edits: [] };
        entry.edits.push(...r.edits);
        byDocument.set(host.key(l.document), entry);
      }
    }
    switching += switches;
    const edits = [...byDocument.values()];
    const make = !f.there || f.stale;
    if (!edits.length && !switches && !f.stale) {
      skipped.push(...reasons);
      continue;
    }
    skipped.push(...reasons);
    if (!make && !edits.length) {
      continue;
    }
    targets.push({ uri: f.p.uri, prompt: f.meta?.prompt ?? promptOf(f.p.links), links: f.p.links, twin: f.twin, make, ...(f.stale ? { stale: true } : {}), edits });
  }
  return { targets, skipped, switching, texts };
}

/** What the twin stands for when its source has no record: the first describing alt text of an original page. */
function promptOf<L>(links: readonly FillLink<L>[]): string {
  return (links.find((l) => !l.copy && l.image.alt.trim()) ?? links.find((l) => l.image.alt.trim()))?.image.alt.trim() ?? '';
}

/** The plan's price before anything is bought: one edit per twin to make. */
export function darkPlanEstimate<L>(targets: readonly DarkTarget<L>[], settings: (target: DarkTarget<L>) => Settings): number | undefined {
  let total = 0;
  for (const t of targets) {
    if (!t.make) {
      continue;
    }
    const one = darkTwinEstimate(settings(t));
    if (one === undefined) {
      return undefined;
    }
    total += one;
  }
  return total;
}

/** What making twins needs of its host. */
export interface DarkJobHost<L> {
  readonly generator: Generator;
  settings(target: DarkTarget<L>): Settings;
  /** The source's bytes through the host's one reader (inside the project, no link out); undefined when it cannot be read. */
  read(target: DarkTarget<L>): Promise<Uint8Array | undefined>;
  name(location: L): string;
  path(location: L): string;
  /**
   * Writes the twins and the page edits as the host's one change (the editor: one WorkspaceEdit);
   * a document changed since the plan read it is left as it is. Returns what could not be written.
   */
  apply(files: readonly { readonly uri: L; readonly bytes: Uint8Array }[], edits: readonly DocumentEdits<L>[]): Promise<string[]>;
}

export interface DarkMade {
  readonly image: GeneratedImage;
}

export interface DarkJobOutcome<L> {
  readonly outcome: FillOutcome<L, DarkMade, DarkTarget<L>>;
  /** The twins written (or to write), and every page edit of the targets made or already there. */
  readonly files: readonly { readonly uri: L; readonly bytes: Uint8Array }[];
  readonly edits: readonly DocumentEdits<L>[];
  /** What could not be written: paid for, so said. */
  readonly unwritten: readonly string[];
}

/** The source's path as its twin's record keeps it: relative to the twin's folder (the same folder). */
function sourcePath(path: string): string {
  return basename(path);
}

/**
 * Makes each twin the plan needs at Fill's pace (each held to the budget at its estimate), then
 * writes the twins made and the page edits of every target made or already there, through the
 * host's one change; a twin that failed leaves its pages as they are. What was made is written
 * even after a cancel, since it was paid for.
 */
export async function runDarkJob<L>(host: DarkJobHost<L>, targets: readonly DarkTarget<L>[], options: JobRunOptions): Promise<DarkJobOutcome<L>> {
  const making = targets.filter((t) => t.make);
  const outcome = await runOnImages<L, DarkMade, DarkTarget<L>>(
    host,
    making,
    options,
    (target) => darkTwinEstimate(host.settings(target)),
    async (target, bytes, run) => {
      const settings = host.settings(target);
      const format = referenceFormat(bytes);
      if (!format) {
        throw new IllustrateError('options', l10n.t('{0} is not a PNG, JPEG or WebP image, so it has no dark twin.', host.name(target.uri)));
      }
      const image = await makeDarkTwin(host.generator, { source: { mimeType: MIME_TYPES[format], data: bytes }, sourcePath: sourcePath(host.path(target.uri)), prompt: target.prompt, output: outputFor(host.path(target.twin), settings.output) }, settings, run);
      return { value: { image }, cost: image.cost };
    },
  );
  const made = new Set(outcome.made.map((m) => m.target));
  const files = outcome.made.map((m) => ({ uri: m.target.twin, bytes: m.image.bytes }));
  const edits = mergeEdits(targets.filter((t) => !t.make || made.has(t)).flatMap((t) => t.edits), (d) => host.path(d));
  const unwritten = files.length || edits.length ? await host.apply(files, edits) : [];
  return { outcome, files, edits, unwritten };
}

/** The edits of several targets, one entry per document. */
function mergeEdits<L>(all: readonly DocumentEdits<L>[], key: (document: L) => string): DocumentEdits<L>[] {
  const out = new Map<string, { document: L; edits: TextEdit[] }>();
  for (const d of all) {
    const entry = out.get(key(d.document)) ?? { document: d.document, edits: [] };
    entry.edits.push(...d.edits);
    out.set(key(d.document), entry);
  }
  return [...out.values()];
}
