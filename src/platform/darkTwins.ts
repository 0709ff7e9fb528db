/**
 * Dark twins in the editor: core's plan (`planDarkTwins`) over the editor's scan, and core's run
 * (`runDarkJob`) whose one write is one WorkspaceEdit: every twin created (or replaced, when its
 * source changed) and every page's switch, so one undo takes the whole run back.
 */
import * as vscode from 'vscode';
import { MAX_REFERENCE_BYTES } from '../core/api/models';
import { darkLinkEdits, darkRuleFor } from '../core/docs/darkMarkup';
import { MarkdownImage } from '../core/docs/markdown';
import { dialectOf } from '../core/escape';
import { DarkJobHost, DarkJobOutcome, DarkPlan, DarkPlanHost, DarkTarget, planDarkTwins, runDarkJob, twinLocation } from '../core/fill/dark';
import { FillProgress } from '../core/fill/fill';
import { scanForMissing, workspaceHost } from './fill';
import { imageHead } from './imageFiles';
import { isInsideScope, scopeFor, uriExists } from './placement';
import { readSettings } from './settings';
import { LiveSites } from './sites';
import { applyPlanned, FileBytes } from './workspaceChange';
import { readWorkspaceFile } from './workspaceFiles';

/** The host a plan of twins reads through: the scan's, an image's head (its record) and its whole bytes through the one reader. */
function darkPlanHost(): DarkPlanHost<vscode.Uri> {
  return { ...workspaceHost(), head: imageHead, read: (uri) => readWorkspaceFile(uri, MAX_REFERENCE_BYTES) };
}

/**
 * The twins the images under `resource` (a folder, a markdown file; the workspace when none) need,
 * with the page edits that switch to them; `only`: just these images (by URI string).
 */
export async function planDarkIn(resource: vscode.Uri | undefined, token: vscode.CancellationToken, options: { readonly only?: ReadonlySet<string>; readonly warn?: (line: string) => void } = {}): Promise<DarkPlan<vscode.Uri>> {
  const scanned = await scanForMissing(resource, token, options.warn);
  const suffix = readSettings(resource ?? scanned.present?.[0]?.uri).darkSuffix;
  return planDarkTwins(scanned, darkPlanHost(), { suffix, only: options.only });
}

/** What a twin costs to make: its page's settings. */
export function targetSettings(target: DarkTarget<vscode.Uri>): ReturnType<typeof readSettings> {
  return readSettings(target.links[0]?.document ?? target.uri);
}

/**
 * Makes the targets' twins at Fill's pace, then writes them with the page edits as one
 * WorkspaceEdit (a twin there is replaced, so one undo brings it back); a page edited since the
 * plan read it is left as it is and said so.
 */
export function runDarkTargets(generator: DarkJobHost<vscode.Uri>['generator'], plan: DarkPlan<vscode.Uri>, targets: readonly DarkTarget<vscode.Uri>[], signal: AbortSignal, onProgress: (p: FillProgress) => void, rel: (uri: vscode.Uri) => string): Promise<DarkJobOutcome<vscode.Uri>> {
  const host: DarkJobHost<vscode.Uri> = {
    generator,
    settings: targetSettings,
    read: (target) => readWorkspaceFile(target.uri, MAX_REFERENCE_BYTES),
    name: rel,
    path: (uri) => uri.path,
    apply: async (files, edits) => {
      const created: FileBytes[] = [];
      const replaced: FileBytes[] = [];
      for (const f of files) {
        ((await uriExists(f.uri)) ? replaced : created).push(f);
      }
      return applyPlanned(
        edits,
        { created, replaced },
        plan.texts,
        (name) => vscode.l10n.t('{0} changed while the dark twins were made, so its links were left as they are. Run the command again.', name),
        () => vscode.l10n.t('Could not write the dark twins: a page is read-only or was closed, or a twin appeared meanwhile. Open the page again and retry.'),
      );
    },
  };
  return runDarkJob(host, targets, { concurrency: readSettings(targets[0]?.links[0]?.document).fillConcurrency, signal, onProgress });
}

/** Where the twin of the image `file` goes (`NAME<suffix>.EXT` beside it); undefined for one that cannot have a twin. */
export function twinUri(file: vscode.Uri, suffix: string): vscode.Uri | undefined {
  return twinLocation({ path: (u: vscode.Uri) => u.path, at: (u: vscode.Uri, path: string) => u.with({ path, query: '', fragment: '' }) }, file, suffix);
}

/**
 * Whether the link at hand can switch to a dark twin of `file` (the Quick Fix is offered): the file
 * may have one (a PNG, JPEG or WebP not named as a twin), and its page's site has markup for the
 * switch that the link does not have yet.
 */
export async function canSwitchToTwin(document: vscode.TextDocument, image: MarkdownImage, file: vscode.Uri, sites: LiveSites): Promise<boolean> {
  let root: vscode.Uri;
  try {
    root = scopeFor(document.uri).root;
  } catch {
    return false;
  }
  const suffix = readSettings(document.uri).darkSuffix;
  const twin = twinUri(file, suffix);
  if (!twin || !isInsideScope(root, twin)) {
    return false;
  }
  const site = await sites.sites.finder(root).siteFor(document.uri.path, root.path);
  return 'edits' in darkLinkEdits(document.getText(), image, darkRuleFor(site), site, suffix, dialectOf(document.uri.path));
}
