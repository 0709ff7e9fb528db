/**
 * The operations the command-line tool and the MCP server share: one image into a folder (and
 * its link into a document), and a fill of a docs tree. Both use the editor's scan, plan, run,
 * names and links from `core/`, with the files on disk.
 */
import * as l10n from '@vscode/l10n';
import { HttpFetch } from '../core/api/client';
import { failureMessage, FillOutcome, FillPlan, FillProgress, FillTarget, matchingMissingLink, scanMissing } from '../core/fill/fill';
import { AltJobHost, AltMade, FillJobHost, runAltJob, runFillJob } from '../core/fill/jobs';
import { GeneratedImage, Generator, GenerationLog, OutputRequest } from '../core/api/generator';
import { OutputFormat, outputFor } from '../core/images/codec';
import { GenerationOptions } from '../core/api/models';
import { PathPlanner } from '../core/images/placement';
import { ReferenceImage } from '../core/api/request';
import { Settings } from '../core/settings';
import { loadReferences } from '../core/images/styleReferences';
import { checkPlan, CurrentStyle, currentStyle as styleNow, Finding, staleTargets } from '../core/fill/check';
import { createCodec } from '../node/codec';
import { Budget } from '../core/api/budget';
import { Describer } from '../core/api/describe';
import { Reviewer } from '../core/review/review';
import { MadeReview, reviewOne } from '../core/review/made';
import { AltPlan, AltTarget, planAltText } from '../core/fill/alt';
import { DiskWorkspace } from '../node/disk';
import { readSmallFile } from '../node/files';
import { pathExists, readProjectFile } from '../node/realPath';
import { MAX_IMAGE_BYTES } from '../core/images/imageFormat';
import { Configured, keySource } from './config';

export interface Session {
  readonly workspace: DiskWorkspace;
  readonly configured: Configured;
  readonly generator: Generator;
  readonly describer: Describer;
  readonly reviewer: Reviewer;
}

/** `warn` hears what the user should know even without --verbose (a pattern skipped, a file too large). */
export function session(root: string, configured: Configured, fetch: HttpFetch, log: GenerationLog, warn: (line: string) => void = log.warn): Session {
  const workspace = new DiskWorkspace(root, warn, configured.site);
  const codec = createCodec(__dirname);
  const generator = new Generator(keySource(configured.key), log, fetch, (paths) => loadReferences(paths, workspace.references), undefined, codec);
  const describer = new Describer(keySource(configured.key), fetch, codec, (line) => log.info(line));
  const reviewer = new Reviewer(keySource(configured.key), fetch, codec, (line) => log.info(line));
  return { workspace, configured, generator, describer, reviewer };
}

export interface GenerateRequest {
  readonly prompt: string;
  readonly options: GenerationOptions;
  /** Where to write it (inside the root); the settings' destination when absent. */
  readonly output?: string;
  /** The document whose link it is: a matching missing link is filled, or a new one inserted. */
  readonly document?: string;
  /** 1-based line for a new link; the end of the document when absent. */
  readonly line?: number;
  readonly references?: readonly ReferenceImage[];
  readonly applyStyle?: boolean;
  /** `--format`: the format to write, whatever the path says (the path's extension follows). */
  readonly formatOverride?: OutputFormat;
  /** The format and weight to write: computed here from the path and the settings. */
  readonly encode?: OutputRequest;
}

export interface Generated {
  readonly file: string;
  readonly link: string;
  /** The picture written (after a retry, the one kept). */
  readonly image: GeneratedImage;
  /** Its review (`illustrate.review`, `--review`), unless reviews are off. */
  readonly review?: MadeReview;
}

/** One image: checked before anything is sent, generated, written, linked. */
export async function generateOne(s: Session, given: GenerateRequest, signal: AbortSignal): Promise<Generated> {
  let request = given;
  const { workspace } = s;
  const settings = s.configured.settings;
  const output = request.output ? workspace.inside(request.output, l10n.t('The output path')) : undefined;
  const document = request.document !== undefined ? await workspace.document(request.document) : undefined;
  let wanted = output;
  let link: { kind: 'none' } | { kind: 'insert'; line?: number } | { kind: 'retargetAll'; documents: string[] } = { kind: 'none' };
  if (document) {
    const text = await workspace.host.text(document);
    const matched = request.line === undefined ? await matchingMissingLink(document, text, request.prompt, output, workspace.host) : undefined;
    if (matched) {
      wanted = matched.target;
      link = { kind: 'retargetAll', documents: [document] };
    } else {
      link = { kind: 'insert', line: request.line };
    }
  }
  const placement = { settings, prompt: request.prompt, model: request.options.model, document, wanted, link, signal };
  await workspace.preflight(placement);
  // The link's format (or --format, the setting) is known before anything is bought: an .avif is refused here.
  request = { ...request, encode: { ...outputFor(wanted, settings.output), ...(request.formatOverride ? { format: request.formatOverride } : {}) } };
  const input = { prompt: request.prompt, options: request.options, references: request.references, applyStyle: request.applyStyle, output: request.encode };
  const made = await s.generator.generate(input, settings, signal);
  // Reviewed before it is written, so the file is written once, with its verdict (and after a retry, the better picture).
  const { image, review } = settings.review === 'off' ? { image: made, review: undefined } : await reviewOne({ reviewer: s.reviewer, generator: s.generator }, made, input, settings, settings.review, signal);
  const placed = await workspace.place(placement, image.bytes, image.format);
  return { file: placed.file, link: placed.link, image, review };
}

export interface DiskMade {
  readonly file: string;
  readonly image: GeneratedImage;
  readonly review?: MadeReview;
}

/**
 * The fill's plan for `paths` (the root when none): the missing images, or with `stale` the
 * images Illustrate made whose alt text changed since (made again in place).
 */
export async function planFill(s: Session, paths: readonly string[], isCancelled?: () => boolean, stale = false): Promise<FillPlan<string>> {
  const files = await s.workspace.markdownFiles(paths, s.configured.excludes);
  const scanned = await scanMissing(files, s.workspace.scanHost(), isCancelled);
  return stale ? { ...scanned, targets: await staleTargets(scanned, imageHead, await currentStyle(s)), skipped: [] } : scanned;
}

/** The workspace style now, to compare with the one each image was made with; references unknown when they cannot be read. */
export function currentStyle(s: Session): Promise<CurrentStyle> {
  return styleNow(s.configured.settings, s.generator.styleReferencesOnce());
}

/** What `illustrate check` and the MCP `check_images` find under `paths`. */
export async function checkImages(s: Session, paths: readonly string[], isCancelled?: () => boolean): Promise<{ plan: FillPlan<string>; findings: Finding<string>[] }> {
  const plan = await planFill(s, paths, isCancelled);
  return { plan, findings: await checkPlan(plan, s.workspace.host, imageHead, await currentStyle(s)) };
}

/** An image's first bytes, where Illustrate's metadata is (its header chunks). */
function imageHead(file: string): Promise<Uint8Array | undefined> {
  return readSmallFile(file, 256 * 1024).then((r) => r?.bytes);
}

/** Writes a fill target's image where its links point, and repoints them when its name changes. */
export async function placeTarget(s: Session, target: FillTarget<string>, image: GeneratedImage, planner?: PathPlanner, signal?: AbortSignal, replace = false): Promise<string> {
  const documents = [...new Set(target.links.map((l) => l.document))];
  const placed = await s.workspace.place(
    { settings: s.configured.settings, prompt: target.prompt, model: image.options.model, document: documents[0], wanted: target.uri, link: { kind: 'retargetAll', documents }, planner, signal, replace },
    image.bytes,
    image.format,
  );
  return placed.file;
}


/**
 * Makes every target of the plan, at the adaptive pace, each written and linked as it arrives;
 * with a `budget`, each image is held to it at its table price before it is asked for.
 */
export function runPlan(s: Session, plan: FillPlan<string>, concurrency: number, signal: AbortSignal, onProgress: (p: FillProgress) => void, stop?: AbortSignal, replace = false, budget?: Budget): Promise<FillOutcome<string, DiskMade>> {
  const settings: Settings = s.configured.settings;
  const planner = new PathPlanner({ exists: pathExists });
  const host: FillJobHost<string, string> = {
    generator: s.generator,
    settings: () => settings,
    path: (p) => p,
    write: (target, image, inPlace, run) => placeTarget(s, target, image, planner, run, inPlace),
    reviewer: s.reviewer,
    // The verdict kept in the file's record, or the better picture of a retry, over the file the run wrote.
    rewrite: (_target, file, image) => s.workspace.rewriteImage(file, image.bytes),
    // The picture a retry did not keep is not written: the report and --json say what it was.
  };
  return runFillJob(host, plan.targets, { concurrency, signal, stop, onProgress, budget, replacing: () => replace });
}

/** What `illustrate alt` and the MCP `write_alt_text` would describe under `paths`. */
export async function planAlt(s: Session, paths: readonly string[], isCancelled?: () => boolean): Promise<AltPlan<string>> {
  const files = await s.workspace.markdownFiles(paths, s.configured.excludes);
  const scanned = await scanMissing(files, s.workspace.scanHost(), isCancelled, { gif: true });
  return planAltText(scanned, s.workspace.host, imageHead);
}


/**
 * Describes the targets at Fill's pace, then writes the descriptions: each document once, only
 * its alt texts changed (a document changed meanwhile is left alone and reported); images
 * Illustrate made keep the new alt text in their record. With a `budget` (and the plan's `model`),
 * each description is held to it at its worst case (an answer of maxOutputTokens) before it is sent.
 */
export async function runAlt(s: Session, plan: AltPlan<string>, targets: readonly AltTarget<string>[], signal: AbortSignal, onProgress: (p: FillProgress) => void, stop?: AbortSignal, budget?: { readonly budget: Budget; readonly model: string }): Promise<{ outcome: FillOutcome<string, AltMade, AltTarget<string>>; unwritten: string[] }> {
  const settings = s.configured.settings;
  const host: AltJobHost<string> = {
    describer: s.describer,
    settings: () => settings,
    read: (target) => readProjectFile(s.workspace.root, target.uri, MAX_IMAGE_BYTES),
    name: (p) => s.workspace.relative(p),
    key: (p) => p,
    // Each document once, only its alt texts changed (a document changed meanwhile is left alone and reported).
    write: async (documents, images) => {
      const unwritten: string[] = [];
      for (const { document, edits } of documents) {
        await s.workspace.writeEdits(document, plan.texts.get(s.workspace.host.key(document)) ?? '', edits).catch((e: unknown) => unwritten.push(failureMessage(e)));
      }
      for (const { uri, bytes } of images) {
        await s.workspace.rewriteImage(uri, bytes).catch((e: unknown) => unwritten.push(failureMessage(e)));
      }
      return unwritten;
    },
  };
  const { outcome, unwritten } = await runAltJob(host, targets, { concurrency: settings.fillConcurrency, signal, stop, onProgress, budget: budget?.budget, model: budget?.model });
  return { outcome, unwritten: [...unwritten] };
}
