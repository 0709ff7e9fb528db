/**
 * Alt text for images that have none: the Quick Fix on one image, and Write Missing Alt Text… over
 * the workspace, a folder or a file, with Fill's plan, cost, confirmation, progress and report.
 * Every run is one WorkspaceEdit (one undo) that changes only alt texts, and the record inside
 * images Illustrate made, so the new alt text does not make them stale.
 */
import * as vscode from 'vscode';
import { withCancellableProgress } from '../platform/cancellation';
import { Describer, documentLanguage, estimateDescribeCost, imageContext } from '../core/api/describe';
import { formatCost } from '../core/api/pricing';
import { altEdit, altNeed, TextEdit } from '../core/docs/altText';
import { IllustrateError } from '../core/errors';
import { dialectOf, markdownCode, markdownText } from '../core/escape';
import { commandRoot, readWorkspaceFile, relativeTo } from '../platform/workspaceFiles';
import { MAX_IMAGE_BYTES } from '../core/images/imageFormat';
import { AltPlan, AltTarget, planAltText } from '../core/fill/alt';
import { linkText } from '../core/docs/docScan';
import { FillOutcome } from '../core/fill/fill';
import { AltJobHost, AltMade, runAltJob } from '../core/fill/jobs';
import { withKeptAlt } from '../core/images/metadata';
import { basename } from '../core/paths';
import { Settings } from '../core/settings';
import { showFailure } from '../platform/feedback';
import { applyPlanned, FileBytes } from '../platform/workspaceChange';
import { scanForMissing, workspaceHost } from '../platform/fill';
import { ImageFiles, imageHead } from '../platform/imageFiles';
import { docImageNear, linkedFile } from '../platform/imageLinks';
import { ImageDiagnostics } from '../platform/imageDiagnostics';
import { documentAt } from '../platform/commandArgs';
import { CommandResult, Services } from '../platform/services';
import { isMarkdownDocument } from '../platform/markdownDocuments';
import { readSettings } from '../platform/settings';
import { LiveSites } from '../platform/sites';

export interface AltDeps {
  readonly services: Services;
  readonly describer: Describer;
  readonly files: ImageFiles;
  readonly sites: LiveSites;
  readonly diagnostics: ImageDiagnostics;
}

/** Text edits of several documents and rewritten image files, as one WorkspaceEdit (one undo). */
function applyAll(edits: Iterable<{ readonly document: vscode.Uri; readonly edits: readonly TextEdit[] }>, files: readonly FileBytes[], planned?: ReadonlyMap<string, string>): Promise<string[]> {
  return applyPlanned(
    edits,
    { replaced: files },
    planned,
    (name) => vscode.l10n.t('{0} changed while the images were described, so it was left as it is. Run the command again.', name),
    () => vscode.l10n.t('Could not write the alt text: a document is read-only or was closed. Open it again and retry.'),
  );
}

/** "Write alt text with Illustrate": one image, from the Quick Fix or the cursor. */
export async function writeAltText(deps: AltDeps, args?: unknown): Promise<CommandResult> {
  const { services } = deps;
  try {
    const at = await documentAt(args);
    const document = at?.document;
    const image = at && document && isMarkdownDocument(document) ? docImageNear(at.document, at.position) : undefined;
    if (!document || !image) {
      throw new IllustrateError('options', vscode.l10n.t('Put the cursor in an image, such as ![](images/flow.png) or <img src="images/flow.png">, then run the command again.'));
    }
    const need = altNeed(image);
    if (!need) {
      throw new IllustrateError('options', vscode.l10n.t('This image already has an alt text that describes it (or is marked decorative).'));
    }
    const file = await linkedFile(document.uri, image, deps.sites);
    const read = file && (await deps.files.read(file));
    if (!file || !read?.format) {
      throw new IllustrateError('options', vscode.l10n.t('The image {0} is not a file in the workspace, so there is nothing to describe.', image.target));
    }
    const settings = readSettings(document.uri);
    const language = documentLanguage(document.getText(), document.uri.path);
    const context = imageContext(document.getText(), image.start);
    const version = document.version;
    const described = await withCancellableProgress(vscode.l10n.t('Illustrate: describing {0}', basename(file.path)), (signal) => deps.describer.describe({ bytes: read.bytes, format: read.format! }, context, language, settings, signal));
    if (described.decorative && !image.html) {
      const message = vscode.l10n.t('The model says {0} looks decorative. Markdown has no marker for that: leave its alt text empty, or use <img src="…" alt=""> to mark it.', basename(file.path));
      void vscode.window.showInformationMessage(message);
      return { ok: true, message };
    }
    // The image is found again: the user may have typed while it was described.
    const now = document.version === version ? image : docImageNear(document, document.positionAt(image.start));
    const edit = now && now.target === image.target ? altEdit(now, described.text, described.decorative, dialectOf(document.uri.path)) : undefined;
    if (!edit) {
      throw new IllustrateError('options', vscode.l10n.t('The image moved while it was described. Run the command on it again.'));
    }
    const rewritten = described.decorative ? undefined : withKeptAlt(read.bytes, read.format, read.meta, described.text);
    await applyAll([{ document: document.uri, edits: [edit] }], rewritten ? [{ uri: file, bytes: rewritten }] : []);
    deps.files.forget(file);
    await deps.diagnostics.refresh(document).catch(() => undefined);
    const message = described.decorative ? vscode.l10n.t('Marked {0} decorative (alt="").', basename(file.path)) : vscode.l10n.t('Alt text for {0}: "{1}" · {2}', basename(file.path), described.text, formatCost(described.cost));
    void vscode.window.setStatusBarMessage(`$(check) ${message}`, 8000);
    return { ok: true, message, file: file.toString() };
  } catch (e: unknown) {
    return showFailure(services, e);
  }
}

export interface AltRunResult {
  readonly planned: number;
  readonly written: readonly { readonly file: string; readonly alt: string; readonly links: number }[];
  readonly decorative: readonly string[];
  readonly failed: readonly string[];
}

/** The plan: every image with its current alt text and file, all ticked; then the cost, asked in a modal. */
async function confirmAltPlan(plan: AltPlan<vscode.Uri>, model: string, settings: Settings, root: vscode.Uri | undefined): Promise<readonly AltTarget<vscode.Uri>[] | undefined> {
  const rel = relativeTo(root);
  type Item = vscode.QuickPickItem & { target?: AltTarget<vscode.Uri> };
  const items: Item[] = plan.targets.map((t) => ({
    label: t.links[0].image.alt.trim() ? vscode.l10n.t('"{0}" describes nothing', t.links[0].image.alt.trim().slice(0, 60)) : vscode.l10n.t('no alt text'),
    description: rel(t.uri),
    detail: t.links.map((l) => `${rel(l.document)}:${l.line}  ${linkText(l.image)}`).join(' · ') + (t.language !== 'English' ? ` · ${t.language}` : ''),
    picked: true,
    target: t,
  }));
  const total = estimateDescribeCost(model, settings.altTextMaxLength, plan.targets.length, settings.prices);
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: vscode.l10n.t('Write Missing Alt Text: {0} images · {1} · {2}', plan.targets.length, model, formatCost(total)),
    placeHolder: vscode.l10n.t('Untick any image you do not want described, then press Enter'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  const chosen = (picked ?? []).map((i) => i.target).filter((t): t is AltTarget<vscode.Uri> => t !== undefined);
  if (!chosen.length) {
    return undefined;
  }
  const go = vscode.l10n.t('Describe');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Describe {0} images with {1} for {2}?', chosen.length, model, formatCost(estimateDescribeCost(model, settings.altTextMaxLength, chosen.length, settings.prices))),
    { modal: true, detail: vscode.l10n.t('Only the alt texts change, as one edit: one undo takes them all back.') },
    go,
  );
  return answer === go ? chosen : undefined;
}

/**
 * Write Missing Alt Text…: every image of the workspace (or a folder, or a file) whose alt text is
 * missing or generic, described with the page's context, written as one edit. `confirmed` is for
 * the extension's API (tests, other extensions), never for a command's arguments.
 */
export async function writeMissingAltText(deps: AltDeps, resource?: vscode.Uri, confirmed = false): Promise<AltRunResult | undefined> {
  const { services } = deps;
  try {
    const root = commandRoot(resource);
    const rel = relativeTo(root);
    const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Illustrate: looking for images without alt text') }, async (_p, token) => {
      const scanned = await scanForMissing(resource, token, (line) => services.log.warn(line), { gif: true });
      return planAltText(scanned, workspaceHost(), imageHead);
    });
    if (!plan.targets.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Every image in {0} has alt text ({1} checked).', plan.documents === 1 ? vscode.l10n.t('1 markdown file') : vscode.l10n.t('{0} markdown files', plan.documents), plan.fine));
      return { planned: 0, written: [], decorative: [], failed: [] };
    }
    const settings = readSettings(plan.targets[0].links[0].document);
    const model = await deps.describer.model(settings, new AbortController().signal);
    const chosen = confirmed ? plan.targets : await confirmAltPlan(plan, model, settings, root);
    if (!chosen) {
      return undefined;
    }
    const { outcome, result } = await withCancellableProgress(vscode.l10n.t('Illustrate: writing alt text'), (signal, progress) => {
      progress.report({ message: `0 / ${chosen.length}` });
      return runAltTargets(deps, plan, chosen, settings, signal, (done, total) => progress.report({ message: `${done} / ${total}`, increment: 100 / total }), rel);
    });
    void reportAlt(result, outcome, plan, rel);
    return result;
  } catch (e: unknown) {
    showFailure(services, e);
    return undefined;
  }
}

/**
 * Describes the targets at Fill's adaptive pace, then writes every description as one
 * WorkspaceEdit: what was described is written even after a Cancel (it was paid for).
 */
export async function runAltTargets(deps: AltDeps, plan: AltPlan<vscode.Uri>, targets: readonly AltTarget<vscode.Uri>[], settings: Settings, signal: AbortSignal, onProgress: (done: number, total: number) => void, rel: (uri: vscode.Uri) => string): Promise<{ outcome: FillOutcome<vscode.Uri, AltMade, AltTarget<vscode.Uri>>; result: AltRunResult }> {
  const host: AltJobHost<vscode.Uri> = {
    describer: deps.describer,
    settings: (target) => readSettings(target.links[0].document),
    read: (target) => readWorkspaceFile(target.uri, MAX_IMAGE_BYTES),
    name: rel,
    key: (uri) => uri.toString(),
    // Every description and every rewritten image in one WorkspaceEdit: one undo takes the run back.
    write: (documents, images) => applyAll(documents, images, plan.texts),
  };
  const { outcome, unwritten } = await runAltJob(host, targets, { concurrency: settings.fillConcurrency, signal, onProgress: (p) => onProgress(p.done, p.total) });
  const made = outcome.made;
  deps.diagnostics.refreshAll(0);
  const result: AltRunResult = {
    planned: targets.length,
    written: made.filter((m) => !m.described.decorative).map((m) => ({ file: rel(m.target.uri), alt: m.described.text, links: m.target.links.length })),
    decorative: made.filter((m) => m.described.decorative).map((m) => rel(m.target.uri)),
    failed: [...outcome.failed.map((f) => `${rel(f.target.uri)}: ${f.message}`), ...unwritten],
  };
  return { outcome, result };
}

/** The run's summary, with its report (every image, its new alt text, what failed and why) a click away. */
async function reportAlt(result: AltRunResult, outcome: FillOutcome<vscode.Uri, object>, plan: AltPlan<vscode.Uri>, rel: (uri: vscode.Uri) => string): Promise<void> {
  const summary = vscode.l10n.t('Alt text written for {0} of {1} images · {2} decorative · {3} failed · ≈ ${4}', result.written.length, result.planned, result.decorative.length, result.failed.length, outcome.cost.toFixed(4));
  const open = vscode.l10n.t('Open Report');
  const show = result.failed.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  if ((await show(summary, open)) !== open) {
    return;
  }
  const lines = [`# ${vscode.l10n.t('Alt text written by Illustrate')}`, '', summary, ''];
  for (const w of result.written) {
    lines.push(`- ${markdownCode(w.file)} — ${markdownText(w.alt)}`);
  }
  for (const d of result.decorative) {
    lines.push(`- ${markdownCode(d)} — ${vscode.l10n.t('decorative')}`);
  }
  for (const f of outcome.failed) {
    lines.push(`- ${markdownCode(rel(f.target.uri))} — ${vscode.l10n.t('failed: {0}', markdownText(f.message))}`);
  }
  for (const s of plan.skipped) {
    lines.push(`- ${markdownCode(rel(s.file))} — ${vscode.l10n.t('skipped: {0}', markdownText(s.reason))}`);
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: lines.join('\n') });
  await vscode.window.showTextDocument(doc, { preview: true });
}
