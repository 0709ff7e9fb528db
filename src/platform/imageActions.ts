/** The Quick Fixes on an image link: Regenerate and Keep on a stale image, Write alt text, Edit Image…, Make Background Transparent, Make a dark-mode twin. */
import * as vscode from 'vscode';
import { basename } from '../core/paths';
import { STALE_CODE, ALT_CODE } from './imageDiagnostics';
import { EDITABLE, ImageFiles } from './imageFiles';
import { linkedFile, imageNear } from './imageLinks';
import { imageLinkArgs } from './commandArgs';
import { LiveSites } from './sites';
import { canSwitchToTwin } from './darkTwins';

/** Regenerate and Keep on a stale image; Edit Image… on any image a link shows. */
export class ImageLifecycleCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly files: ImageFiles,
    private readonly sites: LiveSites,
  ) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const missingAlt = context.diagnostics.filter((d) => d.source === 'Illustrate' && d.code === ALT_CODE && d.range.contains(range.start));
    if (missingAlt.length) {
      const write = new vscode.CodeAction(vscode.l10n.t('Write alt text with Illustrate'), vscode.CodeActionKind.QuickFix);
      write.command = { command: 'illustrate.writeAltText', title: write.title, arguments: [imageLinkArgs(document.uri, document.offsetAt(missingAlt[0].range.start))] };
      write.diagnostics = missingAlt;
      write.isPreferred = true;
      return [write];
    }
    const image = imageNear(document, range.start);
    if (!image) {
      return [];
    }
    const file = await linkedFile(document.uri, image, this.sites);
    const read = file && (await this.files.info(file));
    if (!file || !read?.format || !EDITABLE.includes(read.format)) {
      return [];
    }
    const args = imageLinkArgs(document.uri, image.start);
    const actions: vscode.CodeAction[] = [];
    const stale = context.diagnostics.filter((d) => d.source === 'Illustrate' && d.code === STALE_CODE && d.range.contains(range.start));
    if (stale.length && read.meta) {
      const regenerate = new vscode.CodeAction(vscode.l10n.t('Regenerate "{0}" from the new alt text', basename(file.path)), vscode.CodeActionKind.QuickFix);
      regenerate.command = { command: 'illustrate.regenerateImage', title: regenerate.title, arguments: [args] };
      regenerate.diagnostics = stale;
      regenerate.isPreferred = true;
      const keep = new vscode.CodeAction(vscode.l10n.t('Keep this image for the new alt text'), vscode.CodeActionKind.QuickFix);
      keep.command = { command: 'illustrate.keepImage', title: keep.title, arguments: [args] };
      keep.diagnostics = stale;
      actions.push(regenerate, keep);
    }
    const edit = new vscode.CodeAction(vscode.l10n.t('Edit "{0}" with Illustrate…', basename(file.path)), vscode.CodeActionKind.QuickFix);
    edit.command = { command: 'illustrate.editImage', title: edit.title, arguments: [args] };
    actions.push(edit);
    if ((read.format === 'png' || read.format === 'webp') && !read.meta?.transparent) {
      const transparent = new vscode.CodeAction(vscode.l10n.t('Make the background of "{0}" transparent (two image calls)', basename(file.path)), vscode.CodeActionKind.QuickFix);
      transparent.command = { command: 'illustrate.makeTransparent', title: transparent.title, arguments: [args] };
      actions.push(transparent);
    }
    if (await canSwitchToTwin(document, image, file, this.sites)) {
      const dark = new vscode.CodeAction(vscode.l10n.t('Make a dark-mode twin of "{0}"', basename(file.path)), vscode.CodeActionKind.QuickFix);
      dark.command = { command: 'illustrate.makeDarkTwin', title: dark.title, arguments: [args] };
      actions.push(dark);
    }
    return actions;
  }
}
