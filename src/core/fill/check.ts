/**
 * `illustrate check`: what a docs tree's images need, without spending anything. A missing image,
 * an image Illustrate made whose link's alt text changed since (stale), and a link whose alt text
 * cannot describe the picture (generic: `image`, a file name…). Each finding says what to run.
 */
import * as l10n from '@vscode/l10n';
import { unescapeAlt } from '../docs/markdown';
import { genericAlt } from '../docs/altText';
import { readMetadata } from '../images/metadata';
import { FillHost, FillPlan, FillTarget } from './fill';

export type FindingKind = 'missing' | 'stale' | 'genericAlt';

export interface Finding<L> {
  readonly kind: FindingKind;
  readonly document: L;
  readonly line: number;
  /** The link as the page has it. */
  readonly link: string;
  readonly file: L;
  readonly message: string;
  /** What to run about it. */
  readonly fix: string;
}

/** The prompt an image was made from, from Illustrate's metadata (PNG, JPEG, WebP); undefined for images from elsewhere. */
export function madeFrom(head: Uint8Array): string | undefined {
  const meta = readMetadata(head);
  if (meta.Description !== undefined && (meta.Software === 'Illustrate' || /model=.*; date=/.test(meta.Comment ?? ''))) {
    return meta.Description;
  }
  const comment = meta.Comment ?? '';
  const jpeg = /^Illustrate: ([\s\S]*?)\nmodel=/.exec(comment);
  return jpeg ? jpeg[1] : undefined;
}

function normalize(text: string): string {
  return unescapeAlt(text).replace(/\s+/g, ' ').trim();
}

/**
 * The findings of a scanned plan: its missing images, then the images that are there but stale or
 * linked with an alt text that describes nothing. `head` reads the first bytes of an image (the
 * metadata is in its header chunks).
 */
export async function checkPlan<L>(plan: FillPlan<L>, host: FillHost<L>, head: (file: L) => Promise<Uint8Array | undefined>): Promise<Finding<L>[]> {
  const out: Finding<L>[] = [];
  const link = (alt: string, target: string): string => `![${alt}](${target})`;
  for (const t of plan.targets) {
    for (const l of t.links) {
      out.push({ kind: 'missing', document: l.document, line: l.line, link: link(l.image.alt, l.image.target), file: t.uri, message: l10n.t('the image {0} does not exist', host.name(t.uri)), fix: 'illustrate fill' });
    }
  }
  for (const k of plan.skipped) {
    if (k.uri !== undefined && k.line !== undefined && k.image.alt.trim()) {
      out.push({ kind: 'genericAlt', document: k.document, line: k.line, link: link(k.image.alt, k.image.target), file: k.uri, message: l10n.t('the image is missing, and its alt text "{0}" cannot describe it', k.image.alt.trim().slice(0, 60)), fix: l10n.t('describe the picture in the alt text, then illustrate fill') });
    }
  }
  for (const p of plan.present ?? []) {
    const bytes = await head(p.uri).catch(() => undefined);
    const prompt = bytes ? madeFrom(bytes) : undefined;
    for (const l of p.links) {
      const alt = l.image.alt.trim();
      if (alt && genericAlt(alt, l.image.target)) {
        out.push({ kind: 'genericAlt', document: l.document, line: l.line, link: link(l.image.alt, l.image.target), file: p.uri, message: l10n.t('the alt text "{0}" cannot describe the picture', alt.slice(0, 60)), fix: l10n.t('describe the picture in the alt text') });
      } else if (prompt !== undefined && alt && !l.copy && normalize(alt) !== normalize(prompt)) {
        out.push({ kind: 'stale', document: l.document, line: l.line, link: link(l.image.alt, l.image.target), file: p.uri, message: l10n.t('the alt text changed since this image was made from "{0}"', prompt.slice(0, 60)), fix: l10n.t('remove {0} and run illustrate fill to make it again (or restore the alt text)', host.name(p.uri)) });
      }
    }
  }
  return out.sort((a, b) => host.key(a.document).localeCompare(host.key(b.document)) || a.line - b.line);
}

/**
 * The images Illustrate made whose alt text changed since, as fill targets: each is made again
 * from the alt text of its original page (not a translation), in place.
 */
export async function staleTargets<L>(plan: FillPlan<L>, head: (file: L) => Promise<Uint8Array | undefined>): Promise<FillTarget<L>[]> {
  const out: FillTarget<L>[] = [];
  for (const p of plan.present ?? []) {
    const bytes = await head(p.uri).catch(() => undefined);
    const prompt = bytes ? madeFrom(bytes) : undefined;
    if (prompt === undefined) {
      continue;
    }
    const original = p.links.find((l) => !l.copy && l.image.alt.trim() && !genericAlt(l.image.alt, l.image.target));
    if (original && normalize(original.image.alt) !== normalize(prompt)) {
      out.push({ uri: p.uri, prompt: original.image.alt.trim(), links: p.links });
    }
  }
  return out;
}
