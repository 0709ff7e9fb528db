/**
 * `illustrate check`: what a docs tree's images need, without spending anything. A missing image,
 * an image Illustrate made whose link's alt text changed since (stale), a link whose alt text
 * cannot describe the picture (generic: `image`, a file name…), one with no alt text at all, and
 * an image whose last review (kept in its record) failed. Each finding says what to run.
 */
import * as l10n from '@vscode/l10n';
import { linkText } from '../docs/docScan';
import { unescapeAlt } from '../docs/markdown';
import { altNeed, genericAlt } from '../docs/altText';
import { fingerprint, ImageMetadata, readProvenance, RecordedReview } from '../images/metadata';
import { Settings } from '../settings';
import { HEAD_CONCURRENCY, mapLimit } from './concurrency';
import { trimEndOf } from '../text';
import { FillHost, FillLink, FillPlan, FillTarget } from './fill';
import { twinIsStale, twinLocation } from './dark';
import { staleTranslationMessage, staleTranslations } from '../variants/staleTranslations';

export type FindingKind = 'missing' | 'stale' | 'staleTranslation' | 'genericAlt' | 'missingAlt' | 'reviewFailed';

/** The groups `illustrate check --only` takes: `alt` is both alt-text findings. */
export const CHECK_GROUPS: Readonly<Record<string, readonly FindingKind[]>> = { missing: ['missing'], stale: ['stale', 'staleTranslation'], alt: ['genericAlt', 'missingAlt'], review: ['reviewFailed'] };

/** The finding kinds a comma-separated list of groups names; undefined when a name is not a group. */
export function checkKinds(list: string): ReadonlySet<FindingKind> | undefined {
  const kinds = new Set<FindingKind>();
  for (const name of list.split(',').map((n) => n.trim().toLowerCase())) {
    const group = Object.prototype.hasOwnProperty.call(CHECK_GROUPS, name) ? CHECK_GROUPS[name] : undefined;
    if (!group) {
      return undefined;
    }
    group.forEach((k) => kinds.add(k));
  }
  return kinds;
}

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
  return readProvenance(head)?.prompt;
}

function normalize(text: string): string {
  return unescapeAlt(text).replace(/\s+/g, ' ').trim();
}

/** The workspace style now: its text, and a fingerprint of each style reference (undefined when they cannot be read). */
export interface CurrentStyle {
  readonly text: string;
  readonly references?: readonly string[];
}

/**
 * The workspace style now, from the settings and a reader of the style reference images (the
 * host's); a reference that cannot be read leaves the references unknown (not compared).
 */
export async function currentStyle(settings: Pick<Settings, 'style' | 'styleReferences'>, load: (paths: readonly string[]) => Promise<readonly { readonly data: Uint8Array }[]>): Promise<CurrentStyle> {
  let references: string[] | undefined;
  try {
    references = settings.styleReferences.length ? (await load(settings.styleReferences)).map((r) => fingerprint(r.data)) : [];
  } catch {
    references = undefined;
  }
  return { text: settings.style, references };
}

/** Why an image Illustrate made no longer matches its docs. */
export type StaleReason = 'alt' | 'style' | 'styleReferences';

/**
 * Whether an image made as `meta` says is stale for a link with alt text `alt`: the alt text is
 * neither the prompt it was made from nor one the writer kept it for; or it was made with the
 * workspace style and the style's text or reference images have changed since.
 */
export function staleReason(meta: ImageMetadata, alt: string, style?: CurrentStyle): StaleReason | undefined {
  const now = normalize(alt);
  if (now && now !== normalize(meta.prompt) && (meta.keptAlt === undefined || now !== normalize(meta.keptAlt))) {
    return 'alt';
  }
  if (style && meta.style !== undefined && meta.style.trim() !== style.text.trim()) {
    return 'style';
  }
  if (style?.references && meta.styleReferences !== undefined && meta.styleReferences.join(',') !== style.references.join(',')) {
    return 'styleReferences';
  }
  return undefined;
}

/** What a stale finding says, by its reason. */
export function staleMessage(reason: StaleReason, prompt: string): string {
  switch (reason) {
    case 'alt':
      return l10n.t('the alt text changed since this image was made from "{0}"', prompt.slice(0, 60));
    case 'style':
      return l10n.t('the workspace style ("illustrate.style") changed since this image was made');
    default:
      return l10n.t('a style reference image ("illustrate.styleReferences") changed since this image was made');
  }
}

/** What a failed review finding says: the reasons the record keeps (already one line each, escaped when they were kept). */
function reviewFailedMessage(review: RecordedReview): string {
  // Each reason as a clause: the message ends the line, and the report adds its own punctuation.
  const reasons = review.problems.slice(0, 3).map((p) => trimEndOf(p.reason.slice(0, 200), /[.\s]/));
  return reasons.length ? l10n.t('its last review failed: {0}', reasons.join('; ')) : l10n.t('its last review failed');
}

/** What Illustrate recorded in each image (undefined for an image it did not make, or one it cannot read). */
function provenanceOf<L>(present: readonly { readonly uri: L }[], head: (file: L) => Promise<Uint8Array | undefined>): Promise<(ImageMetadata | undefined)[]> {
  return mapLimit(present, HEAD_CONCURRENCY, async (p) => {
    const bytes = await head(p.uri).catch(() => undefined);
    return bytes ? readProvenance(bytes) : undefined;
  });
}

/**
 * The findings of a scanned plan: its missing images, then the images that are there but stale or
 * linked with an alt text that describes nothing. `head` reads the first bytes of an image (the
 * metadata is in its header chunks).
 */
export async function checkPlan<L>(plan: FillPlan<L>, host: FillHost<L>, head: (file: L) => Promise<Uint8Array | undefined>, style?: CurrentStyle, twins?: TwinCheck<L>): Promise<Finding<L>[]> {
  const out: Finding<L>[] = [];
  for (const t of plan.targets) {
    for (const l of t.links) {
      out.push({ kind: 'missing', document: l.document, line: l.line, link: linkText(l.image), file: t.uri, message: l10n.t('the image {0} does not exist', host.name(t.uri)), fix: 'illustrate fill' });
    }
  }
  for (const k of plan.skipped) {
    if (k.darkTwin && k.uri !== undefined) {
      out.push({ kind: 'missing', document: k.document, line: k.line ?? 0, link: linkText(k.image), file: k.uri, message: l10n.t('the dark-mode twin {0} does not exist', host.name(k.uri)), fix: 'illustrate variants --dark' });
    } else if (k.uri !== undefined && k.line !== undefined && k.image.alt.trim()) {
      out.push({ kind: 'genericAlt', document: k.document, line: k.line, link: linkText(k.image), file: k.uri, message: l10n.t('the image is missing, and its alt text "{0}" cannot describe it', k.image.alt.trim().slice(0, 60)), fix: l10n.t('describe the picture in the alt text, then illustrate fill') });
    }
  }
  const present = plan.present ?? [];
  const metas = await provenanceOf(present, head);
  for (const [i, p] of present.entries()) {
    const meta = metas[i];
    for (const l of p.links) {
      const alt = l.image.alt.trim();
      const reason = meta && alt && !l.copy ? staleReason(meta, alt, style) : undefined;
      // The same rule as the editor's diagnostic and illustrate alt (an HTML image hidden from readers needs none).
      const need = altNeed(l.image);
      if (need === 'missing') {
        out.push({ kind: 'missingAlt', document: l.document, line: l.line, link: linkText(l.image), file: p.uri, message: l10n.t('the image has no alt text: readers who cannot see it get nothing'), fix: 'illustrate alt' });
      } else if (need) {
        out.push({ kind: 'genericAlt', document: l.document, line: l.line, link: linkText(l.image), file: p.uri, message: l10n.t('the alt text "{0}" cannot describe the picture', alt.slice(0, 60)), fix: l10n.t('describe the picture in the alt text, or run illustrate alt') });
      } else if (meta && reason) {
        out.push({ kind: 'stale', document: l.document, line: l.line, link: linkText(l.image), file: p.uri, message: staleMessage(reason, meta.prompt), fix: 'illustrate fill --stale' });
      }
      // A stale picture is made again anyway; one true to its words whose last review failed needs another look.
      if (meta?.review?.status === 'fail' && !(meta && reason)) {
        out.push({ kind: 'reviewFailed', document: l.document, line: l.line, link: linkText(l.image), file: p.uri, message: reviewFailedMessage(meta.review), fix: l10n.t('make it again, then run illustrate review') });
      }
    }
  }
  // A dark twin or a translated picture whose source changed since (its record's fingerprint): `twins.read` gives a file's whole bytes.
  if (twins) {
    out.push(...(await staleTwinFindings(present, host, head, twins)));
    const read = (file: L): Promise<Uint8Array | undefined> => twins.read(file);
    for (const t of await staleTranslations(present, { head, read, at: (root, p) => host.at(root, p), path: (l) => host.path(l) })) {
      for (const l of t.links) {
        out.push({ kind: 'staleTranslation', document: l.document, line: l.line, link: linkText(l.image), file: t.twin, message: staleTranslationMessage(t, (f) => host.name(f)), fix: t.gone ? l10n.t('restore the picture it translates, or remove this translation') : 'illustrate fill --stale' });
      }
    }
  }
  return out.sort((a, b) => host.key(a.document).localeCompare(host.key(b.document)) || a.line - b.line);
}

/** How `check` finds dark twins: their name's suffix, and a reader of a source's whole bytes (its fingerprint). */
export interface TwinCheck<L> {
  readonly suffix: string;
  read(file: L): Promise<Uint8Array | undefined>;
}

/** A finding on each link of an image whose dark twin was made from other bytes than the image's now. */
async function staleTwinFindings<L>(present: readonly { readonly uri: L; readonly links: readonly FillLink<L>[] }[], host: FillHost<L>, head: (file: L) => Promise<Uint8Array | undefined>, twins: TwinCheck<L>): Promise<Finding<L>[]> {
  const stale = await mapLimit(present, HEAD_CONCURRENCY, async (p) => {
    const twin = twinLocation(host, p.uri, twins.suffix);
    if (twin === undefined || !(await host.exists(twin))) {
      return undefined;
    }
    const bytes = await head(twin).catch(() => undefined);
    const meta = bytes ? readProvenance(bytes) : undefined;
    return meta?.twinOf?.kind === 'dark' && twinIsStale(meta, await twins.read(p.uri).catch(() => undefined)) ? twin : undefined;
  });
  return present.flatMap((p, i) => {
    const twin = stale[i];
    return twin === undefined
      ? []
      : p.links.map((l) => ({ kind: 'stale' as const, document: l.document, line: l.line, link: linkText(l.image), file: twin, message: l10n.t('its dark twin {0} was made from an older version of this image', host.name(twin)), fix: 'illustrate fill --stale' }));
  });
}

/**
 * The stale images Illustrate made, as fill targets: each is made again from the alt text of its
 * original page (not a translation), in place.
 */
export async function staleTargets<L>(plan: FillPlan<L>, head: (file: L) => Promise<Uint8Array | undefined>, style?: CurrentStyle): Promise<FillTarget<L>[]> {
  const out: FillTarget<L>[] = [];
  const present = plan.present ?? [];
  const metas = await provenanceOf(present, head);
  for (const [i, p] of present.entries()) {
    const meta = metas[i];
    if (meta === undefined) {
      continue;
    }
    const original = p.links.find((l) => !l.copy && l.image.alt.trim() && !genericAlt(l.image.alt, l.image.target));
    if (original && staleReason(meta, original.image.alt, style)) {
      out.push({ uri: p.uri, prompt: original.image.alt.trim(), links: p.links });
    }
  }
  return out;
}
