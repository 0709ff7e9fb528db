/**
 * Illustrate's tools for Copilot agent mode (`#illustrate` in chat): generate one image, and fill
 * the missing images of a folder. Each asks first, with what will be made and its estimated
 * cost, then runs the one placement pipeline (file and link: one edit, one undo).
 */
import * as vscode from 'vscode';
import { planReviewIn, ReviewDeps, runReviewTargets } from './reviewImages';
import { ReviewPlan } from '../core/review/job';
import { estimateReviewCost } from '../core/review/review';
import { generateInto, prepareGeneration } from '../platform/generation';
import { abortSignalOf } from '../platform/cancellation';
import { inertMarkdown, plainMarkdown } from '../platform/markdownString';
import { markdownCode, markdownText, printable } from '../core/escape';
import { IllustrateError } from '../core/errors';
import { MarkdownImage } from '../core/docs/markdown';
import { GenerationOptions } from '../core/api/models';
import { altTextFromPrompt } from '../core/images/placement';
import { formatCost } from '../core/api/pricing';
import { pictureEstimate, transparentEstimate } from '../core/images/transparent';
import { LifecycleDeps } from './imageLifecycle';
import { makeBackgroundTransparent } from './transparency';
import { darkCost, twinOfGenerated } from './darkTwins';
import { DarkPlan } from '../core/fill/dark';
import { planDarkIn, runDarkTargets } from '../platform/darkTwins';
import { optionsFromSettings, Settings } from '../core/settings';
import { matchingMissingLink } from '../core/fill/fill';
import { checkKinds, checkPlan, staleTargets } from '../core/fill/check';
import { currentStyle, imageHead } from '../platform/imageFiles';
import { AltDeps, runAltTargets } from './altText';
import { TranslateImagesTool } from './translateImages';
import { AltPlan, planAltText } from '../core/fill/alt';
import { fillEstimate, FillPlan, runFill, scanForMissing, workspaceHost } from '../platform/fill';
import { Anchor, checkRealLocation, LinkPlacement, PlacementScope, scopeFor } from '../platform/placement';
import { Services } from '../platform/services';
import { readSettings } from '../platform/settings';

export interface GenerateImageInput {
  readonly prompt: string;
  readonly path?: string;
  readonly document?: string;
  readonly line?: number;
  readonly model?: string;
  readonly aspectRatio?: string;
  readonly imageSize?: string;
  /** A transparent background (two image calls); default: `illustrate.transparentBackground`. */
  readonly transparent?: boolean;
}

export interface FillInput {
  readonly path?: string;
  readonly dryRun?: boolean;
  /** Make the stale images again (in place) instead of the missing ones. */
  readonly stale?: boolean;
}

export interface CheckInput {
  readonly path?: string;
  /** Some of the findings: `missing`, `stale`, `alt` (missing or generic alt text). */
  readonly only?: readonly string[];
}

const MAX_PROMPT = 10_000;
const LISTED = 20;

function str(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.trim() && value.length <= max ? value.trim() : undefined;
}

/** The input as the model sent it, checked: the schema is a request, not a guarantee. */
export function generateInput(raw: unknown): GenerateImageInput {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const prompt = str(o.prompt, MAX_PROMPT);
  if (!prompt) {
    throw new IllustrateError('options', vscode.l10n.t('The prompt is empty. Describe the image you want.'));
  }
  const line = typeof o.line === 'number' && Number.isInteger(o.line) && o.line >= 1 ? o.line : undefined;
  return { prompt, path: str(o.path, 1000), document: str(o.document, 1000), line, model: str(o.model, 100), aspectRatio: str(o.aspectRatio, 10), imageSize: str(o.imageSize, 10), ...(typeof o.transparent === 'boolean' ? { transparent: o.transparent } : {}) };
}

export function fillInput(raw: unknown): FillInput {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return { path: str(o.path, 1000), dryRun: o.dryRun === true, stale: o.stale === true };
}

/** A workspace path (relative to the first folder, or absolute inside one) as a URI. */
function workspaceUri(path: string): vscode.Uri {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (!folders.length) {
    throw new IllustrateError('destination', vscode.l10n.t('Open a folder first: Illustrate saves images into the workspace.'));
  }
  const absolute = path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
  const uri = absolute ? vscode.Uri.file(path) : vscode.Uri.joinPath(folders[0].uri, path.replace(/\\/g, '/'));
  if (!vscode.workspace.getWorkspaceFolder(uri)) {
    throw new IllustrateError('destination', vscode.l10n.t('"{0}" is outside the workspace, so Illustrate will not touch it. Use a path inside it.', path.slice(0, 200)));
  }
  return uri;
}

interface GeneratePlan {
  readonly input: GenerateImageInput;
  readonly settings: Settings;
  readonly options: GenerationOptions;
  readonly document?: vscode.Uri;
  readonly wanted?: vscode.Uri;
  /** The missing link in the document this image fills, by its offset. */
  readonly fills?: { readonly offset: number; readonly image: MarkdownImage };
  readonly cost: number | undefined;
}

async function planGenerate(raw: unknown): Promise<GeneratePlan> {
  const input = generateInput(raw);
  const document = input.document ? workspaceUri(input.document) : undefined;
  if (document) {
    // Links go into markdown only, and never through a link to somewhere else.
    if (!/\.(md|markdown|mdx)$/i.test(document.path)) {
      throw new IllustrateError('options', vscode.l10n.t('{0} is not a markdown file (.md, .markdown or .mdx): Illustrate only writes links into markdown.', rel(document)));
    }
    const folder = vscode.workspace.getWorkspaceFolder(document);
    if (folder) {
      await checkRealLocation(folder.uri, document);
    }
  }
  let wanted = input.path ? workspaceUri(input.path) : undefined;
  const base = readSettings(document ?? wanted);
  const settings: Settings = { ...base, model: input.model ?? base.model, aspectRatio: input.aspectRatio ?? base.aspectRatio, imageSize: input.imageSize ?? base.imageSize, transparentBackground: input.transparent ?? base.transparentBackground };
  let fills: GeneratePlan['fills'];
  if (document && input.line === undefined) {
    const text = (await vscode.workspace.openTextDocument(document)).getText();
    const matched = await matchingMissingLink(document, text, input.prompt, wanted, workspaceHost());
    if (matched) {
      fills = { offset: matched.image.targetStart, image: matched.image };
      wanted = matched.target;
    }
  }
  const cost = pictureEstimate(settings, input.prompt);
  return { input, settings, options: optionsFromSettings(settings), document, wanted, fills, cost };
}

/** Text shown as itself inside markdown (a prompt, a path): one line, its markdown characters escaped. */
const escapeMarkdown = markdownText;

function rel(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

/** `illustrate_generateImage`. */
export class GenerateImageTool implements vscode.LanguageModelTool<GenerateImageInput> {
  constructor(private readonly services: Services) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<GenerateImageInput>): Promise<vscode.PreparedToolInvocation> {
    const plan = await planGenerate(options.input);
    const { input, settings } = plan;
    // Paths the model chose are shown as code that cannot close early or add lines.
    const where = plan.wanted ? markdownCode(rel(plan.wanted)) : vscode.l10n.t('the destination folder ({0})', markdownCode(settings.destination));
    const link = plan.document
      ? plan.fills
        ? vscode.l10n.t(', filling the missing link in {0}', markdownCode(rel(plan.document)))
        : input.line
          ? vscode.l10n.t(', linked in {0} at line {1}', markdownCode(rel(plan.document)), input.line)
          : vscode.l10n.t(', linked at the end of {0}', markdownCode(rel(plan.document)))
      : '';
    const message = inertMarkdown(`“${escapeMarkdown(input.prompt.slice(0, 300))}”` + vscode.l10n.t('\n\n{0} · {1} · {2} · **{3}**\n\nSaved to {4}{5}.', escapeMarkdown(settings.model), settings.aspectRatio || vscode.l10n.t('auto'), settings.imageSize || vscode.l10n.t('default size'), formatCost(plan.cost), where, link) + (settings.transparentBackground ? vscode.l10n.t('\n\nTransparent background: two image calls (on white, then on black).') : ''));
    return {
      invocationMessage: vscode.l10n.t('Illustrate: generating “{0}”', printable(input.prompt.slice(0, 60))),
      confirmationMessages: { title: vscode.l10n.t('Generate an image with Illustrate ({0})?', formatCost(plan.cost)), message },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<GenerateImageInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const plan = await planGenerate(options.input);
    const { input } = plan;
    const folder = plan.wanted && !plan.document ? vscode.workspace.getWorkspaceFolder(plan.wanted) : undefined;
    const scope: PlacementScope = folder ? { root: folder.uri, document: undefined } : scopeFor(plan.document);
    const prepared = await prepareGeneration(input.prompt, scope, plan.wanted, undefined, plan.options, plan.settings.transparentBackground);
    let anchor: Anchor | undefined;
    const abort = abortSignalOf(token);
    try {
      let link: LinkPlacement = { kind: 'none' };
      if (plan.document) {
        const doc = await vscode.workspace.openTextDocument(plan.document);
        if (plan.fills) {
          anchor = new Anchor(doc, plan.fills.offset);
          link = { kind: 'retarget', anchor, image: plan.fills.image };
        } else {
          const offset = input.line !== undefined && input.line <= doc.lineCount ? doc.offsetAt(new vscode.Position(input.line - 1, 0)) : doc.getText().length;
          anchor = new Anchor(doc, offset);
          link = { kind: 'insert', anchor, at: 'line' };
        }
      }
      const { image, placed } = await generateInto(this.services, prepared, link, abort.signal);
      const twin = plan.document && prepared.settings.darkTwins ? await twinOfGenerated(this.services, plan.document, placed.file) : undefined;
      const lines = [
        vscode.l10n.t('Saved {0} ({1}×{2} {3}, {4}, {5}).', rel(placed.file), image.width, image.height, image.format.toUpperCase(), image.options.model, formatCost(image.cost)),
        plan.document ? vscode.l10n.t('The link is in {0} (unsaved; one undo removes the file and the link): {1}', rel(plan.document), placed.link) : vscode.l10n.t('Markdown link: {0}', placed.link),
        ...(twin ? [twin.summary] : []),
      ];
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(lines.join('\n'))]);
    } finally {
      abort.dispose();
      anchor?.dispose();
    }
  }
}

async function planFill(raw: unknown, token: vscode.CancellationToken): Promise<{ input: FillInput; plan: FillPlan; settings: Settings; cost: number | undefined }> {
  const input = fillInput(raw);
  const resource = input.path ? workspaceUri(input.path) : undefined;
  const scanned = await scanForMissing(resource, token);
  const settings = readSettings(scanned.targets[0]?.links[0]?.document ?? resource);
  // With stale: the images Illustrate made from an older alt text or style, made again in place.
  const plan = input.stale ? { ...scanned, targets: await staleTargets(scanned, imageHead, await currentStyle(resource ?? scanned.present?.[0]?.uri ?? vscode.Uri.file('/'))), skipped: [] } : scanned;
  return { input, plan, settings, cost: fillEstimate(plan.targets) };
}

function planText(plan: FillPlan, cost: number | undefined, settings: Settings, stale = false): string[] {
  const skipped = plan.skipped.length ? vscode.l10n.t(' · {0} skipped', plan.skipped.length) : '';
  const existing = plan.existing ? vscode.l10n.t(' · {0} already there', plan.existing) : '';
  return [
    stale
      ? vscode.l10n.t('{0} stale image(s) in {1} document(s) · {2} {3} · {4}{5}{6}', plan.targets.length, plan.documents, settings.model, settings.imageSize, formatCost(cost), skipped, existing)
      : vscode.l10n.t('{0} missing image(s) in {1} document(s) · {2} {3} · {4}{5}{6}', plan.targets.length, plan.documents, settings.model, settings.imageSize, formatCost(cost), skipped, existing),
    ...plan.targets.slice(0, LISTED).map((t) => `- ${rel(t.uri)} — ${altTextFromPrompt(t.prompt, 100)}`),
    ...(plan.targets.length > LISTED ? [vscode.l10n.t('- … and {0} more', plan.targets.length - LISTED)] : []),
  ];
}

/** `illustrate_fillMissingImages`. */
export class FillMissingImagesTool implements vscode.LanguageModelTool<FillInput> {
  /** What the user was asked about, per input: a run makes only those images, never ones found after. */
  private readonly asked = new Map<string, ReadonlySet<string>>();

  constructor(private readonly services: Services) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<FillInput>, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation> {
    const { input, plan, settings, cost } = await planFill(options.input, token);
    this.asked.set(JSON.stringify(input), new Set(input.dryRun ? [] : plan.targets.map((t) => t.uri.toString())));
    if (input.dryRun || !plan.targets.length) {
      return { invocationMessage: vscode.l10n.t('Illustrate: looking for missing images') };
    }
    return {
      invocationMessage: vscode.l10n.t('Illustrate: generating {0} missing image(s)', plan.targets.length),
      confirmationMessages: {
        title: vscode.l10n.t('Generate {0} missing image(s) with Illustrate ({1})?', plan.targets.length, formatCost(cost)),
        message: plainMarkdown(planText(plan, cost, settings, input.stale)),
      },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<FillInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const { input, plan, settings, cost } = await planFill(options.input, token);
    if (input.dryRun || !plan.targets.length) {
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(planText(plan, cost, settings, input.stale).join('\n'))]);
    }
    // Only what the confirmation showed is made: images that appeared since (or a scan that found
    // nothing to ask about, then something) wait for the next confirmation.
    const asked = this.asked.get(JSON.stringify(input)) ?? new Set<string>();
    this.asked.delete(JSON.stringify(input));
    const targets = plan.targets.filter((t) => asked.has(t.uri.toString()));
    const unasked = plan.targets.length - targets.length;
    const note = unasked ? [vscode.l10n.t('{0} missing image(s) were found after the confirmation and were not generated: run the tool again to confirm them.', unasked)] : [];
    if (!targets.length) {
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart([...note, ...planText(plan, fillEstimate(plan.targets), settings, input.stale)].join('\n'))]);
    }
    const abort = abortSignalOf(token);
    try {
      const outcome = await runFill(this.services, targets, abort.signal, () => undefined, input.stale ? new Set(targets.map((t) => t.uri.toString())) : undefined);
      const lines = [
        vscode.l10n.t('Filled {0} of {1} · {2} failed · {3} not started · ≈ ${4}', outcome.made.length, targets.length, outcome.failed.length, outcome.cancelled.length, outcome.cost.toFixed(3)),
        ...note,
        ...outcome.made.map((m) => vscode.l10n.t('made {0} ({1}×{2} {3})', rel(m.file), m.image.width, m.image.height, m.image.format.toUpperCase())),
        ...outcome.failed.map((f) => vscode.l10n.t('failed {0}: {1}', rel(f.target.uri), f.message)),
      ];
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(lines.join('\n'))]);
    } finally {
      abort.dispose();
    }
  }
}

/** `illustrate_checkImages`: what `illustrate check` finds, read only: missing, stale, generic alt text. */
export class CheckImagesTool implements vscode.LanguageModelTool<CheckInput> {
  prepareInvocation(): vscode.PreparedToolInvocation {
    return { invocationMessage: vscode.l10n.t('Illustrate: checking the images of the docs') };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<CheckInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const o = (typeof options.input === 'object' && options.input !== null ? options.input : {}) as Record<string, unknown>;
    const path = str(o.path, 1000);
    const only = Array.isArray(o.only) ? o.only.slice(0, 3).map((v) => (typeof v === 'string' ? v.slice(0, 20) : '')) : [];
    const kinds = only.length ? checkKinds(only.join(',')) : undefined;
    if (only.length && !kinds) {
      throw new IllustrateError('options', vscode.l10n.t('"only" takes missing, stale or alt.'));
    }
    const resource = path ? workspaceUri(path) : undefined;
    const plan = await scanForMissing(resource, token);
    const all = await checkPlan(plan, workspaceHost(), imageHead, await currentStyle(resource ?? plan.present?.[0]?.uri ?? vscode.Uri.file('/')));
    const findings = kinds ? all.filter((f) => kinds.has(f.kind)) : all;
    const lines = [
      vscode.l10n.t('{0} finding(s) in {1} document(s)', findings.length, plan.documents),
      ...findings.slice(0, 200).map((f) => `${rel(f.document)}:${f.line}  ${printable(f.link).slice(0, 300)} — ${f.kind}: ${f.message} (${f.fix})`),
    ];
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(lines.join('\n'))]);
  }
}

/** `illustrate_writeAltText`: describe the images without alt text and write the descriptions (asks first, with the cost). */
export class WriteAltTextTool implements vscode.LanguageModelTool<FillInput> {
  /** What the user was asked about, per input: a run describes only those images. */
  private readonly asked = new Map<string, ReadonlySet<string>>();

  constructor(private readonly deps: AltDeps) {}

  private async plan(raw: unknown, token: vscode.CancellationToken): Promise<{ input: FillInput; plan: AltPlan<vscode.Uri>; settings: Settings; model: string; cost: number | undefined }> {
    const input = fillInput(raw);
    const resource = input.path ? workspaceUri(input.path) : undefined;
    const plan = await planAltText(await scanForMissing(resource, token, () => undefined, { gif: true }), workspaceHost(), imageHead);
    const settings = readSettings(plan.targets[0]?.links[0]?.document ?? resource);
    const { model, cost } = await this.deps.describer.estimate(settings, plan.targets.length, plan.targets.length > 0, new AbortController().signal);
    return { input, plan, settings, model, cost };
  }

  private lines(plan: AltPlan<vscode.Uri>, model: string, cost: number | undefined): string[] {
    return [
      vscode.l10n.t('{0} image(s) need alt text in {1} document(s) · {2} · {3}', plan.targets.length, plan.documents, model, formatCost(cost)),
      ...plan.targets.slice(0, LISTED).map((t) => `- ${rel(t.uri)} — ${t.links.map((l) => `${rel(l.document)}:${l.line}`).join(', ')}`),
      ...(plan.targets.length > LISTED ? [vscode.l10n.t('- … and {0} more', plan.targets.length - LISTED)] : []),
    ];
  }

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<FillInput>, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation> {
    const { input, plan, model, cost } = await this.plan(options.input, token);
    this.asked.set(JSON.stringify(input), new Set(input.dryRun ? [] : plan.targets.map((t) => `${t.uri.toString()}|${t.language}`)));
    if (input.dryRun || !plan.targets.length) {
      return { invocationMessage: vscode.l10n.t('Illustrate: looking for images without alt text') };
    }
    return {
      invocationMessage: vscode.l10n.t('Illustrate: describing {0} image(s)', plan.targets.length),
      confirmationMessages: {
        title: vscode.l10n.t('Describe {0} image(s) with {1} and write their alt text ({2})?', plan.targets.length, model, formatCost(cost)),
        message: plainMarkdown(this.lines(plan, model, cost)),
      },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<FillInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const { input, plan, settings, model, cost } = await this.plan(options.input, token);
    if (input.dryRun || !plan.targets.length) {
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(this.lines(plan, model, cost).join('\n'))]);
    }
    const asked = this.asked.get(JSON.stringify(input)) ?? new Set<string>();
    this.asked.delete(JSON.stringify(input));
    const targets = plan.targets.filter((t) => asked.has(`${t.uri.toString()}|${t.language}`));
    if (!targets.length) {
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart([vscode.l10n.t('Nothing was described: the images found were not in the confirmation. Run the tool again to confirm them.'), ...this.lines(plan, model, cost)].join('\n'))]);
    }
    const abort = abortSignalOf(token);
    try {
      const { outcome, result } = await runAltTargets(this.deps, plan, targets, settings, abort.signal, () => undefined, rel);
      const lines = [
        vscode.l10n.t('Alt text written for {0} of {1} images · {2} decorative · {3} failed · ≈ ${4}', result.written.length, result.planned, result.decorative.length, result.failed.length, outcome.cost.toFixed(4)),
        ...result.written.map((w) => `- ${w.file}: ${w.alt}`),
        ...result.decorative.map((d) => vscode.l10n.t('- {0}: decorative', d)),
        ...result.failed.map((f) => vscode.l10n.t('- failed {0}', f)),
      ];
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(lines.join('\n'))]);
    } finally {
      abort.dispose();
    }
  }
}

/** `illustrate_reviewImages`: look at the pictures against their words and keep each verdict (asks first, with the cost). */
export class ReviewImagesTool implements vscode.LanguageModelTool<FillInput> {
  /** What the user was asked about, per input: a run reviews only those images. */
  private readonly asked = new Map<string, ReadonlySet<string>>();

  constructor(private readonly deps: ReviewDeps) {}

  private async plan(raw: unknown, token: vscode.CancellationToken): Promise<{ input: FillInput; plan: ReviewPlan<vscode.Uri>; settings: Settings; model: string; cost: number | undefined }> {
    const input = fillInput(raw);
    const resource = input.path ? workspaceUri(input.path) : undefined;
    const plan = await planReviewIn(resource, token);
    const settings = readSettings(plan.targets[0]?.links[0]?.document ?? resource);
    const { model } = await this.deps.services.reviewer.estimate(settings, plan.targets.length, plan.targets.length > 0, new AbortController().signal);
    return { input, plan, settings, model, cost: estimateReviewCost(model, plan.targets.map((t) => t.words), settings.prices) };
  }

  private lines(plan: ReviewPlan<vscode.Uri>, model: string, cost: number | undefined): string[] {
    return [
      vscode.l10n.t('{0} image(s) to review in {1} document(s) · {2} · {3}', plan.targets.length, plan.documents, model, formatCost(cost)),
      ...plan.targets.slice(0, LISTED).map((t) => `- ${rel(t.uri)} — ${altTextFromPrompt(t.words.prompt, 100)}`),
      ...(plan.targets.length > LISTED ? [vscode.l10n.t('- … and {0} more', plan.targets.length - LISTED)] : []),
    ];
  }

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<FillInput>, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation> {
    const { input, plan, model, cost } = await this.plan(options.input, token);
    this.asked.set(JSON.stringify(input), new Set(input.dryRun ? [] : plan.targets.map((t) => t.uri.toString())));
    if (input.dryRun || !plan.targets.length) {
      return { invocationMessage: vscode.l10n.t('Illustrate: looking for images to review') };
    }
    return {
      invocationMessage: vscode.l10n.t('Illustrate: reviewing {0} image(s)', plan.targets.length),
      confirmationMessages: {
        title: vscode.l10n.t('Review {0} image(s) with {1} ({2})?', plan.targets.length, model, formatCost(cost)),
        message: plainMarkdown(this.lines(plan, model, cost)),
      },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<FillInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const { input, plan, settings, model, cost } = await this.plan(options.input, token);
    if (input.dryRun || !plan.targets.length) {
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(this.lines(plan, model, cost).join('\n'))]);
    }
    const asked = this.asked.get(JSON.stringify(input)) ?? new Set<string>();
    this.asked.delete(JSON.stringify(input));
    const targets = plan.targets.filter((t) => asked.has(t.uri.toString()));
    if (!targets.length) {
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart([vscode.l10n.t('Nothing was reviewed: the images found were not in the confirmation. Run the tool again to confirm them.'), ...this.lines(plan, model, cost)].join('\n'))]);
    }
    const abort = abortSignalOf(token);
    try {
      const { result } = await runReviewTargets(this.deps, targets, settings, model, abort.signal, () => undefined, rel);
      const lines = [
        result.summary,
        ...result.verdicts.map((v) => `- ${v.file}: ${v.status}${v.reasons.length ? ` (${v.reasons.join('; ')})` : ''}`),
        ...result.failed.map((f) => vscode.l10n.t('- failed {0}', f)),
      ];
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(lines.join('\n'))]);
    } finally {
      abort.dispose();
    }
  }
}

/** `illustrate_makeTransparent`: one image already in the workspace, its background taken away (asks first, with the cost of its two calls). */
export class MakeTransparentTool implements vscode.LanguageModelTool<{ readonly image: string }> {
  constructor(private readonly deps: LifecycleDeps) {}

  private async plan(raw: unknown): Promise<{ uri: vscode.Uri; name: string; cost: number | undefined }> {
    const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const image = str(o.image, 1000);
    if (!image) {
      throw new IllustrateError('options', vscode.l10n.t('Name the image to make transparent: a workspace-relative path such as docs/img/logo.png.'));
    }
    const uri = workspaceUri(image);
    const read = await this.deps.files.read(uri);
    const settings = readSettings(uri);
    return { uri, name: rel(uri), cost: transparentEstimate(settings, read?.meta?.prompt ?? '', { source: true }) };
  }

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<{ readonly image: string }>): Promise<vscode.PreparedToolInvocation> {
    const { name, cost } = await this.plan(options.input);
    return {
      invocationMessage: vscode.l10n.t('Illustrate: making the background of {0} transparent', printable(name)),
      confirmationMessages: {
        title: vscode.l10n.t('Make the background of this image transparent ({0})?', formatCost(cost)),
        message: inertMarkdown(vscode.l10n.t('{0} is replaced in place by the same picture with a transparent background: two image calls (onto white, then onto black). The old picture goes to the Image Studio\'s history.', markdownCode(name))),
      },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<{ readonly image: string }>): Promise<vscode.LanguageModelToolResult> {
    const { uri } = await this.plan(options.input);
    const result = await makeBackgroundTransparent(this.deps, uri);
    if (!result.ok) {
      throw new IllustrateError('options', result.message);
    }
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(result.message)]);
  }
}

/** `illustrate_makeDarkTwins`: the dark twins of the images the pages link, and their pages switched (asks first, with the count and the cost). */
export class MakeDarkTwinsTool implements vscode.LanguageModelTool<FillInput> {
  /** What the user was asked about, per input: a run makes only those twins. */
  private readonly asked = new Map<string, ReadonlySet<string>>();

  constructor(private readonly deps: LifecycleDeps) {}

  private async plan(raw: unknown, token: vscode.CancellationToken): Promise<{ input: FillInput; plan: DarkPlan<vscode.Uri>; cost: number | undefined }> {
    const input = fillInput(raw);
    const plan = await planDarkIn(input.path ? workspaceUri(input.path) : undefined, token);
    return { input, plan, cost: darkCost(plan.targets) };
  }

  private lines(plan: DarkPlan<vscode.Uri>, cost: number | undefined): string[] {
    const making = plan.targets.filter((t) => t.make).length;
    return [
      vscode.l10n.t('{0} dark twin(s) to make (one image edit each) · {1} already there to link · {2} · {3} link(s) already switch · {4} left out', making, plan.targets.length - making, formatCost(cost), plan.switching, plan.skipped.length),
      ...plan.targets.slice(0, LISTED).map((t) => `- ${rel(t.uri)} → ${rel(t.twin)}${t.make ? '' : vscode.l10n.t(' (already there)')} · ${t.edits.map((e) => rel(e.document)).join(', ')}`),
      ...(plan.targets.length > LISTED ? [vscode.l10n.t('- … and {0} more', plan.targets.length - LISTED)] : []),
      ...plan.skipped.slice(0, LISTED).map((k) => vscode.l10n.t('- left out {0}: {1}', rel(k.file), k.reason)),
    ];
  }

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<FillInput>, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation> {
    const { input, plan, cost } = await this.plan(options.input, token);
    this.asked.set(JSON.stringify(input), new Set(input.dryRun ? [] : plan.targets.map((t) => t.twin.toString())));
    if (input.dryRun || !plan.targets.length) {
      return { invocationMessage: vscode.l10n.t('Illustrate: looking for images that need a dark twin') };
    }
    const making = plan.targets.filter((t) => t.make).length;
    return {
      invocationMessage: vscode.l10n.t('Illustrate: making {0} dark twin(s)', making),
      confirmationMessages: {
        title: vscode.l10n.t('Make {0} dark twin(s) with Illustrate and switch their pages ({1})?', making, formatCost(cost)),
        message: plainMarkdown(this.lines(plan, cost)),
      },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<FillInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const { input, plan, cost } = await this.plan(options.input, token);
    if (input.dryRun || !plan.targets.length) {
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(this.lines(plan, cost).join('\n'))]);
    }
    const asked = this.asked.get(JSON.stringify(input)) ?? new Set<string>();
    this.asked.delete(JSON.stringify(input));
    const targets = plan.targets.filter((t) => asked.has(t.twin.toString()));
    if (!targets.length) {
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart([vscode.l10n.t('Nothing was made: the images found were not in the confirmation. Run the tool again to confirm them.'), ...this.lines(plan, cost)].join('\n'))]);
    }
    const abort = abortSignalOf(token);
    try {
      const { outcome, edits, unwritten } = await runDarkTargets(this.deps.services.generator, plan, targets, abort.signal, () => undefined, rel);
      targets.forEach((t) => this.deps.files.forget(t.twin));
      const lines = [
        vscode.l10n.t('Made {0} of {1} dark twins · links switched in {2} pages · {3} failed · ≈ ${4}', outcome.made.length, targets.filter((t) => t.make).length, edits.length, outcome.failed.length + unwritten.length, outcome.cost.toFixed(3)),
        ...outcome.made.map((m) => vscode.l10n.t('made {0} ({1}×{2} {3}), the dark twin of {4}', rel(m.target.twin), m.image.width, m.image.height, m.image.format.toUpperCase(), rel(m.target.uri))),
        ...edits.map((e) => vscode.l10n.t('switched {0} links in {1} (unsaved; one undo takes the run back)', e.edits.length / 2, rel(e.document))),
        ...outcome.failed.map((f) => vscode.l10n.t('failed {0}: {1}', rel(f.target.uri), f.message)),
        ...unwritten.map((m) => vscode.l10n.t('not written: {0}', m)),
      ];
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(lines.join('\n'))]);
    } finally {
      abort.dispose();
    }
  }
}

/** Registers the tools (they are declared in package.json `languageModelTools`). */
export function registerAgentTools(services: Services, alt: AltDeps, review: ReviewDeps, lifecycle: LifecycleDeps): vscode.Disposable[] {
  if (typeof vscode.lm?.registerTool !== 'function') {
    return [];
  }
  return [
    vscode.lm.registerTool('illustrate_generateImage', new GenerateImageTool(services)),
    vscode.lm.registerTool('illustrate_fillMissingImages', new FillMissingImagesTool(services)),
    vscode.lm.registerTool('illustrate_checkImages', new CheckImagesTool()),
    vscode.lm.registerTool('illustrate_writeAltText', new WriteAltTextTool(alt)),
    vscode.lm.registerTool('illustrate_reviewImages', new ReviewImagesTool(review)),
    vscode.lm.registerTool('illustrate_makeTransparent', new MakeTransparentTool(lifecycle)),
    vscode.lm.registerTool('illustrate_translateImages', new TranslateImagesTool(alt, workspaceUri)),
    vscode.lm.registerTool('illustrate_makeDarkTwins', new MakeDarkTwinsTool(lifecycle)),
  ];
}
