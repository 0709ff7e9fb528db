/**
 * Filling the missing images of a docs tree: the scan of every markdown file in scope (with the
 * reason each image is left alone), and the run, through the one placement pipeline, at a pace
 * that adapts to the server's rate limit.
 */
import * as vscode from 'vscode';
import { AdaptiveLimit, JobResult, runAdaptive } from '../core/concurrency';
import { DocImage, scanDocument, SKIP_REASONS } from '../core/docScan';
import { IllustrateError } from '../core/errors';
import { basename, relativePath } from '../core/paths';
import { unsafeLinkName } from '../core/placement';
import { estimateCost } from '../core/pricing';
import { optionsFromSettings, Settings, withStyle } from '../core/settings';
import { GeneratedImage } from './generator';
import { Anchor, checkRealLocation, isInsideScope, placeImage, PlacementScope, scopeFor, targetUri, uriExists } from './placement';
import { Services } from './services';
import { readSettings } from './settings';

const MARKDOWN = '**/*.{md,markdown,mdx}';

/** One file to make, and every link in the tree that points at it. */
export interface FillTarget {
  readonly uri: vscode.Uri;
  readonly prompt: string;
  readonly links: readonly { readonly document: vscode.Uri; readonly image: DocImage }[];
}

export interface FillSkip {
  readonly document: vscode.Uri;
  readonly image: DocImage;
  readonly reason: string;
}

export interface FillPlan {
  readonly targets: readonly FillTarget[];
  readonly skipped: readonly FillSkip[];
  readonly existing: number;
  readonly documents: number;
}

export interface FillOutcome {
  readonly made: readonly { readonly target: FillTarget; readonly file: vscode.Uri; readonly image: GeneratedImage }[];
  readonly failed: readonly { readonly target: FillTarget; readonly message: string }[];
  readonly cancelled: readonly FillTarget[];
  readonly cost: number;
  readonly durationMs: number;
}

/** `files.exclude`, `search.exclude` and the workspace folders' `.gitignore`, as one glob. */
async function excludes(): Promise<string | undefined> {
  const patterns: string[] = [];
  for (const section of ['files', 'search']) {
    const map = vscode.workspace.getConfiguration(section).get<Record<string, unknown>>('exclude') ?? {};
    patterns.push(...Object.entries(map).filter(([, on]) => on === true).map(([glob]) => glob));
  }
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    try {
      const text = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, '.gitignore'))).toString('utf8');
      patterns.push(...gitignoreGlobs(text));
    } catch {
      // no .gitignore
    }
  }
  const safe = patterns.filter((p) => !/[{}]/.test(p));
  return safe.length ? `{${safe.join(',')}}` : undefined;
}

/** The plain lines of a .gitignore as globs (negations and character classes are not followed). */
export function gitignoreGlobs(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!') || /[[\]\\]/.test(line)) {
      continue;
    }
    const dir = line.endsWith('/');
    const name = line.replace(/^\/+|\/+$/g, '');
    const anchored = line.startsWith('/') || name.includes('/');
    const base = anchored ? name : `**/${name}`;
    out.push(dir ? `${base}/**` : base, `${base}/**`);
  }
  return [...new Set(out)];
}

async function documentText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return open ? open.getText() : Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

/** The markdown files in scope: one file, a folder, or the whole workspace. */
async function markdownFiles(resource: vscode.Uri | undefined, token: vscode.CancellationToken): Promise<vscode.Uri[]> {
  if (resource) {
    const stat = await vscode.workspace.fs.stat(resource);
    if (stat.type & vscode.FileType.File) {
      return [resource];
    }
    return vscode.workspace.findFiles(new vscode.RelativePattern(resource, MARKDOWN), await excludes(), undefined, token);
  }
  return vscode.workspace.findFiles(MARKDOWN, await excludes(), undefined, token);
}

/** Every missing image in scope, each target once, and what is left alone and why. */
export async function scanForMissing(resource: vscode.Uri | undefined, token: vscode.CancellationToken): Promise<FillPlan> {
  const files = (await markdownFiles(resource, token)).sort((a, b) => a.path.localeCompare(b.path));
  const targets = new Map<string, { uri: vscode.Uri; prompt: string; links: { document: vscode.Uri; image: DocImage }[] }>();
  const skipped: FillSkip[] = [];
  let existing = 0;
  for (const document of files) {
    if (token.isCancellationRequested) {
      break;
    }
    let scope: PlacementScope;
    try {
      scope = scopeFor(document);
    } catch {
      continue;
    }
    for (const image of scanDocument(await documentText(document))) {
      const skip = (reason: string): void => {
        skipped.push({ document, image, reason });
      };
      if (image.skip) {
        skip(SKIP_REASONS[image.skip]);
        continue;
      }
      const uri = targetUri(document, scope.root, image.target);
      if (!uri) {
        skip(SKIP_REASONS.remote);
        continue;
      }
      const known = targets.get(uri.toString());
      if (known) {
        known.links.push({ document, image });
        continue;
      }
      if (!isInsideScope(scope.root, uri)) {
        skip('outside the workspace folder');
        continue;
      }
      const unsafe = unsafeLinkName(basename(uri.path));
      if (unsafe) {
        skip(`its file name ${unsafe}`);
        continue;
      }
      if (await uriExists(uri)) {
        existing++;
        continue;
      }
      const ok = await checkRealLocation(scope.root, uri).then(
        () => true,
        () => false,
      );
      if (!ok) {
        skip('through a symbolic link that leads outside the workspace');
        continue;
      }
      targets.set(uri.toString(), { uri, prompt: image.alt.trim(), links: [{ document, image }] });
    }
  }
  return { targets: [...targets.values()], skipped, existing, documents: files.length };
}

/**
 * A target as the documents link it now (they may have changed since it was planned): every
 * image in them whose path leads to `uri`. Undefined when no link to it is left.
 */
export async function relink(uri: vscode.Uri, prompt: string, documents: readonly vscode.Uri[]): Promise<FillTarget | undefined> {
  const links: { document: vscode.Uri; image: DocImage }[] = [];
  for (const document of documents) {
    let text: string;
    let scope: PlacementScope;
    try {
      text = await documentText(document);
      scope = scopeFor(document);
    } catch {
      continue;
    }
    for (const image of scanDocument(text)) {
      if (!image.skip && targetUri(document, scope.root, image.target)?.toString() === uri.toString()) {
        links.push({ document, image });
      }
    }
  }
  return links.length ? { uri, prompt, links } : undefined;
}

/** The estimated cost of making `targets` one by one, with the workspace's style; undefined when a price is unknown. */
export function fillEstimate(settings: Settings, targets: readonly FillTarget[]): number | undefined {
  let total = 0;
  for (const t of targets) {
    const one = estimateCost(settings.model, settings.imageSize, withStyle(t.prompt, settings.style), settings.styleReferences.length, 1, settings.prices);
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
}

/**
 * The documents a run retargets links in: each opened once, with whether it had unsaved changes
 * before the run touched it (those are left for the user to save; the others are saved at the end).
 */
export class RunDocuments {
  private readonly documents = new Map<string, Promise<vscode.TextDocument>>();
  private readonly wasDirty = new Set<string>();

  open(uri: vscode.Uri): Promise<vscode.TextDocument> {
    const key = uri.toString();
    let doc = this.documents.get(key);
    if (!doc) {
      // The promise is kept at once: targets that finish together share one open.
      doc = Promise.resolve(vscode.workspace.openTextDocument(uri)).then((d) => {
        if (d.isDirty) {
          this.wasDirty.add(key);
        }
        return d;
      });
      this.documents.set(key, doc);
    }
    return doc;
  }

  async saveTouched(): Promise<void> {
    for (const pending of this.documents.values()) {
      const doc = await pending.catch(() => undefined);
      if (doc?.isDirty && !this.wasDirty.has(doc.uri.toString())) {
        await doc.save();
      }
    }
  }
}

/** Writes one target's image and points every link to it at the file: one edit, one undo. */
export async function placeTarget(target: FillTarget, image: GeneratedImage, documents: RunDocuments, signal?: AbortSignal): Promise<vscode.Uri> {
  const anchors: Anchor[] = [];
  try {
    const links = [];
    for (const l of target.links) {
      const doc = await documents.open(l.document);
      const anchor = new Anchor(doc, l.image.targetStart);
      anchors.push(anchor);
      links.push({ anchor, image: l.image, html: l.image.html });
    }
    const document = target.links[0].document;
    const placed = await placeImage({
      scope: scopeFor(document),
      settings: readSettings(document),
      prompt: target.prompt,
      model: image.options.model,
      image,
      wanted: target.uri,
      link: { kind: 'retargetAll', links },
      signal,
    });
    return placed.file;
  } finally {
    anchors.forEach((a) => a.dispose());
  }
}

/** The message of a failed image, for the report: the API's own message, never a stack. */
export function failureMessage(e: unknown): string {
  return e instanceof IllustrateError ? e.message : 'Illustrate hit an unexpected error — see the Illustrate output.';
}

/**
 * Makes every target, at most `concurrency` at once, fewer while the server rate-limits. Cancel
 * starts nothing new and aborts what is in flight; finished images stay. Documents that were
 * not dirty before get their retargeted links saved.
 */
export async function runFill(services: Services, targets: readonly FillTarget[], signal: AbortSignal, onProgress: (p: FillProgress) => void): Promise<FillOutcome> {
  const started = Date.now();
  const documents = new RunDocuments();
  let done = 0;
  let failed = 0;
  let cost = 0;
  const first = targets[0]?.links[0]?.document;
  const limit = new AdaptiveLimit(readSettings(first).fillConcurrency);
  const results: JobResult<{ file: vscode.Uri; image: GeneratedImage }>[] = await runAdaptive(
    targets,
    limit,
    async (target) => {
      const settings: Settings = readSettings(target.links[0].document);
      let image: GeneratedImage;
      try {
        image = await services.generator.generate({ prompt: target.prompt, options: optionsFromSettings(settings), retryRateLimited: false }, settings, signal);
      } catch (e: unknown) {
        // A rate limit goes back to the queue; a cancel is not a failure.
        if (!(e instanceof IllustrateError && (e.kind === 'rateLimited' || e.kind === 'cancelled'))) {
          onProgress({ done, failed: ++failed, total: targets.length, cost });
        }
        throw e;
      }
      const file = await placeTarget(target, image, documents, signal);
      cost += image.cost ?? 0;
      done++;
      onProgress({ done, failed, total: targets.length, cost });
      return { file, image };
    },
    {
      signal,
      retryLater: (e) => (e instanceof IllustrateError && e.kind === 'rateLimited' ? { waitMs: e.detail.retryDelayMs ?? 2000 } : undefined),
    },
  );
  const made: FillOutcome['made'][number][] = [];
  const failures: FillOutcome['failed'][number][] = [];
  const cancelled: FillTarget[] = [];
  results.forEach((r, i) => {
    if (r.ok) {
      made.push({ target: targets[i], ...r.value });
    } else if ('cancelled' in r || (r.error instanceof IllustrateError && r.error.kind === 'cancelled')) {
      cancelled.push(targets[i]);
    } else {
      failures.push({ target: targets[i], message: failureMessage(r.error) });
    }
  });
  await documents.saveTouched();
  return { made, failed: failures, cancelled, cost, durationMs: Date.now() - started };
}

/** The run's report, as markdown. */
export function fillReport(plan: FillPlan, outcome: FillOutcome, root: vscode.Uri | undefined): string {
  const rel = (uri: vscode.Uri): string => (root ? relativePath(root.path, uri.path) : uri.path);
  const lines = [
    '# Illustrate: Fill Missing Images',
    '',
    `${outcome.made.length} generated, ${outcome.failed.length} failed, ${outcome.cancelled.length} not started (cancelled), ${plan.skipped.length} skipped, ${plan.existing} already there · ≈ $${outcome.cost.toFixed(3)} · ${(outcome.durationMs / 1000).toFixed(1)} s`,
    '',
  ];
  if (outcome.made.length) {
    lines.push('## Generated', '', ...outcome.made.map((m) => `- \`${rel(m.file)}\` — ${m.target.prompt} (${m.image.width}×${m.image.height} ${m.image.format.toUpperCase()})`), '');
  }
  if (outcome.failed.length) {
    lines.push('## Failed', '', ...outcome.failed.map((f) => `- \`${rel(f.target.uri)}\` — ${f.message}`), '');
  }
  if (outcome.cancelled.length) {
    lines.push('## Not started', '', ...outcome.cancelled.map((c) => `- \`${rel(c.uri)}\``), '');
  }
  if (plan.skipped.length) {
    lines.push('## Skipped', '', ...plan.skipped.map((s) => `- \`${rel(s.document)}\`: \`${s.image.target}\` — ${s.reason}`), '');
  }
  return lines.join('\n');
}
