import * as vscode from 'vscode';
import { showsOnlyInDarkMode } from '../core/docs/darkMarkup';
import { basename } from '../core/paths';
import { unsafeLinkName } from '../core/images/placement';
import { checkRealLocation, isInsideScope, scopeFor, uriExists } from './placement';
import { LiveSites, pageHead, resolveTarget } from './sites';
import { linkedImageNear } from './imageLinks';
import { imageLinkArgs } from './commandArgs';

/** The Quick Fix on a markdown image whose file does not exist yet. */
export class MissingImageCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  /** `sites`: the site models, kept between calls (finding a page's site lists folders up to the root), shared with the other providers. */
  constructor(private readonly sites: LiveSites) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range): Promise<vscode.CodeAction[]> {
    // Only the lines around the cursor are read: this runs on every cursor move.
    const image = linkedImageNear(document, range.start);
    if (!image || !image.alt.trim()) {
      return [];
    }
    let scopeRoot: vscode.Uri;
    try {
      scopeRoot = scopeFor(document.uri).root;
    } catch {
      return [];
    }
    // An imported file is a module path (resolved from the page, as the bundler does); a raw HTML src as the site serves it.
    const file = await resolveTarget(document.uri, scopeRoot, image.target, image.html === true && !image.imported, this.sites.sites, false, pageHead(document));
    if (!file || unsafeLinkName(basename(file.path)) || !isInsideScope(scopeRoot, file) || (await uriExists(file))) {
      return [];
    }
    // A link in the repository must not be a way to write outside it.
    if (!(await checkRealLocation(scopeRoot, file).then(() => true, () => false))) {
      return [];
    }
    // The dark half of a switching pair (`x.dark.png#gh-dark-mode-only`): a twin is made from its light picture, never drawn anew from words.
    if (showsOnlyInDarkMode(image.target)) {
      const light = image.start > 0 ? linkedImageNear(document, document.positionAt(image.start - 1)) : undefined;
      if (light && light.end <= image.start && !showsOnlyInDarkMode(light.target) && !document.getText(new vscode.Range(document.positionAt(light.end), document.positionAt(image.start))).trim()) {
        const twin = new vscode.CodeAction(vscode.l10n.t('Make the dark-mode twin "{0}" from its picture', basename(file.path)), vscode.CodeActionKind.QuickFix);
        twin.command = { command: 'illustrate.makeDarkTwin', title: vscode.l10n.t('Make Dark-Mode Twin of This Image'), arguments: [imageLinkArgs(document.uri, light.start)] };
        return [twin];
      }
    }
    const action = new vscode.CodeAction(vscode.l10n.t('Generate "{0}" from its alt text', basename(file.path)), vscode.CodeActionKind.QuickFix);
    action.command = {
      command: 'illustrate.generateFromAltText',
      title: vscode.l10n.t('Generate Image from Alt Text'),
      arguments: [imageLinkArgs(document.uri, image.start)],
    };
    return [action];
  }
}
