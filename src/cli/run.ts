/**
 * The operations the command-line tool and the MCP server share: one image into a folder (and
 * its link into a document), and a fill of a docs tree. Both use the editor's scan, plan, run,
 * names and links from `core/`, with the files on disk.
 */
import * as l10n from '@vscode/l10n';
import { HttpFetch } from '../core/api/client';
import { failureMessage, FillOutcome, FillPlan, FillProgress, FillTarget, matchingMissingLink, scanMissing } from '../core/fill/fill';
import { AltJobHost, AltMade, FillJobHost, runAltJob, runFillJob, runTransparentJob, TransparentJobHost, TransparentTarget } from '../core/fill/jobs';
import { GeneratedImage, Generator, GenerationLog, OutputRequest } from '../core/api/generator';
import { jpegHasNoAlpha, OutputFormat, outputFor } from '../core/images/codec';
import { GenerationOptions } from '../core/api/models';
import { PathPlanner } from '../core/images/placement';
import { ReferenceImage } from '../core/api/request';
import { Settings } from '../core/settings';
import { loadReferences } from '../core/images/styleReferences';
import { makePicture, transparentOutputFor } from '../core/images/transparent';
import { checkPlan, CurrentStyle, currentStyle as styleNow, Finding, staleTargets } from '../core/fill/check';
import { createCodec } from '../node/codec';
import { Budget } from '../core/api/budget';
import { Describer } from '../core/api/describe';
import { Reviewer } from '../core/review/review';
import { planReview, ReviewJobHost, ReviewMade, ReviewPlan, ReviewTarget, runReviewJob } from '../core/review/job';
import { MadeReview, reviewOne } from '../core/review/made';
import { AltPlan, AltTarget, planAltText } from '../core/fill/alt';
import { DiskWorkspace } from '../node/disk';
import { DarkJobHost, DarkJobOutcome, DarkPlan, DarkPlanHost, planDarkTwins, runDarkJob } from '../core/fill/dark';
import { readSmallFile } from '../node/files';
import { fileStat, pathExists, readProjectFile } from '../node/realPath';
import { MAX_IMAGE_BYTES } from '../core/images/imageFormat';
import { MAX_REFERENCE_BYTES } from '../core/api/models';
import { IllustrateError } from '../core/errors';
import { imagesAndAlts, planTransparentImages } from '../core/fill/transparentPlan';
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
  /** `--transparent`: two renders (on white, on black) matted into a PNG or WebP with alpha. */
  readonly transparent?: boolean;
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
  const encode: OutputRequest = { ...outputFor(wanted, settings.output), ...(request.formatOverride ? { format: request.formatOverride } : {}) };
  request = { ...request, encode };
  const input = { prompt: request.prompt, options: request.options, references: request.references, applyStyle: request.applyStyle, output: encode };
  // `--transparent` or "illustrate.transparentBackground": two renders matted (a JPEG asked for is refused here, before anything is bought).
  const transparent = request.transparent === true || settings.transparentBackground;
  const sent = transparent ? { ...input, output: transparentOutputFor(wanted, settings.output, request.formatOverride) } : input;
  const made = await makePicture(s.generator, sent, settings, signal, undefined, transparent);
  // Reviewed before it is written, so the file is written once, with its verdict (and after a retry, the better picture, transparent again when it was).
  const { image, review }: { image: GeneratedImage; review?: MadeReview } =
    settings.review === 'off' ? { image: made } : await reviewOne({ reviewer: s.reviewer, generator: s.generator }, made, sent, { ...settings, transparentBackground: transparent }, settings.review, signal);
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
  const whole = (file: string): Promise<Uint8Array | undefined> => readProjectFile(s.workspace.root, file, MAX_IMAGE_BYTES).catch(() => undefined);
  const twins = { suffix: s.configured.settings.darkSuffix, read: whole };
  return { plan, findings: await checkPlan(plan, s.workspace.host, imageHead, await currentStyle(s), twins) };
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
      return [...unwritten, ...(await rewriteImages(s, images))];
    },
  };
  const { outcome, unwritten } = await runAltJob(host, targets, { concurrency: settings.fillConcurrency, signal, stop, onProgress, budget: budget?.budget, model: budget?.model });
  return { outcome, unwritten: [...unwritten] };
}

/** What `illustrate variants --transparent` would make: each image and where it goes, and what it leaves out and why. */
export interface TransparentPlan {
  readonly targets: readonly TransparentTarget<string>[];
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

/**
 * The images to make transparent, by core's rules (`planTransparentImages`). What can never work
 * is an error before anything is bought: an image outside the project, a JPEG to be rewritten as a
 * JPEG (it holds no alpha), an `out` that is not a .png or .webp file. What cannot be sent (no such
 * file, too large, not an image, already transparent) is left out with its reason. Each keeps the
 * prompt it was made from, else the alt text a page gives it, else its name, as its record (so
 * `check` does not call it stale). `outFlag`: what the caller names the output with (`-o`; MCP: `out`).
 */
export async function planTransparent(s: Session, images: readonly string[], out?: string, outFlag = '-o'): Promise<TransparentPlan> {
  const { workspace } = s;
  const settings = s.configured.settings;
  const chosen = out === undefined ? undefined : workspace.inside(out, l10n.t('The output path'));
  const files = images.map((given) => workspace.inside(given, l10n.t('The image')));
  let alts: Promise<Map<string, string>> | undefined;
  const plan = await planTransparentImages<string>(
    {
      size: async (file) => (await fileStat(file))?.size,
      read: (file) => readProjectFile(workspace.root, file, MAX_REFERENCE_BYTES),
      path: (file) => file,
      key: (file) => file,
      name: (file) => workspace.relative(file),
      settings: () => settings,
      alt: async (file) => (await (alts ??= altTexts(s))).get(file),
    },
    files,
    chosen,
  );
  const refused = plan.skipped.find((k) => k.kind === 'jpeg' || k.kind === 'format');
  if (refused) {
    const name = workspace.relative(refused.file);
    throw new IllustrateError(
      'options',
      refused.kind === 'format'
        ? l10n.t('{0} is not a .png or .webp file: a transparent image is written as one of them.', workspace.relative(chosen ?? refused.file))
        : chosen
          ? jpegHasNoAlpha()
          : l10n.t('{0} is a JPEG, which cannot hold a transparent background: name a .png or .webp file for it with {1}.', name, outFlag),
    );
  }
  for (const t of plan.targets) {
    if (chosen) {
      await workspace.preflight({ settings, prompt: t.prompt, model: settings.model, wanted: chosen, link: { kind: 'none' } });
    }
  }
  return { targets: plan.targets, skipped: plan.skipped.map((k) => ({ file: workspace.relative(k.file), reason: k.reason })) };
}

/** The alt text the pages give each image there (an original page's first), to record with a picture made transparent. */
async function altTexts(s: Session): Promise<Map<string, string>> {
  const plan = await planFill(s, []);
  return imagesAndAlts([], plan.present ?? [], (p) => p).alts;
}

/** Makes the plan's images transparent at Fill's pace, each written as it is made: over itself, or as a new file at its `out`. */
export function runTransparent(s: Session, plan: TransparentPlan, signal: AbortSignal, onProgress: (p: FillProgress) => void, stop?: AbortSignal): Promise<FillOutcome<string, DiskMade, TransparentTarget<string>>> {
  const settings = s.configured.settings;
  const host: TransparentJobHost<string, string> = {
    generator: s.generator,
    settings: () => settings,
    read: (target) => readProjectFile(s.workspace.root, target.uri, MAX_REFERENCE_BYTES),
    name: (p) => s.workspace.relative(p),
    write: async (target, image, run) => {
      if (target.out === target.uri) {
        await s.workspace.rewriteImage(target.uri, image.bytes);
        return target.uri;
      }
      const placed = await s.workspace.place({ settings, prompt: target.prompt, model: image.options.model, wanted: target.out, link: { kind: 'none' }, signal: run }, image.bytes, image.format);
      return placed.file;
    },
  };
  return runTransparentJob(host, plan.targets, { concurrency: settings.fillConcurrency, signal, stop, onProgress });
}

/** The host a plan of dark twins reads through: the scan's, with an image's head (its record) and its whole bytes. */
function darkPlanHost(s: Session): DarkPlanHost<string> {
  return { ...s.workspace.scanHost(), head: imageHead, read: (file) => readProjectFile(s.workspace.root, file, MAX_REFERENCE_BYTES) };
}

/**
 * What `illustrate variants --dark` and the MCP `make_dark_twins` would do under `paths` (the root
 * when none): each linked image's twin, made unless there, and the page edits that switch to it.
 * `only`: just these images (Fill's new pictures); `staleOnly`: the twins whose source changed.
 */
export async function planDark(s: Session, paths: readonly string[], options: { readonly only?: readonly string[]; readonly staleOnly?: boolean; readonly isCancelled?: () => boolean } = {}): Promise<DarkPlan<string>> {
  const files = await s.workspace.markdownFiles(paths, s.configured.excludes);
  const scanned = await scanMissing(files, s.workspace.scanHost(), options.isCancelled);
  return planDarkTwins(scanned, darkPlanHost(s), { suffix: s.configured.settings.darkSuffix, only: options.only ? new Set(options.only) : undefined, staleOnly: options.staleOnly });
}

/**
 * Makes the plan's twins at Fill's pace, then writes them and the page edits: each twin whole,
 * each page once with only the planned edits (a page changed since is left alone and reported).
 */
export async function runDark(s: Session, plan: DarkPlan<string>, signal: AbortSignal, onProgress: (p: FillProgress) => void, stop?: AbortSignal, budget?: Budget): Promise<DarkJobOutcome<string>> {
  const settings = s.configured.settings;
  const host: DarkJobHost<string> = {
    generator: s.generator,
    settings: () => settings,
    read: (target) => readProjectFile(s.workspace.root, target.uri, MAX_REFERENCE_BYTES),
    name: (p) => s.workspace.relative(p),
    path: (p) => p,
    apply: async (files, edits) => {
      const unwritten = await rewriteImages(s, files);
      for (const { document, edits: changes } of edits) {
        await s.workspace.writeEdits(document, plan.texts.get(s.workspace.host.key(document)) ?? '', changes).catch((e: unknown) => unwritten.push(failureMessage(e)));
      }
      return unwritten;
    },
  };
  return runDarkJob(host, plan.targets, { concurrency: settings.fillConcurrency, signal, stop, onProgress, budget });
}

/**
 * The dark twins after a fill (`illustrate fill`, its batch job placed, `fill --job`): with
 * `illustrate.variants.dark`, one for each new picture (`made`, their paths), and the twins in
 * `stale` (`--stale`: their picture changed since); nothing when neither, or when stopped.
 */
export async function twinsAfterFill(s: Session, paths: readonly string[], made: readonly string[], signal: AbortSignal, stop?: AbortSignal, stale?: DarkPlan<string>, budget?: Budget): Promise<DarkJobOutcome<string> | undefined> {
  const stopped = (): boolean => signal.aborted || stop?.aborted === true;
  const fresh = s.configured.settings.darkTwins && made.length && !stopped() ? await planDark(s, paths, { only: made }) : undefined;
  // A picture made again whose twin was already stale is in both: made once.
  const already = new Set((stale?.targets ?? []).map((t) => t.twin));
  const targets = [...(stale?.targets ?? []), ...(fresh?.targets ?? []).filter((t) => !already.has(t.twin))];
  if (!targets.length || stopped()) {
    return undefined;
  }
  return runDark(s, { targets, skipped: [], switching: 0, texts: new Map([...(stale?.texts ?? []), ...(fresh?.texts ?? [])]) }, signal, () => undefined, stop, budget);
}

/** The dark twin of a picture just linked in `document` (its plan limited to that picture): what was written, or why not. */
export async function darkTwinOf(s: Session, document: string, file: string, signal: AbortSignal): Promise<{ file?: string; cost?: number; error?: string }> {
  const plan = await planDark(s, [document], { only: [file] });
  if (!plan.targets.length) {
    return { error: plan.skipped[0]?.reason ?? l10n.t('the link cannot switch to a twin here') };
  }
  const ran = await runDark(s, plan, signal, () => undefined);
  const made = ran.outcome.made[0];
  if (!made) {
    return { error: ran.outcome.failed[0]?.message ?? ran.unwritten[0] ?? ran.outcome.stopped ?? l10n.t('not made') };
  }
  return { file: s.workspace.relative(made.target.twin), ...(made.image.cost === undefined ? {} : { cost: made.image.cost }) };
}

/** What `illustrate review` and the MCP `review_images` would review under `paths`: every image there, GIFs included. */
export async function planReviewImages(s: Session, paths: readonly string[], isCancelled?: () => boolean): Promise<ReviewPlan<string>> {
  const files = await s.workspace.markdownFiles(paths, s.configured.excludes);
  const scanned = await scanMissing(files, s.workspace.scanHost(), isCancelled, { gif: true });
  return planReview(scanned, s.workspace.host, imageHead);
}

/**
 * Reviews the targets at Fill's pace, then keeps each verdict in the record of the images
 * Illustrate made (each file rewritten in place; one that cannot be written is reported). With a
 * `budget` (and the plan's `model`), each review is held to it at its worst case before it is sent.
 */
export async function runReview(s: Session, targets: readonly ReviewTarget<string>[], signal: AbortSignal, onProgress: (p: FillProgress) => void, stop?: AbortSignal, budget?: { readonly budget: Budget; readonly model: string }): Promise<{ outcome: FillOutcome<string, ReviewMade, ReviewTarget<string>>; unwritten: string[] }> {
  const settings = s.configured.settings;
  const host: ReviewJobHost<string> = {
    reviewer: s.reviewer,
    settings: () => settings,
    read: (target) => readProjectFile(s.workspace.root, target.uri, MAX_IMAGE_BYTES),
    name: (p) => s.workspace.relative(p),
    write: (images) => rewriteImages(s, images),
  };
  const { outcome, unwritten } = await runReviewJob(host, targets, { concurrency: settings.fillConcurrency, signal, stop, onProgress, budget: budget?.budget, model: budget?.model });
  return { outcome, unwritten: [...unwritten] };
}

/** Rewrites images in place (their record changed), each checked to be inside the project; one message for each that could not be written. */
async function rewriteImages(s: Session, images: readonly { readonly uri: string; readonly bytes: Uint8Array }[]): Promise<string[]> {
  const unwritten: string[] = [];
  for (const { uri, bytes } of images) {
    await s.workspace.rewriteImage(uri, bytes).catch((e: unknown) => unwritten.push(failureMessage(e)));
  }
  return unwritten;
}
