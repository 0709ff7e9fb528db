/**
 * Filling the missing images of a docs tree, for every host (the editor, the command-line tool,
 * the MCP server, agent tools): the scan of the markdown files in scope with the reason each image
 * is left alone, the cost estimate, the run at a pace that adapts to the server's rate limit, and
 * the report. Files are reached through `FillHost`; a location `L` is whatever the host names
 * files with (a `vscode.Uri`, an absolute path).
 */
import * as l10n from '@vscode/l10n';
import { AdaptiveLimit, runAdaptive } from './concurrency';
import { htmlAttribute, markdownCode, markdownText, urlInMarkup } from '../escape';
import { showsOnlyInDarkMode } from '../docs/darkMarkup';
import { DocImage, scanDocument, skipReason } from '../docs/docScan';
import { ErrorKind, IllustrateError, stopsRun, unexpectedMessage } from '../errors';
import { genericAlt } from '../docs/altText';
import { MarkdownImage } from '../docs/markdown';
import { isBuildOutput, isCopyPage, resolveLink, SiteModel } from '../docs/sites';
import { unsafeLinkName } from '../images/placement';
import { pictureEstimate } from '../images/transparent';
import { BatchItem } from '../api/batch';
import { ReferenceImage } from '../api/request';
import { optionsFromSettings, Settings, withStyle } from '../settings';
import { MadeReview, retrySaid, ReviewSummary } from '../review/made';
import type { Verdict } from '../review/review';

/** The host's files, as the scan needs them. */
export interface FillHost<L> {
  /** The document's text as the user sees it (an open editor's unsaved text included). */
  text(document: L): Promise<string>;
  /** The folder the document's images must stay in; undefined leaves the document out. */
  root(document: L): L | undefined;
  /** The site the document belongs to (one finder per scan: configs are read once). */
  site(document: L, root: L): Promise<SiteModel>;
  /** A location's path, as the site model speaks of it (posix; a URI's path). */
  path(location: L): string;
  /** The location of a path the site model gave, beside `root` (same scheme and authority). */
  at(root: L, path: string): L;
  /** One string per file, to tell locations apart. */
  key(location: L): string;
  inside(root: L, location: L): boolean;
  name(location: L): string;
  /** Whether anything is there, a link that points nowhere included. */
  exists(location: L): Promise<boolean>;
  /** Rejects when the location is a link, or its real place (links resolved) is outside `root`. */
  checkReal(root: L, location: L): Promise<void>;
  /** Rejects unless an existing file's real place (its own link and its folders' resolved) is inside `root`. */
  checkRealFile(root: L, location: L): Promise<void>;
}

export interface FillLink<L> {
  readonly document: L;
  readonly image: DocImage;
  /** 1-based line of the image in its document. */
  readonly line: number;
  /** The page is a copy (a translation, an older version): its alt text is a prompt only when no original has one. */
  readonly copy: boolean;
}

/** One file to make, and every link in the tree that points at it. */
export interface FillTarget<L> {
  readonly uri: L;
  readonly prompt: string;
  readonly links: readonly FillLink<L>[];
  /** The other alt texts its links have (translations, other pages), for the plan. */
  readonly otherAlts?: readonly string[];
}

export interface FillSkip<L> {
  readonly document: L;
  readonly image: DocImage;
  readonly reason: string;
  readonly line?: number;
  /** The missing file the link names, when the reason is its alt text (or `darkTwin`). */
  readonly uri?: L;
  /** A missing dark-mode twin (every link shows it in dark mode only): made from its picture by a twin edit, never from its alt text. */
  readonly darkTwin?: true;
}

export interface FillPlan<L> {
  readonly targets: readonly FillTarget<L>[];
  readonly skipped: readonly FillSkip<L>[];
  readonly existing: number;
  readonly documents: number;
  /** The sites the documents belong to, as detected. */
  readonly sites?: readonly SiteModel[];
  /** The images that are there, with every link to them (for `illustrate check`). */
  readonly present?: readonly { readonly uri: L; readonly links: readonly FillLink<L>[] }[];
}

/** 1-based line numbers of offsets in a text: the line starts listed once, then a binary search. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    starts.push(i + 1);
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo + 1;
  };
}

/** Why a link resolves to no file Illustrate can make, in the user's language. */
function resolutionReason(reason: 'pathname' | 'singlePage' | 'unserved'): string {
  return reason === 'pathname'
    ? l10n.t('a pathname:// link, which the site serves as written')
    : reason === 'unserved'
      ? l10n.t('a path no folder of the site serves (its module mounts onto static cover other paths): link the image under one of them')
      : l10n.t('a relative image of a single-file Hugo page whose URL Illustrate cannot tell (a permalinks pattern of its section, ugly URLs per section, tokens in its url): make the page a bundle (name/index.md) or link the image from /static');
}

function genericReason(alt: string, kind: 'generic' | 'fileName'): string {
  return kind === 'generic'
    ? l10n.t('its alt text "{0}" names a kind of picture, not what it shows: describe the picture in the alt text', alt.slice(0, 60))
    : l10n.t('its alt text "{0}" is a file name, not a description: describe the picture in the alt text', alt.slice(0, 60));
}

/** The locations a link in `document` names on its site, first match wins, or why none. */
export async function linkLocations<L>(host: FillHost<L>, site: SiteModel, document: L, root: L, image: DocImage, text?: string): Promise<{ readonly candidates: readonly L[]; readonly singlePage: boolean } | { readonly skip: string }> {
  // An imported file is a module path: resolved as the bundler does, from the page's folder, never as raw HTML.
  const r = resolveLink(site, host.path(document), image.target, image.html === true && !image.imported, text);
  if (r.kind === 'remote') {
    return { skip: skipReason('remote') };
  }
  if (r.kind === 'skip') {
    return { skip: resolutionReason(r.reason) };
  }
  return { candidates: r.candidates.map((p) => host.at(root, p)), singlePage: r.singlePage === true };
}

/** The first location that exists, or undefined. */
async function firstExisting<L>(host: FillHost<L>, candidates: readonly L[]): Promise<L | undefined> {
  for (const c of candidates) {
    if (await host.exists(c)) {
      return c;
    }
  }
  return undefined;
}

/**
 * The prompt of a target linked from several pages: the alt text of the first original page
 * (not a translation, not an older version) that describes the picture, else the most common
 * describing alt text; undefined when none describes it.
 */
export function choosePrompt<L>(links: readonly FillLink<L>[], target: string): { prompt?: string; others: string[]; problem?: 'generic' | 'fileName' | 'empty'; sample: string } {
  const usable = links.filter((l) => l.image.alt.trim() && !genericAlt(l.image.alt, target));
  const alts = [...new Set(links.map((l) => l.image.alt.trim()).filter(Boolean))];
  if (!usable.length) {
    const sample = alts[0] ?? '';
    return { problem: sample ? (genericAlt(sample, target) ?? 'generic') : 'empty', others: [], sample };
  }
  const original = usable.find((l) => !l.copy);
  let prompt: string;
  if (original) {
    prompt = original.image.alt.trim();
  } else {
    const counts = new Map<string, number>();
    for (const l of usable) {
      counts.set(l.image.alt.trim(), (counts.get(l.image.alt.trim()) ?? 0) + 1);
    }
    prompt = [...counts].sort((a, b) => b[1] - a[1])[0][0];
  }
  return { prompt, others: alts.filter((a) => a !== prompt), sample: prompt };
}

/** Markdown documents larger than this are not read by a scan (it is linear, but memory is not free). */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/**
 * A host's `exists` for one scan of many links: read from each folder's listing (one listing per
 * folder, not one call per link). A name the listing lacks is asked `direct`ly unless
 * `trustListing` (a case-insensitive disk, or a folder that cannot be listed, spells it otherwise).
 */
export function listedExistence<L>(folderOf: (location: L) => L, key: (location: L) => string, name: (location: L) => string, list: (folder: L) => Promise<Iterable<string>>, direct: (location: L) => Promise<boolean>, trustListing: boolean): (location: L) => Promise<boolean> {
  const listings = new Map<string, Promise<ReadonlySet<string> | undefined>>();
  return async (location) => {
    const folder = folderOf(location);
    let names = listings.get(key(folder));
    if (!names) {
      names = list(folder).then(
        (found) => new Set(found),
        () => undefined,
      );
      listings.set(key(folder), names);
    }
    const listed = await names;
    return listed?.has(name(location)) === true || ((listed === undefined || !trustListing) && (await direct(location)));
  };
}

/** How many pages are read ahead of the scan. */
const READ_AHEAD = 8;

/** Every missing image of `documents`, each target once, and what is left alone and why. */
export async function scanMissing<L>(documents: readonly L[], host: FillHost<L>, isCancelled: () => boolean = () => false, options: { readonly gif?: boolean } = {}): Promise<FillPlan<L>> {
  const targets = new Map<string, { uri: L; links: FillLink<L>[] }>();
  const present = new Map<string, { uri: L; links: FillLink<L>[] }>();
  const outside = new Set<string>();
  const skipped: FillSkip<L>[] = [];
  const sites = new Map<string, SiteModel>();
  let existing = 0;
  let scanned = 0;
  // Pages are read a few ahead of the scan: the disk works while the scan reads the last one.
  const texts = new Map<number, Promise<string>>();
  const readAhead = (i: number): void => {
    for (let j = i; j < Math.min(documents.length, i + READ_AHEAD); j++) {
      if (!texts.has(j)) {
        const reading = host.text(documents[j]);
        reading.catch(() => undefined);
        texts.set(j, reading);
      }
    }
  };
  for (let index = 0; index < documents.length; index++) {
    const document = documents[index];
    if (isCancelled()) {
      break;
    }
    const root = host.root(document);
    if (root === undefined) {
      continue;
    }
    const site = await host.site(document, root);
    if (isBuildOutput(site, host.path(document))) {
      continue;
    }
    scanned++;
    sites.set(`${site.generator}:${site.root}`, site);
    readAhead(index);
    const text = await (texts.get(index) as Promise<string>);
    texts.delete(index);
    const lineOf = lineIndex(text);
    const copy = isCopyPage(site, host.path(document));
    for (const image of scanDocument(text, { blocks: site.blocks, gif: options.gif })) {
      const line = lineOf(image.start);
      const skip = (reason: string): void => {
        skipped.push({ document, image, reason, line });
      };
      // An empty alt text is a problem of the target, not of the link: another page may describe it.
      if (image.skip && image.skip !== 'emptyAlt') {
        skip(image.skip === 'remote' && /^pathname:\/\//i.test(image.target.trim()) ? resolutionReason('pathname') : skipReason(image.skip));
        continue;
      }
      const where = await linkLocations(host, site, document, root, image, text);
      if ('skip' in where) {
        skip(where.skip);
        continue;
      }
      const link: FillLink<L> = { document, image, line, copy };
      const known = where.candidates.map((c) => targets.get(host.key(c))).find((t) => t !== undefined);
      if (known) {
        known.links.push(link);
        continue;
      }
      const uri = where.candidates[0];
      if (!where.candidates.every((c) => host.inside(root, c))) {
        skip(l10n.t('outside the workspace folder'));
        continue;
      }
      const unsafe = unsafeLinkName(host.name(uri));
      if (unsafe) {
        skip(l10n.t('its file name {0}', unsafe));
        continue;
      }
      const there = await firstExisting(host, where.candidates);
      if (there) {
        const seen = present.get(host.key(there));
        if (seen) {
          existing++;
          seen.links.push(link);
          continue;
        }
        // An image that is there is read, sent and rewritten by the jobs that plan it: never through a link that leads out.
        if (outside.has(host.key(there)) || !(await host.checkRealFile(root, there).then(() => true, () => false))) {
          outside.add(host.key(there));
          skip(l10n.t('through a symbolic link that leads outside the workspace'));
          continue;
        }
        existing++;
        present.set(host.key(there), { uri: there, links: [link] });
        continue;
      }
      if (where.singlePage) {
        skip(resolutionReason('singlePage'));
        continue;
      }
      const ok = await host.checkReal(root, uri).then(
        () => true,
        () => false,
      );
      if (!ok) {
        skip(l10n.t('through a symbolic link that leads outside the workspace'));
        continue;
      }
      targets.set(host.key(uri), { uri, links: [link] });
    }
  }
  const out: FillTarget<L>[] = [];
  for (const t of targets.values()) {
    // `x.dark.png#gh-dark-mode-only`, `#only-dark`: the dark twin of a picture, made from that picture (Make Dark Twins, variants --dark), not drawn anew from words.
    if (t.links.every((l) => showsOnlyInDarkMode(l.image.target))) {
      const first = t.links[0];
      skipped.push({ document: first.document, image: first.image, line: first.line, uri: t.uri, darkTwin: true, reason: l10n.t('the dark-mode twin of a picture: Make Dark Twins… (illustrate variants --dark) makes it from that picture') });
      continue;
    }
    const chosen = choosePrompt(t.links, host.name(t.uri));
    if (chosen.prompt === undefined) {
      const first = t.links[0];
      skipped.push({ document: first.document, image: first.image, line: first.line, uri: t.uri, reason: chosen.problem === 'empty' ? skipReason('emptyAlt') : genericReason(chosen.sample, chosen.problem ?? 'generic') });
      continue;
    }
    out.push({ uri: t.uri, prompt: chosen.prompt, links: t.links, otherAlts: chosen.others });
  }
  // In the order of the pages and their lines, as a person reads them.
  const order = new Map(documents.map((d, i) => [host.key(d), i]));
  skipped.sort((a, b) => (order.get(host.key(a.document)) ?? 0) - (order.get(host.key(b.document)) ?? 0) || a.image.start - b.image.start);
  return { targets: out, skipped, existing, documents: scanned, sites: [...sites.values()], present: [...present.values()] };
}

/**
 * A target as the documents link it now (they may have changed since it was planned): every
 * image in them whose path leads to `uri`. Undefined when no link to it is left.
 */
export async function relinkTarget<L>(uri: L, prompt: string, documents: readonly L[], host: FillHost<L>): Promise<FillTarget<L> | undefined> {
  const links: FillLink<L>[] = [];
  const key = host.key(uri);
  for (const document of documents) {
    const root = host.root(document);
    if (root === undefined) {
      continue;
    }
    let text: string;
    try {
      text = await host.text(document);
    } catch {
      continue;
    }
    const site = await host.site(document, root);
    const lineOf = lineIndex(text);
    for (const image of scanDocument(text, { blocks: site.blocks })) {
      if (image.skip && image.skip !== 'emptyAlt') {
        continue;
      }
      const where = await linkLocations(host, site, document, root, image, text);
      if ('candidates' in where && where.candidates.some((c) => host.key(c) === key)) {
        links.push({ document, image, line: lineOf(image.start), copy: isCopyPage(site, host.path(document)) });
      }
    }
  }
  return links.length ? { uri, prompt, links } : undefined;
}

/**
 * The missing link in `document` that an image for `prompt` fills: one whose file does not exist
 * and whose target is `wanted` or, with none wanted, whose alt text is the prompt.
 */
export async function matchingMissingLink<L>(document: L, text: string, prompt: string, wanted: L | undefined, host: FillHost<L>): Promise<{ readonly image: MarkdownImage; readonly target: L } | undefined> {
  const root = host.root(document);
  if (root === undefined) {
    return undefined;
  }
  const site = await host.site(document, root);
  for (const image of scanDocument(text, { blocks: site.blocks })) {
    if (image.skip && image.skip !== 'emptyAlt') {
      continue;
    }
    const where = await linkLocations(host, site, document, root, image, text);
    if ('skip' in where) {
      continue;
    }
    const matches = wanted !== undefined ? where.candidates.some((c) => host.key(c) === host.key(wanted)) : image.alt.trim() === prompt.trim();
    if (matches && !(await firstExisting(host, where.candidates))) {
      return { image, target: where.candidates[0] };
    }
  }
  return undefined;
}

/** One target of a fill as a Batch API request, with the key its answer comes back with. */
export interface KeyedRequest<L> {
  readonly key: string;
  readonly target: FillTarget<L>;
  readonly item: BatchItem;
}

/**
 * A fill's targets as one Batch API job's requests, each keyed so its answer finds its target again:
 * by its place in the list unless `keyOf` says otherwise (the CLI keys by the image's path, so a
 * later run can match the results to a fresh scan).
 */
export function batchRequests<L>(
  targets: readonly FillTarget<L>[],
  settings: Settings,
  references: readonly ReferenceImage[],
  keyOf: (target: FillTarget<L>, index: number) => string = (_, i) => `image-${i + 1}`,
): KeyedRequest<L>[] {
  if (settings.transparentBackground) {
    // Each transparent picture is two calls, the second made from the first: a batch job cannot chain them.
    throw new IllustrateError('options', l10n.t('A batch job cannot make transparent backgrounds (each picture needs a second call made from the first). Fill without the batch, or turn off "illustrate.transparentBackground".'));
  }
  const options = optionsFromSettings(settings);
  return targets.map((target, i) => {
    const key = keyOf(target, i);
    return { key, target, item: { key, request: { prompt: withStyle(target.prompt, settings.style), options, references } } };
  });
}

/** The estimated cost of making `targets` one by one, with the workspace's style; undefined when a price is unknown. */
export function fillEstimate(settings: Settings, targets: readonly { readonly prompt: string }[]): number | undefined {
  let total = 0;
  for (const t of targets) {
    const one = pictureEstimate(settings, t.prompt);
    if (one === undefined) {
      return undefined;
    }
    total += one;
  }
  return total;
}

export interface FillProgress {
  readonly done: number;
  readonly failed: number;
  readonly total: number;
  readonly cost: number;
  /** Reviews still running beside the generations (the run ends when the last one does). */
  readonly reviewing?: number;
}

/** What one target came to: the host's record of it, and what it cost. */
export interface Made<M> {
  readonly value: M;
  readonly cost: number | undefined;
}

export interface FillOutcome<L, M, T extends FillTarget<L> = FillTarget<L>> {
  readonly made: readonly ({ readonly target: T } & M)[];
  readonly failed: readonly { readonly target: T; readonly message: string; readonly kind: ErrorKind }[];
  readonly cancelled: readonly T[];
  readonly cost: number;
  /** How many made had no known price (not in `cost`): a report says so rather than $0. */
  readonly unpriced?: number;
  /** Why the run stopped early (a key refused, a budget spent, say): the rest were not started. */
  readonly stopped?: string;
  readonly durationMs: number;
  /** The reviews of what was made, in sum (their cost and the retries' are in `cost`); absent when none was made. */
  readonly review?: ReviewSummary;
}

/** The message of a failed image, for the report: the API's own message, never a stack. */
export function failureMessage(e: unknown): string {
  return e instanceof IllustrateError ? e.message : unexpectedMessage();
}

function isKind(e: unknown, ...kinds: string[]): boolean {
  return e instanceof IllustrateError && kinds.includes(e.kind);
}

/**
 * Makes every target through `make` (generate, then place), at most `concurrency` at once, fewer
 * while the server rate-limits (`make` must not retry a rate limit itself). Cancel starts nothing
 * new and aborts what is in flight; finished images stay.
 */
export async function runFillTargets<L, M extends object, T extends FillTarget<L> = FillTarget<L>>(
  targets: readonly T[],
  concurrency: number,
  make: (target: T, signal: AbortSignal) => Promise<Made<M>>,
  signal: AbortSignal,
  onProgress: (p: FillProgress) => void,
  /** Errors after which no other target can succeed: the run stops there. One rule for every host (`stopsRun`). */
  fatal: (e: unknown) => boolean = stopsRun,
  /**
   * Stop starting new targets but let those in flight finish and be placed (a gateway bills a
   * request the client abandons); `signal` aborts them too.
   */
  stop?: AbortSignal,
): Promise<FillOutcome<L, M, T>> {
  const started = Date.now();
  const run = new AbortController();
  const follow = (): void => run.abort();
  signal.addEventListener('abort', follow);
  if (signal.aborted) {
    run.abort();
  }
  let stopped: string | undefined;
  let done = 0;
  let failed = 0;
  let cost = 0;
  let unpriced = 0;
  // A budget spent starts nothing new, and lets what is in flight (already held to it) finish.
  const spent = new AbortController();
  const starting = AbortSignal.any([run.signal, spent.signal, ...(stop ? [stop] : [])]);
  const results = await runAdaptive(
    targets,
    new AdaptiveLimit(concurrency),
    async (target) => {
      let made: Made<M>;
      try {
        made = await make(target, run.signal);
      } catch (e: unknown) {
        if (stopped === undefined && !run.signal.aborted && fatal(e)) {
          stopped = failureMessage(e);
          run.abort();
        } else if (stopped === undefined && isKind(e, 'budget')) {
          stopped = failureMessage(e);
          spent.abort();
        }
        // A rate limit goes back to the queue; a cancel, or a call the budget refused before sending, is not a failure.
        if (!isKind(e, 'rateLimited', 'cancelled', 'budget')) {
          onProgress({ done, failed: ++failed, total: targets.length, cost });
        }
        throw e;
      }
      cost += made.cost ?? 0;
      unpriced += made.cost === undefined ? 1 : 0;
      done++;
      onProgress({ done, failed, total: targets.length, cost });
      return made.value;
    },
    {
      signal: starting,
      retryLater: (e) => (e instanceof IllustrateError && e.kind === 'rateLimited' ? { waitMs: e.detail.retryDelayMs ?? 2000 } : undefined),
    },
  );
  const made: ({ target: T } & M)[] = [];
  signal.removeEventListener('abort', follow);
  const failures: { target: T; message: string; kind: ErrorKind }[] = [];
  const cancelledTargets: T[] = [];
  results.forEach((r, i) => {
    if (r.ok) {
      made.push({ target: targets[i], ...r.value });
    } else if ('cancelled' in r || isKind(r.error, 'cancelled', 'budget')) {
      cancelledTargets.push(targets[i]);
    } else {
      failures.push({ target: targets[i], message: failureMessage(r.error), kind: r.error instanceof IllustrateError ? r.error.kind : 'unexpected' });
    }
  });
  return { made, failed: failures, cancelled: cancelledTargets, cost, unpriced, durationMs: Date.now() - started, stopped };
}

/** A made image as the report names it. */
export interface ReportedImage {
  readonly file: string;
  readonly width: number;
  readonly height: number;
  readonly format: string;
  /** "9 KB WEBP (the model sent 426 KB PNG)" when converted. */
  readonly weight?: string;
  /**
   * Where the report's reader finds the picture, for its thumbnail: a URL already encoded by its
   * builder, relative to the report's folder (the CLI's --report) or absolute (a file: URI for
   * the editor's preview of an unsaved report). No thumbnail without it.
   */
  readonly src?: string;
  /** Its review, when the run reviewed it. */
  readonly review?: MadeReview;
}

/** Where a made image is linked from, for the report: `docs/guide.md:42`, the first few. */
function linkedFrom<L>(target: FillTarget<L>, rel: (location: L) => string): string {
  const places = target.links.slice(0, 3).map((l) => `${rel(l.document)}:${l.line}`);
  if (!places.length) {
    return '';
  }
  const more = target.links.length > 3 ? l10n.t(' and {0} more', target.links.length - 3) : '';
  return l10n.t(' · linked from {0}{1}', places.map((p) => markdownCode(p)).join(', '), more);
}

/** The width of a thumbnail in the report, in CSS pixels. */
export const THUMBNAIL_WIDTH = 160;

/**
 * A picture as a report shows it (Fill's, the review's): a thumbnail in HTML, so its width holds in
 * VS Code's preview and on GitHub. `src` is a URL already encoded by its builder.
 */
export function thumbnail(src: string, alt: string): string {
  return `<img src="${htmlAttribute(urlInMarkup(src))}" width="${THUMBNAIL_WIDTH}" alt="${htmlAttribute(alt.slice(0, 300))}">`;
}

/** A verdict's problems as the report's nested list lines; an unreviewed picture's reason. */
function verdictLines(verdict: Verdict): string[] {
  if (verdict.status === 'unreviewed') {
    return [`  - ${markdownText(verdict.reason)}`];
  }
  return verdict.problems.map((p) => `  - ${markdownCode(p.kind)} ${markdownText(p.reason)}`);
}

/** One made image in the report: its thumbnail, file, prompt and size, where it is linked, its verdict. */
function madeLines<L, M extends object>(m: { readonly target: FillTarget<L> } & M, r: ReportedImage, rel: (location: L) => string): string[] {
  const head = `- ${r.src ? `${thumbnail(r.src, m.target.prompt)} ` : ''}${markdownCode(r.file)} — ${markdownText(m.target.prompt)} (${r.width}×${r.height} ${r.weight || r.format.toUpperCase()})${linkedFrom(m.target, rel)}`;
  const review = r.review;
  if (!review) {
    return [head];
  }
  const lines = [head];
  if (review.verdict.status !== 'pass') {
    lines.push(...verdictLines(review.verdict));
  }
  const retry = retrySaid(review);
  if (retry) {
    lines.push(`  - ${markdownText(retry)}`);
  }
  if (review.note) {
    lines.push(`  - ${markdownText(review.note)}`);
  }
  return lines;
}

/** The line saying what the reviews found and cost. */
function reviewSummaryLine(summary: ReviewSummary): string {
  const retried = summary.retried ? l10n.t(' · {0} made again ({1} kept), ≈ ${2}', summary.retried, summary.keptRetries, summary.retryCost.toFixed(3)) : '';
  return l10n.t('Review{0}: {1} failed, {2} not reviewed, {3} passed · ≈ ${4} for reviews{5}', summary.model ? ` (${markdownText(summary.model)})` : '', summary.failed, summary.unreviewed, summary.passed, summary.cost.toFixed(4), retried);
}

/**
 * The run's report, as markdown; `rel` names a location for the reader, `made` says what each
 * made image is (with `src`, it is shown as a thumbnail). With reviews, the pictures that failed
 * theirs come first with the reasons, then those not reviewed, then those that passed.
 */
export function fillReport<L, M extends object>(plan: FillPlan<L>, outcome: FillOutcome<L, M>, rel: (location: L) => string, made: (m: M) => ReportedImage): string {
  const lines = [
    `# ${l10n.t('Illustrate: Fill Missing Images')}`,
    '',
    l10n.t('{0} generated, {1} failed, {2} not started (cancelled), {3} skipped, {4} already there · ≈ ${5} · {6} s', outcome.made.length, outcome.failed.length, outcome.cancelled.length, plan.skipped.length, plan.existing, outcome.cost.toFixed(3), (outcome.durationMs / 1000).toFixed(1)),
    '',
  ];
  if (outcome.review) {
    lines.push(reviewSummaryLine(outcome.review), '');
  }
  if (outcome.failed.length) {
    lines.push(`## ${l10n.t('Failed')}`, '', ...outcome.failed.map((f) => `- ${markdownCode(rel(f.target.uri))} — ${markdownText(f.message)}`), '');
  }
  const reported = outcome.made.map((m) => ({ m, r: made(m) }));
  const status = (r: ReportedImage): Verdict['status'] | undefined => r.review?.verdict.status;
  const sections: [string, (r: ReportedImage) => boolean][] = [
    [l10n.t('Failed review'), (r) => status(r) === 'fail'],
    [l10n.t('Not reviewed'), (r) => status(r) === 'unreviewed'],
    [outcome.review ? l10n.t('Passed review') : l10n.t('Generated'), (r) => status(r) === 'pass' || status(r) === undefined],
  ];
  for (const [title, belongs] of sections) {
    const items = reported.filter(({ r }) => belongs(r));
    if (items.length) {
      lines.push(`## ${title}`, '', ...items.flatMap(({ m, r }) => madeLines(m, r, rel)), '');
    }
  }
  if (outcome.cancelled.length) {
    lines.push(`## ${l10n.t('Not started')}`, '', ...outcome.cancelled.map((c) => `- ${markdownCode(rel(c.uri))}`), '');
  }
  if (plan.skipped.length) {
    lines.push(`## ${l10n.t('Skipped')}`, '', ...plan.skipped.map((s) => `- ${markdownCode(`${rel(s.document)}${s.line ? `:${s.line}` : ''}`)}: ${markdownCode(s.image.target)} — ${markdownText(s.reason)}`), '');
  }
  return lines.join('\n');
}

/** The globs that `files.exclude` and `search.exclude` switch on (set to true), from whatever holds the settings. */
export function excludeGlobs(setting: (key: 'files.exclude' | 'search.exclude') => unknown): string[] {
  const out: string[] = [];
  for (const key of ['files.exclude', 'search.exclude'] as const) {
    const map = setting(key);
    if (typeof map === 'object' && map !== null) {
      out.push(...Object.entries(map as Record<string, unknown>).filter(([, on]) => on === true).map(([glob]) => glob));
    }
  }
  return out;
}
