/** The hover on an image link, built through the one markdown module (platform/markdownString). */
import * as vscode from 'vscode';
import { formatBytes } from '../core/display';
import { formatCost } from '../core/api/pricing';
import { basename } from '../core/paths';
import { EDITABLE, ImageFiles } from './imageFiles';
import { linkedFile, imageNear } from './imageLinks';
import { imageLinkArgs } from './commandArgs';
import { CommandLink, imageHoverMarkdown } from './markdownString';
import { LiveSites } from './sites';

/** The hover on an image link: the picture, its size and weight, how Illustrate made it, and what can be done. */
export class ImageHover implements vscode.HoverProvider {
  constructor(
    private readonly files: ImageFiles,
    private readonly sites: LiveSites,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const image = imageNear(document, position);
    if (!image) {
      return undefined;
    }
    const file = await linkedFile(document.uri, image, this.sites);
    const read = file && (await this.files.info(file));
    if (!file || !read) {
      return undefined;
    }
    const size = read.size ? `${read.size.width} × ${read.size.height} · ` : '';
    const lines = [`${basename(file.path)} · ${size}${formatBytes(read.byteLength)}${read.format ? ` ${read.format.toUpperCase()}` : ''}`];
    const meta = read.meta;
    if (meta) {
      lines.push(vscode.l10n.t('Made by Illustrate from "{0}"', meta.prompt.slice(0, 300)));
      const facts = [meta.model, meta.date ? meta.date.slice(0, 10) : '', meta.cost !== undefined ? formatCost(meta.cost) : ''].filter(Boolean);
      if (meta.edit) {
        facts.push(vscode.l10n.t('edited: "{0}"', meta.edit.instruction.slice(0, 120)));
      }
      lines.push(facts.join(' · '));
      if (meta.review) {
        const reasons = meta.review.problems.map((p) => p.reason).join('; ');
        lines.push(
          meta.review.status === 'pass'
            ? vscode.l10n.t('Review: passed ({0}, {1})', meta.review.model, meta.review.date.slice(0, 10))
            : vscode.l10n.t('Review: failed: {0} ({1}, {2})', reasons.slice(0, 400), meta.review.model, meta.review.date.slice(0, 10)),
        );
      }
    }
    const args = imageLinkArgs(document.uri, image.start);
    const links: CommandLink[] = [];
    if (read.format && EDITABLE.includes(read.format)) {
      if (meta && image.alt.trim()) {
        links.push({ title: vscode.l10n.t('Regenerate'), command: 'illustrate.regenerateImage', args });
      }
      links.push({ title: vscode.l10n.t('Edit…'), command: 'illustrate.editImage', args });
      links.push({ title: vscode.l10n.t('Open in Studio'), command: 'illustrate.openStudio', args: { prompt: meta?.prompt ?? image.alt.trim(), image: file.toString() } });
    }
    const md = imageHoverMarkdown(file, lines, links);
    return new vscode.Hover(md, new vscode.Range(document.positionAt(image.start), document.positionAt(image.end)));
  }
}
