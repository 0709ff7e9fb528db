/**
 * Alt text for the images a docs tree already has: which links need one (no alt text, or one that
 * describes nothing), grouped so each picture is described once per language, and the exact edits
 * that write the descriptions. The same plan / run / report shape as Fill.
 */
import { dialectOf } from '../escape';
import * as l10n from '@vscode/l10n';
import { AltNeed, altEdit, altNeed, TextEdit } from '../docs/altText';
import { documentLanguage, ImageContext, imageContext } from '../api/describe';
import { ImageFormat, sniffFormat } from '../images/imageFormat';
import { ImageMetadata, readProvenance } from '../images/metadata';
import { HEAD_CONCURRENCY, mapLimit } from './concurrency';
import { FillHost, FillLink, FillPlan, FillTarget } from './fill';

/** Formats whose alt text Illustrate writes (GIF is sent as its first frame). */
export const DESCRIBABLE: readonly ImageFormat[] = ['png', 'jpeg', 'webp', 'gif'];

export interface AltLink<L> extends FillLink<L> {
  readonly need: AltNeed;
}

/** One description to ask for: a picture, in one language, for every link to it in pages of that language. */
export interface AltTarget<L> extends FillTarget<L> {
  readonly links: readonly AltLink<L>[];
  readonly format: ImageFormat;
  readonly language: string;
  /** The first link's page around the image. */
  readonly context: ImageContext;
  /** How Illustrate made it, when it did: the description is kept there too. */
  readonly meta?: ImageMetadata;
}

export interface AltSkip<L> {
  readonly link: AltLink<L>;
  readonly file: L;
  readonly reason: string;
}

export interface AltPlan<L> {
  readonly targets: readonly AltTarget<L>[];
  readonly skipped: readonly AltSkip<L>[];
  readonly documents: number;
  /** Links whose alt text is fine. */
  readonly fine: number;
  /** The text of each document with a target, as the plan read it (by `host.key`): the edits' offsets are in it. */
  readonly texts: ReadonlyMap<string, string>;
}

/**
 * The alt text a scanned tree needs: every link to an existing PNG, JPEG, WebP or GIF whose alt
 * text is missing or generic (remote images are never in a scan's `present`). `head` reads an
 * image's first bytes; `text` a document's text (already read by the scan: cached by the host).
 */
export async function planAltText<L>(plan: FillPlan<L>, host: FillHost<L>, head: (file: L) => Promise<Uint8Array | undefined>): Promise<AltPlan<L>> {
  const targets: AltTarget<L>[] = [];
  const skipped: AltSkip<L>[] = [];
  let fine = 0;
  const texts = new Map<string, Promise<string>>();
  const textOf = (document: L): Promise<string> => {
    let t = texts.get(host.key(document));
    if (!t) {
      t = host.text(document).catch(() => '');
      texts.set(host.key(document), t);
    }
    return t;
  };
  const present = plan.present ?? [];
  const needs = present.map((p) => {
    const needing: AltLink<L>[] = [];
    for (const l of p.links) {
      const need = altNeed(l.image);
      if (need) {
        needing.push({ ...l, need });
      } else {
        fine++;
      }
    }
    return needing;
  });
  // The headers of the images that need alt text, a few at a time; only their format and record are kept.
  const heads = await mapLimit(present, HEAD_CONCURRENCY, async (p, i) => {
    const bytes = needs[i].length ? await head(p.uri).catch(() => undefined) : undefined;
    return bytes && { format: sniffFormat(bytes.subarray(0, 16)), meta: readProvenance(bytes) };
  });
  for (const [i, p] of present.entries()) {
    const needing = needs[i];
    if (!needing.length) {
      continue;
    }
    const format = heads[i]?.format;
    if (!format || !DESCRIBABLE.includes(format)) {
      for (const link of needing) {
        skipped.push({ link, file: p.uri, reason: l10n.t('not a PNG, JPEG, WebP or GIF image') });
      }
      continue;
    }
    const meta = heads[i]?.meta;
    // One description per language: a translated page gets its own.
    const byLanguage = new Map<string, AltLink<L>[]>();
    for (const link of needing) {
      const language = documentLanguage(await textOf(link.document), host.path(link.document));
      byLanguage.set(language, [...(byLanguage.get(language) ?? []), link]);
    }
    for (const [language, links] of byLanguage) {
      const first = links.find((l) => !l.copy) ?? links[0];
      const context = imageContext(await textOf(first.document), first.image.start);
      targets.push({ uri: p.uri, prompt: '', links, format, language, context, meta });
    }
  }
  const read = new Map<string, string>();
  for (const t of targets) {
    for (const l of t.links) {
      read.set(host.key(l.document), await textOf(l.document));
    }
  }
  return { targets, skipped, documents: plan.documents, fine, texts: read };
}

/** A description for one target, as the run made it. */
export interface Described {
  readonly text: string;
  readonly decorative: boolean;
}

/**
 * The text edits of a run, per document: each link gets the description (or `alt=""` for a
 * decorative HTML image); a decorative markdown image has no marker and keeps its empty alt.
 */
export function altTextEdits<L>(made: readonly { readonly target: AltTarget<L>; readonly described: Described }[], key: (location: L) => string): Map<string, { document: L; edits: TextEdit[] }> {
  const out = new Map<string, { document: L; edits: TextEdit[] }>();
  for (const { target, described } of made) {
    for (const link of target.links) {
      const k = key(link.document);
      const edit = altEdit(link.image, described.text, described.decorative, dialectOf(k));
      if (!edit) {
        continue;
      }
      const entry = out.get(k) ?? { document: link.document, edits: [] };
      entry.edits.push(edit);
      out.set(k, entry);
    }
  }
  return out;
}

