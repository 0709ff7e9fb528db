/**
 * Make Backgrounds Transparent…: every picture under a folder (the workspace; a markdown file: the
 * images it links) made transparent, as Make Background Transparent does one. The plan is core's
 * (`planTransparentImages`, the command line's too): the image files under the folder and the
 * images its pages link, each once, what is left out and why. The plan and its cost are shown and
 * asked about; the pictures are made at Fill's pace (`runTransparentJob`) with Cancel, and every
 * one made is written at the end as one WorkspaceEdit; the notification's Undo puts all the old
 * pictures back as one change (VS Code's own Undo does not reach a change of files alone).
 */
import * as vscode from 'vscode';
import { MAX_REFERENCE_BYTES } from '../core/api/models';
import { bytesEqual } from '../core/bytes';
import { formatCost } from '../core/api/pricing';
import { failureMessage, FillProgress } from '../core/fill/fill';
import { runTransparentJob, transparentJobEstimate, TransparentJobHost, TransparentTarget } from '../core/fill/jobs';
import { imagesAndAlts, planTransparentImages, TransparentPlan } from '../core/fill/transparentPlan';
import { basename } from '../core/paths';
import { optionsFromSettings } from '../core/settings';
import { withCancellableProgress } from '../platform/cancellation';
import { showFailure } from '../platform/feedback';
import { filesInScope, scanForMissing } from '../platform/fill';
import { ImageFile, imageHead, keepReplaced } from '../platform/imageFiles';
import { readSettings } from '../platform/settings';
import { applyChange, FileBytes } from '../platform/workspaceChange';
import { commandRoot, readWorkspaceFile, relativeTo } from '../platform/workspaceFiles';
import { LifecycleDeps } from './imageLifecycle';

/** The image files a folder's listing offers (the plan says what is left out of them and why). */
const IMAGE_FILES = '**/*.{png,PNG,webp,WEBP,jpg,JPG,jpeg,JPEG}';

export interface TransparentRunResult {
  readonly planned: number;
  /** The pictures replaced, relative to the workspace folder. */
  readonly made: readonly string[];
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
  /** One message each: a pair that did not line up, a file changed meanwhile, a run stopped. */
  readonly failed: readonly string[];
  readonly cost: number;
  readonly summary: string;
}

type Plan = TransparentPlan<vscode.Uri>;
type Target = TransparentTarget<vscode.Uri>;



async function isFile(uri: vscode.Uri): Promise<boolean> {
  return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.File) !== 0;
}

async function sizeOf(uri: vscode.Uri): Promise<number | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    return stat.type & vscode.FileType.File ? stat.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The plan under `resource`: the image files under the folder (none for a markdown file) and the
 * images its pages link that are there, each once, by core's rules.
 */
export async function planTransparentIn(resource: vscode.Uri | undefined, token: vscode.CancellationToken, warn: (line: string) => void = () => undefined): Promise<Plan> {
  const scanned = await scanForMissing(resource, token, warn);
  const files = resource && (await isFile(resource)) ? [] : await filesInScope(resource, token, warn, IMAGE_FILES);
  const { images, alts } = imagesAndAlts(
    [...files].sort((a, b) => a.path.localeCompare(b.path)),
    scanned.present ?? [],
    (u) => u.toString(),
  );
  return planTransparentImages<vscode.Uri>(
    {
      size: sizeOf,
      // Its head only (the format and the record): a workspace may hold thousands of pictures, each read whole by the run.
      read: imageHead,
      path: (uri) => uri.path,
      key: (uri) => uri.toString(),
      name: (uri) => basename(uri.path),
      settings: (uri) => readSettings(uri),
      alt: (uri) => Promise.resolve(alts.get(uri.toString())),
    },
    images,
  );
}

/** The plan's price: two image calls a picture, each at its own settings. */
export function transparentCost(targets: readonly Target[]): number | undefined {
  return transparentJobEstimate(targets, (t) => readSettings(t.uri));
}

/** "1 background" or "3 backgrounds", in the user's language. */
function backgrounds(n: number): string {
  return n === 1 ? vscode.l10n.t('1 background') : vscode.l10n.t('{0} backgrounds', n);
}

/** The plan (every picture ticked, the left-out ones and why below), then the count and cost in a modal. */
async function confirmPlan(plan: Plan, rel: (uri: vscode.Uri) => string): Promise<readonly Target[] | undefined> {
  type Item = vscode.QuickPickItem & { target?: Target };
  const model = readSettings(plan.targets[0]?.uri).model;
  const items: Item[] = plan.targets.map((t) => ({
    label: rel(t.uri),
    description: vscode.l10n.t('replaced by a {0} with alpha · two image calls', t.output.format.toUpperCase()),
    detail: t.prompt,
    picked: true,
    target: t,
  }));
  if (plan.skipped.length) {
    items.push({ label: vscode.l10n.t('Left out ({0})', plan.skipped.length), kind: vscode.QuickPickItemKind.Separator });
    items.push(...plan.skipped.map((s) => ({ label: `$(circle-slash) ${rel(s.file)}`, detail: s.reason, picked: false })));
  }
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: vscode.l10n.t('Make Backgrounds Transparent: {0} to make · {1} · {2} · {3} left out', plan.targets.length, model, formatCost(transparentCost(plan.targets)), plan.skipped.length),
    placeHolder: vscode.l10n.t('Untick any picture whose background should stay, then press Enter'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  const chosen = (picked ?? []).map((i) => i.target).filter((t): t is Target => t !== undefined);
  if (!chosen.length) {
    return undefined;
  }
  const go = vscode.l10n.t('Make Transparent');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Make {0} transparent with {1} for {2}?', backgrounds(chosen.length), model, formatCost(transparentCost(chosen))),
    {
      modal: true,
      detail: [
        vscode.l10n.t('Each picture is two image calls: it is put on pure white, then that render on pure black, and the background taken away from the difference. Each is replaced in place in its own format; the pages are not changed. All are one edit: one undo brings the old pictures back.'),
        plan.skipped.length ? vscode.l10n.t('{0} pictures are left out (the list shows why).', plan.skipped.length) : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    },
    go,
  );
  return answer === go ? chosen : undefined;
}

/** What a run made, kept until the one write at the end. */
interface Pending {
  readonly target: Target;
  readonly bytes: Uint8Array;
  readonly format: string;
}

/**
 * Makes the chosen pictures at Fill's pace under a progress notification with Cancel, then writes
 * every one made as one WorkspaceEdit (a file changed since it was read is left as it is and said
 * so), and keeps the old pictures in the Studio's history.
 */
async function runChosen(deps: LifecycleDeps, chosen: readonly Target[], rel: (uri: vscode.Uri) => string): Promise<{ made: vscode.Uri[]; failed: string[]; cost: number }> {
  const olds = new Map<string, ImageFile>();
  const pending: Pending[] = [];
  const host: TransparentJobHost<vscode.Uri, vscode.Uri> = {
    generator: deps.services.generator,
    settings: (t) => readSettings(t.uri),
    read: async (t) => {
      const old = await deps.files.read(t.uri);
      if (old) {
        olds.set(t.uri.toString(), old);
      }
      return old?.bytes;
    },
    name: rel,
    write: (target, image) => {
      pending.push({ target, bytes: image.bytes, format: image.format });
      return Promise.resolve(target.uri);
    },
  };
  const outcome = await withCancellableProgress(vscode.l10n.t('Illustrate: making backgrounds transparent (two image calls each)'), (signal, progress) => {
    progress.report({ message: `0 / ${chosen.length}` });
    const onProgress = (p: FillProgress): void => progress.report({ message: `${p.done} / ${p.total}`, increment: 100 / Math.max(1, p.total) });
    return runTransparentJob(host, chosen, { concurrency: readSettings(chosen[0]?.uri).fillConcurrency, signal, onProgress });
  });
  const failed = outcome.failed.map((f) => `${rel(f.target.uri)}: ${f.message}`);
  const replaced: FileBytes[] = [];
  const written: { target: Target; old: ImageFile; bytes: Uint8Array }[] = [];
  for (const p of pending) {
    const old = olds.get(p.target.uri.toString());
    const now = await readWorkspaceFile(p.target.uri, MAX_REFERENCE_BYTES).catch(() => undefined);
    if (!old || !now || !bytesEqual(now, old.bytes)) {
      failed.push(vscode.l10n.t('{0} changed while the backgrounds were made, so it was left as it is. Run the command again.', rel(p.target.uri)));
    } else if (p.format !== old.format) {
      failed.push(vscode.l10n.t('Illustrate could not write {0} as {1} here, so the picture was left as it was. Try again in VS Code on the desktop, or link a .png file.', rel(p.target.uri), String(old.format).toUpperCase()));
    } else {
      replaced.push({ uri: p.target.uri, bytes: p.bytes });
      written.push({ target: p.target, old, bytes: p.bytes });
    }
  }
  if (outcome.stopped) {
    failed.push(outcome.stopped);
  }
  if (replaced.length) {
    try {
      await applyChange({ replaced }, () => vscode.l10n.t('Could not write the transparent pictures: a file is read-only or changed meanwhile. Check the files and run the command again.'));
    } catch (e: unknown) {
      return { made: [], failed: [...failed, failureMessage(e)], cost: outcome.cost };
    }
  }
  if (written.length) {
    // The notification's Undo (`illustrate.undoImageReplace`) puts every old picture back, as one change.
    deps.last = written.map((w) => ({ old: w.old, made: w.bytes }));
  }
  for (const { target, old } of written) {
    deps.files.forget(target.uri);
    await keepReplaced(deps.store, old, target.prompt, { ...optionsFromSettings(readSettings(target.uri)), aspectRatio: '' }).catch(() => undefined);
  }
  return { made: written.map((w) => w.target.uri), failed, cost: outcome.cost };
}

/**
 * Make Backgrounds Transparent…: the pictures under `resource` (a folder; a markdown file: the
 * images it links; the workspace when none), after the plan and the cost are shown and accepted.
 * `confirmed` is for the extension's API (tests, other extensions), never for a command's arguments.
 */
export async function makeTransparentAll(deps: LifecycleDeps, resource?: vscode.Uri, confirmed = false): Promise<TransparentRunResult | undefined> {
  const { services } = deps;
  try {
    const rel = relativeTo(commandRoot(resource));
    const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Illustrate: looking for pictures to make transparent') }, (_p, token) =>
      planTransparentIn(resource, token, (line) => services.log.warn(line)),
    );
    const skipped = plan.skipped.map((s) => ({ file: rel(s.file), reason: s.reason }));
    if (!plan.targets.length) {
      const summary = vscode.l10n.t('No picture to make transparent: {0} left out.', skipped.length);
      void vscode.window.showInformationMessage([summary, ...skipped.slice(0, 3).map((s) => `${s.file}: ${s.reason}`)].join(' · '));
      return { planned: 0, made: [], skipped, failed: [], cost: 0, summary };
    }
    const chosen = confirmed ? plan.targets : await confirmPlan(plan, rel);
    if (!chosen) {
      return undefined;
    }
    const ran = await runChosen(deps, chosen, rel);
    deps.diagnostics.refreshAll(0);
    const summary = vscode.l10n.t('Made {0} of {1} backgrounds transparent · {2} failed · {3} left out · ≈ ${4}', ran.made.length, chosen.length, ran.failed.length, skipped.length, ran.cost.toFixed(3));
    const result: TransparentRunResult = { planned: chosen.length, made: ran.made.map(rel), skipped, failed: ran.failed, cost: ran.cost, summary };
    const note = ran.made.length ? vscode.l10n.t('Undo puts every old picture back; they are also in the Image Studio\'s history.') : '';
    const show = ran.failed.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const undo = vscode.l10n.t('Undo');
    void show([summary, ...ran.failed.slice(0, 3), note].filter(Boolean).join(' · '), ...(ran.made.length ? [undo] : [])).then((choice) => (choice === undo ? vscode.commands.executeCommand('illustrate.undoImageReplace') : undefined));
    return result;
  } catch (e: unknown) {
    showFailure(services, e);
    return undefined;
  }
}
