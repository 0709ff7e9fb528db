/**
 * The only place a `vscode.MarkdownString` is made (a lint rule holds it here). Outside text goes
 * in as plain text, escaped by core/escape; command links go only to the commands of a fixed list,
 * with arguments this module encodes; HTML only where this module writes it.
 */
import * as vscode from 'vscode';
import { htmlAttribute, markdownCode, markdownText, urlInMarkup } from '../core/escape';

/** The commands a trusted markdown link may run. */
export type LinkCommand = 'illustrate.regenerateImage' | 'illustrate.editImage' | 'illustrate.openStudio';

export interface CommandLink {
  /** Shown as plain text. */
  readonly title: string;
  readonly command: LinkCommand;
  readonly args?: unknown;
}

function commandLink(link: CommandLink): string {
  // encodeURIComponent leaves ( ) ' as they are: a ')' in a prompt would end the link; urlInMarkup encodes them.
  const query = link.args === undefined ? '' : `?${urlInMarkup(encodeURIComponent(JSON.stringify([link.args])))}`;
  return `[${markdownText(link.title)}](command:${link.command}${query})`;
}

/**
 * Markdown that runs nothing and shows no HTML (a tool's confirmation): the code's own template
 * with the outside text in it already escaped through core/escape (`markdownText`, `markdownCode`).
 */
export function inertMarkdown(value: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(value, false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

/** Paragraphs of plain text, each shown as itself. */
export function plainMarkdown(paragraphs: readonly string[]): vscode.MarkdownString {
  return inertMarkdown(paragraphs.map(markdownText).join('\n\n'));
}

/** The hover on an image: the picture, lines of plain text, and command links of the fixed list. */
export function imageHoverMarkdown(image: vscode.Uri, lines: readonly string[], links: readonly CommandLink[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.supportHtml = true;
  md.isTrusted = { enabledCommands: [...new Set(links.map((l) => l.command))] };
  md.appendMarkdown(`<img src="${htmlAttribute(urlInMarkup(image.toString()))}" width="240">\n\n`);
  for (const line of lines) {
    md.appendMarkdown(`${markdownText(line)}\n\n`);
  }
  md.appendMarkdown(links.map(commandLink).join(' · '));
  return md;
}

/** The status bar's tooltip after saving `where` (a path shown as code): one link, to the Studio. */
export function savedTooltip(where: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(vscode.l10n.t('Illustrate saved {0}.', markdownCode(where)), false);
  md.isTrusted = { enabledCommands: ['illustrate.openStudio'] };
  md.appendMarkdown(`\n\n${commandLink({ title: vscode.l10n.t('Open in Studio'), command: 'illustrate.openStudio' })}`);
  return md;
}
