/**
 * Translated pictures in the editor: the Quick Fix on an image a translated page shares with its
 * source page ("Translate "flow.png" into 日本語"), Translate Images… over the workspace or a
 * folder (the languages, the plan with its cost, one modal question, progress with Cancel) and
 * the Copilot tool. Core plans and runs (core/variants/translate); here the result becomes one
 * WorkspaceEdit: the new pictures and the changed links, one undo.
 */
import * as vscode from 'vscode';
import { DEFAULT_DESCRIBE_MODEL } from '../core/api/describe';
import { formatCost } from '../core/api/pricing';
import { IllustrateError } from '../core/errors';
import { scanMissing } from '../core/fill/fill';
import { MAX_IMAGE_BYTES } from '../core/images/imageFormat';
import { basename, isInside } from '../core/paths';
import { ownLanguageName } from '../core/variants/language';
import { translationOf } from '../core/variants/pages';
import { planTranslations, runTranslateJob, TranslateHost, translationEstimate, TranslationPlan, TranslationResult, TranslationRun, TranslationTarget } from '../core/variants/translate';
import { abortSignalOf, withCancellableProgress } from '../platform/cancellation';
import { documentAt, imageLinkArgs } from '../platform/commandArgs';
import { showFailure } from '../platform/feedback';
import { scanForMissing, workspaceHost } from '../platform/fill';
import { imageHead } from '../platform/imageFiles';
import { imageNear } from '../platform/imageLinks';
import { plainMarkdown } from '../platform/markdownString';
import { checkRealLocation, uriExists } from '../platform/placement';
import { CommandResult } from '../platform/services';
import { readSettings } from '../platform/settings';
import { EditorSites } from '../platform/sites';
import { applyChange, FileBytes, TextChange } from '../platform/workspaceChange';
import { readWorkspaceFile } from '../platform/workspaceFiles';
import { AltDeps } from './altText';

/** The editor's services a translation needs: the same as alt text's (the describer looks for text). */
export type TranslateDeps = AltDeps;

type Target = TranslationTarget<vscode.Uri>;

/** The plan's host: the scan's, with the record and whole-file readers (inside the workspace only). */
function translateHost(sites?: EditorSites): TranslateHost<vscode.Uri> {
  return { ...workspaceHost(sites), head: imageHead, read: (uri) => readWorkspaceFile(uri, MAX_IMAGE_BYTES) };
}

function rel(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

/** A target's settings: its translated page's folder's. */
function settingsOf(t: Target): ReturnType<typeof readSettings> {
  return readSettings(t.links[0]?.document ?? t.uri);
}

/** The describe model the estimate prices a look at, as the command line does: asking the endpoint which it serves waits for the run. */
function lookModelOf(t: Target | undefined): string {
  return (t && settingsOf(t).describeModel) || DEFAULT_DESCRIBE_MODEL;
}

/**
 * The plan for one translated page: that page and the pages it may translate are scanned (nothing
 * else is read), and only that page's links are planned. Undefined when it is no translated page.
 */
export async function planPage(document: vscode.Uri, sites: EditorSites): Promise<TranslationPlan<vscode.Uri> | undefined> {
  const folder = vscode.workspace.getWorkspaceFolder(document);
  if (!folder || !/\.(?:md|markdown|mdx)$/i.test(document.path)) {
    return undefined;
  }
  const site = await sites.finder(folder.uri).siteFor(document.path, folder.uri.path);
  const translation = translationOf(site, document.path);
  if (!translation) {
    return undefined;
  }
  const sources: vscode.Uri[] = [];
  for (const path of translation.sources) {
    const uri = document.with({ path });
    if (isInside(path, folder.uri.path) && (await uriExists(uri))) {
      sources.push(uri);
    }
  }
  if (!sources.length) {
    return undefined;
  }
  const host = translateHost(sites);
  const scanned = await scanMissing([document, ...sources], host);
  return planTranslations(scanned, host, [], (d) => d.toString() === document.toString());
}

/** The target whose links include the image at `offset` of `document`. */
function targetAt(plan: TranslationPlan<vscode.Uri> | undefined, document: vscode.Uri, offset: number): Target | undefined {
  return plan?.targets.find((t) => t.links.some((l) => l.document.toString() === document.toString() && l.image.start <= offset && offset <= l.image.end));
}

/** "Translate "flow.png" into 日本語" on an image a translated page shares with its source page. No model is asked: the look for text happens when it runs. */
export class TranslateImageCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly deps: TranslateDeps) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range): Promise<vscode.CodeAction[]> {
    const image = imageNear(document, range.start);
    if (!image) {
      return [];
    }
    const target = targetAt(await planPage(document.uri, this.deps.sites.sites).catch(() => undefined), document.uri, image.start);
    if (!target) {
      return [];
    }
    const action = new vscode.CodeAction(vscode.l10n.t('Translate "{0}" into {1}', basename(target.uri.path), ownLanguageName(target.lang)), vscode.CodeActionKind.QuickFix);
    action.command = { command: 'illustrate.translateImage', title: action.title, arguments: [imageLinkArgs(document.uri, image.start)] };
    return [action];
  }
}

/**
 * Writes a run's result as one WorkspaceEdit: each new picture created (a translation made again
 * replaced), each page's links changed if the page still has the text they were planned on.
 * Returns what was left as it is, one message each.
 */
async function applyResult(result: TranslationResult<vscode.Uri>): Promise<string[]> {
  const left: string[] = [];
  const created: FileBytes[] = [];
  const replaced: FileBytes[] = [];
  const written = new Set<string>();
  for (const f of result.files) {
    const folder = vscode.workspace.getWorkspaceFolder(f.uri);
    try {
      if (!folder) {
        throw new IllustrateError('destination', vscode.l10n.t('{0} is outside the workspace, so Illustrate will not write it.', f.uri.path));
      }
      await checkRealLocation(folder.uri, f.uri);
    } catch (e: unknown) {
      left.push(e instanceof IllustrateError ? e.message : vscode.l10n.t('{0} could not be written.', rel(f.uri)));
      continue;
    }
    (f.replace ? replaced : created).push({ uri: f.uri, bytes: f.bytes });
    written.add(f.uri.toString());
  }
  const text: TextChange[] = [];
  for (const page of result.edits) {
    const edits = page.edits.filter((e) => written.has(e.to.toString()));
    if (!edits.length) {
      continue;
    }
    const doc = await vscode.workspace.openTextDocument(page.document);
    if (doc.getText() !== page.text) {
      left.push(vscode.l10n.t('{0} changed while its pictures were translated, so its links were left as they are. Point them at the translated pictures by hand, or run the command again.', rel(page.document)));
      continue;
    }
    text.push(...edits.map((e) => ({ document: page.document, range: new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), text: e.text })));
  }
  if (created.length || replaced.length || text.length) {
    await applyChange({ created, replaced, text }, () => vscode.l10n.t('Could not write the translated pictures: a file already exists there, or a page is read-only. Check them and run the command again.'));
  }
  return left;
}

/** Runs the targets at Fill's pace, then writes everything made as one WorkspaceEdit. */
async function runTargets(deps: TranslateDeps, targets: readonly Target[], signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<TranslationRun<vscode.Uri>> {
  const first = settingsOf(targets[0]);
  const run = await runTranslateJob(
    {
      generator: deps.services.generator,
      describer: deps.describer,
      reviewer: deps.services.reviewer,
      settings: settingsOf,
      read: (t) => readWorkspaceFile(t.uri, MAX_IMAGE_BYTES),
      name: rel,
      path: (uri) => uri.path,
      apply: applyResult,
    },
    targets,
    { concurrency: first.fillConcurrency, signal, onProgress: (p) => onProgress(p.done, p.total), lookModel: lookModelOf(targets[0]) },
  );
  for (const f of run.result.files) {
    deps.files.forget(f.uri);
  }
  deps.diagnostics.refreshAll(0);
  return run;
}

/** What a run came to, for the summary, the Copilot tool and tests. */
export interface TranslateRunResult {
  readonly planned: number;
  readonly made: readonly { readonly file: string; readonly source: string; readonly lang: string }[];
  /** Looked at and found without text. */
  readonly noText: readonly string[];
  /** Left alone by the plan, with why. */
  readonly skipped: readonly string[];
  readonly failed: readonly string[];
  readonly pagesChanged: readonly string[];
  readonly cost: number;
  readonly summary: string;
}

function runResult(plan: TranslationPlan<vscode.Uri>, targets: readonly Target[], run: TranslationRun<vscode.Uri>): TranslateRunResult {
  const { outcome } = run;
  const made = outcome.made.flatMap((m) => (m.made.kind === 'made' ? [{ file: rel(m.target.out), source: rel(m.target.uri), lang: m.target.lang }] : []));
  const noText = outcome.made.flatMap((m) => (m.made.kind === 'noText' ? [rel(m.target.uri)] : []));
  const skipped = plan.skipped.map((s) => `${rel(s.file)}${s.lang ? ` (${s.lang})` : ''}: ${s.reason}`);
  const failed = [...outcome.failed.map((f) => `${rel(f.target.uri)} (${f.target.lang}): ${f.message}`), ...run.unwritten];
  const summary = vscode.l10n.t('Translated {0} of {1} pictures · {2} left alone ({3} without text) · {4} failed · ≈ ${5}', made.length, targets.length, noText.length + skipped.length, noText.length, failed.length, outcome.cost.toFixed(3));
  return { planned: targets.length, made, noText, skipped, failed, pagesChanged: run.result.edits.map((e) => rel(e.document)), cost: outcome.cost, summary };
}

/** The Quick Fix's command: the image under the cursor (or the Quick Fix's), translated into its page's language; the picture and the link are one undo. */
export async function translateImage(deps: TranslateDeps, args?: unknown): Promise<CommandResult> {
  try {
    const at = await documentAt(args);
    const image = at && imageNear(at.document, at.position);
    const target = at && image ? targetAt(await planPage(at.document.uri, new EditorSites()), at.document.uri, image.start) : undefined;
    if (!at || !target) {
      throw new IllustrateError('options', vscode.l10n.t('Put the cursor in an image of a translated page (such as docs/ja/guide.md or README.ja.md) that its source page links too, then run the command again.'));
    }
    const language = ownLanguageName(target.lang);
    const run = await withCancellableProgress(vscode.l10n.t('Illustrate: translating {0} into {1}', basename(target.uri.path), language), (signal) => runTargets(deps, [target], signal, () => undefined));
    const made = run.outcome.made[0]?.made;
    if (made?.kind === 'noText') {
      const message = vscode.l10n.t('The describe model saw no text in {0}, so there is nothing to translate; the page still shows it.', basename(target.uri.path));
      void vscode.window.showInformationMessage(message);
      return { ok: true, message };
    }
    const failed = run.outcome.failed[0]?.message ?? run.unwritten[0] ?? run.outcome.stopped;
    if (made?.kind !== 'made' || failed) {
      throw new IllustrateError('options', failed ?? vscode.l10n.t('Nothing was translated. Run the command again.'));
    }
    const message = vscode.l10n.t('Translated {0} into {1}: {2} · {3}', basename(target.uri.path), language, rel(target.out), formatCost(run.outcome.cost));
    void vscode.window.setStatusBarMessage(`$(check) ${message}`, 8000);
    return { ok: true, message, file: target.out.toString() };
  } catch (e: unknown) {
    return showFailure(deps.services, e);
  }
}

/** The plan over the workspace, or over the translated pages under `resource` (their source pages may be anywhere in it). */
export async function planIn(resource: vscode.Uri | undefined, token: vscode.CancellationToken, langs: readonly string[] = []): Promise<TranslationPlan<vscode.Uri>> {
  const scanned = await scanForMissing(undefined, token, () => undefined, {});
  const under = resource && (resource.path.endsWith('/') ? resource.path.slice(0, -1) : resource.path);
  const only = under === undefined ? undefined : (d: vscode.Uri): boolean => d.path === under || isInside(d.path, under);
  return planTranslations(scanned, translateHost(), langs, only);
}

/** The languages the plan translates into, each with its pictures: a quick pick when there are several. */
async function pickLanguages(targets: readonly Target[]): Promise<readonly Target[] | undefined> {
  const langs = [...new Set(targets.map((t) => t.lang))].sort();
  if (langs.length < 2) {
    return targets;
  }
  const items = langs.map((lang) => {
    const n = targets.filter((t) => t.lang === lang).length;
    return { label: ownLanguageName(lang), description: `${lang} · ${n === 1 ? vscode.l10n.t('1 picture') : vscode.l10n.t('{0} pictures', n)}`, picked: true, lang };
  });
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: vscode.l10n.t('Translate Images: which languages?'), placeHolder: vscode.l10n.t('Untick any language you do not want, then press Enter') });
  const chosen = new Set((picked ?? []).map((p) => p.lang));
  return chosen.size ? targets.filter((t) => chosen.has(t.lang)) : undefined;
}

/** The modal question: how many, into which languages, for how much. */
async function confirmTranslation(targets: readonly Target[], cost: number | undefined): Promise<boolean> {
  const languages = [...new Set(targets.map((t) => ownLanguageName(t.lang)))].join(', ');
  const looks = targets.filter((t) => t.text === 'look').length;
  const go = vscode.l10n.t('Translate');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Translate {0} into {1} for {2}?', targets.length === 1 ? vscode.l10n.t('1 picture') : vscode.l10n.t('{0} pictures', targets.length), languages, formatCost(cost)),
    {
      modal: true,
      detail: [
        ...targets.slice(0, 10).map((t) => `${rel(t.uri)} → ${rel(t.out)}`),
        ...(targets.length > 10 ? [vscode.l10n.t('… and {0} more', targets.length - 10)] : []),
        ...(looks ? [vscode.l10n.t('{0} are looked at first for text (the describe model); a picture without text is left alone.', looks)] : []),
        vscode.l10n.t('The new pictures and the changed links are one edit: one undo takes them all back.'),
      ].join('\n'),
    },
    go,
  );
  return answer === go;
}

/** Translate Images…: the pictures the translated pages of the workspace (or a folder) share with their source pages, planned, priced, asked about, made, written as one edit. */
export async function translateImages(deps: TranslateDeps, resource?: vscode.Uri): Promise<TranslateRunResult | undefined> {
  try {
    const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Illustrate: looking for pictures to translate') }, (_p, token) => planIn(resource, token));
    if (!plan.targets.length) {
      const message = plan.skipped.length ? vscode.l10n.t('No picture to translate: {0} left alone ({1}).', plan.skipped.length, plan.skipped[0].reason) : vscode.l10n.t('No picture to translate: no translated page shares a picture with its source page.');
      void vscode.window.showInformationMessage(message);
      return undefined;
    }
    const chosen = await pickLanguages(plan.targets);
    if (!chosen) {
      return undefined;
    }
    if (!(await confirmTranslation(chosen, translationEstimate(chosen, settingsOf, lookModelOf(chosen[0]))))) {
      return undefined;
    }
    const run = await withCancellableProgress(vscode.l10n.t('Illustrate: translating pictures'), (signal, progress) => {
      progress.report({ message: `0 / ${chosen.length}` });
      return runTargets(deps, chosen, signal, (done, total) => progress.report({ message: `${done} / ${total}`, increment: 100 / total }));
    });
    const result = runResult(plan, chosen, run);
    void (result.failed.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(result.summary);
    return result;
  } catch (e: unknown) {
    showFailure(deps.services, e);
    return undefined;
  }
}

export interface TranslateToolInput {
  readonly path?: string;
  readonly langs?: readonly string[];
  readonly dryRun?: boolean;
}

const LANG = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$/;

function toolInput(raw: unknown): TranslateToolInput {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const path = typeof o.path === 'string' && o.path.trim() && o.path.length <= 1000 ? o.path.trim() : undefined;
  const langs = Array.isArray(o.langs) ? o.langs.filter((l): l is string => typeof l === 'string' && LANG.test(l)).slice(0, 20) : [];
  return { path, langs, dryRun: o.dryRun === true };
}

/** `illustrate_translateImages`: translate the pictures translated pages share with their source pages (asks first, with the count and the cost). */
export class TranslateImagesTool implements vscode.LanguageModelTool<TranslateToolInput> {
  /** What the user was asked about, per input: a run translates only those. */
  private readonly asked = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly deps: TranslateDeps,
    /** A workspace path as a URI inside the workspace (the tools' one reader of paths). */
    private readonly workspaceUri: (path: string) => vscode.Uri,
  ) {}

  private async plan(raw: unknown, token: vscode.CancellationToken): Promise<{ input: TranslateToolInput; plan: TranslationPlan<vscode.Uri>; cost: number | undefined }> {
    const input = toolInput(raw);
    const plan = await planIn(input.path ? this.workspaceUri(input.path) : undefined, token, input.langs);
    return { input, plan, cost: translationEstimate(plan.targets, settingsOf, lookModelOf(plan.targets[0])) };
  }

  private lines(plan: TranslationPlan<vscode.Uri>, cost: number | undefined): string[] {
    return [
      vscode.l10n.t('{0} picture(s) to translate · {1} left alone · {2}', plan.targets.length, plan.skipped.length, formatCost(cost)),
      ...plan.targets.slice(0, 20).map((t) => `- ${rel(t.uri)} → ${rel(t.out)} (${t.lang}, ${ownLanguageName(t.lang)})`),
      ...(plan.targets.length > 20 ? [vscode.l10n.t('- … and {0} more', plan.targets.length - 20)] : []),
      ...plan.skipped.slice(0, 20).map((s) => vscode.l10n.t('- left alone {0}: {1}', rel(s.file), s.reason)),
    ];
  }

  private key(t: Target): string {
    return `${t.uri.toString()}|${t.out.toString()}`;
  }

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<TranslateToolInput>, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation> {
    const { input, plan, cost } = await this.plan(options.input, token);
    this.asked.set(JSON.stringify(input), new Set(input.dryRun ? [] : plan.targets.map((t) => this.key(t))));
    if (input.dryRun || !plan.targets.length) {
      return { invocationMessage: vscode.l10n.t('Illustrate: looking for pictures to translate') };
    }
    const languages = [...new Set(plan.targets.map((t) => ownLanguageName(t.lang)))].join(', ');
    return {
      invocationMessage: vscode.l10n.t('Illustrate: translating {0} picture(s)', plan.targets.length),
      confirmationMessages: {
        title: vscode.l10n.t('Translate {0} picture(s) into {1} ({2})?', plan.targets.length, languages, formatCost(cost)),
        message: plainMarkdown([...this.lines(plan, cost), vscode.l10n.t('The new pictures and the changed links are one edit: one undo takes them all back.')]),
      },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<TranslateToolInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const { input, plan, cost } = await this.plan(options.input, token);
    const text = (lines: readonly string[]): vscode.LanguageModelToolResult => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(lines.join('\n'))]);
    if (input.dryRun || !plan.targets.length) {
      return text(this.lines(plan, cost));
    }
    const asked = this.asked.get(JSON.stringify(input)) ?? new Set<string>();
    this.asked.delete(JSON.stringify(input));
    const targets = plan.targets.filter((t) => asked.has(this.key(t)));
    if (!targets.length) {
      return text([vscode.l10n.t('Nothing was translated: the pictures found were not in the confirmation. Run the tool again to confirm them.'), ...this.lines(plan, cost)]);
    }
    const abort = abortSignalOf(token);
    try {
      const result = runResult(plan, targets, await runTargets(this.deps, targets, abort.signal, () => undefined));
      return text([
        result.summary,
        ...result.made.map((m) => `- ${m.source} → ${m.file} (${m.lang})`),
        ...result.noText.map((n) => vscode.l10n.t('- {0}: no text in it, left alone', n)),
        ...result.failed.map((f) => vscode.l10n.t('- failed {0}', f)),
      ]);
    } finally {
      abort.dispose();
    }
  }
}
