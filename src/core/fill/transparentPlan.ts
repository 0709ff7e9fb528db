/**
 * Which pictures can be made transparent, for every host (the command line, the MCP server, the
 * editor's Make Backgrounds Transparent…): each image once, what is left out and why (no such
 * file, too large, not an image, already transparent, a JPEG or another format that holds no
 * alpha), and the prompt each keeps in its record (the one it was made from, else the alt text a
 * page gives it, else its name). The hosts decide only what a left-out JPEG means to them.
 */
import * as l10n from '@vscode/l10n';
import { MAX_REFERENCE_BYTES } from '../api/models';
import { referenceFormat } from '../images/imageFormat';
import { readProvenance } from '../images/metadata';
import { Settings } from '../settings';
import { failureMessage, FillLink } from './fill';
import { TransparentTarget } from './jobs';

/** Why an image is left out: the host may turn `jpeg` and `format` into an error (the command line, where `-o` can name another file). */
export type TransparentSkipKind = 'missing' | 'large' | 'unreadable' | 'transparent' | 'jpeg' | 'format';

export interface TransparentSkip<L> {
  readonly file: L;
  readonly kind: TransparentSkipKind;
  readonly reason: string;
}

export interface TransparentPlan<L> {
  readonly targets: readonly TransparentTarget<L>[];
  readonly skipped: readonly TransparentSkip<L>[];
}

/** What the plan reads through. */
export interface TransparentPlanHost<L> {
  /** The file's size in bytes; undefined when there is no such file. */
  size(file: L): Promise<number | undefined>;
  /**
   * The file's bytes, or its head (enough for its format and its record), through the host's
   * reader (inside the project, no link out); undefined when it cannot be read, a throw with a
   * message when it refuses. The run reads the whole file again through the one reader.
   */
  read(file: L): Promise<Uint8Array | undefined>;
  path(file: L): string;
  key(file: L): string;
  /** The file's name in a message and, with no prompt or alt text, in its record. */
  name(file: L): string;
  settings(file: L): Settings;
  /** The alt text a page gives the image; asked only when its record has no prompt. */
  alt(file: L): Promise<string | undefined>;
}

/** The alt text an image's links give it: an original page's first, else a copy's. */
export function altOfLinks<L>(links: readonly FillLink<L>[]): string | undefined {
  return (links.find((l) => !l.copy && l.image.alt.trim()) ?? links.find((l) => l.image.alt.trim()))?.image.alt.trim() || undefined;
}

/** The images `files` names and those `linked` (a scan's present images), each once in that order, and the alt text each one's links give it. */
export function imagesAndAlts<L>(files: readonly L[], linked: readonly { readonly uri: L; readonly links: readonly FillLink<L>[] }[], key: (file: L) => string): { readonly images: L[]; readonly alts: Map<string, string> } {
  const seen = new Set<string>();
  const images: L[] = [];
  for (const file of [...files, ...linked.map((p) => p.uri)]) {
    if (!seen.has(key(file))) {
      seen.add(key(file));
      images.push(file);
    }
  }
  const alts = new Map<string, string>();
  for (const p of linked) {
    const alt = altOfLinks(p.links);
    if (alt) {
      alts.set(key(p.uri), alt);
    }
  }
  return { images, alts };
}

function extensionOf(path: string): string | undefined {
  return /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
}

/**
 * Each image once, in order: made transparent over itself (or, with `out`, into that file) in the
 * format its name says, or left out with its reason. The rules, in order: no such file; larger
 * than the API takes; not a PNG, JPEG or WebP image (or refused by the reader); already
 * transparent (its record says so); written as a JPEG (no alpha); written as anything but PNG or WebP.
 */
export async function planTransparentImages<L>(host: TransparentPlanHost<L>, images: readonly L[], out?: L): Promise<TransparentPlan<L>> {
  const targets: TransparentTarget<L>[] = [];
  const skipped: TransparentSkip<L>[] = [];
  const seen = new Set<string>();
  const skip = (file: L, kind: TransparentSkipKind, reason: string): void => {
    skipped.push({ file, kind, reason });
  };
  for (const file of images) {
    if (seen.has(host.key(file))) {
      continue;
    }
    seen.add(host.key(file));
    const size = await host.size(file);
    if (size === undefined) {
      skip(file, 'missing', l10n.t('no such file'));
      continue;
    }
    if (size > MAX_REFERENCE_BYTES) {
      skip(file, 'large', l10n.t('{0} MB; the API takes at most {1} MB per image', (size / 1048576).toFixed(1), MAX_REFERENCE_BYTES / 1048576));
      continue;
    }
    const bytes = await host.read(file).catch((e: unknown) => failureMessage(e));
    const format = bytes instanceof Uint8Array ? referenceFormat(bytes) : undefined;
    if (!(bytes instanceof Uint8Array) || !format) {
      skip(file, 'unreadable', typeof bytes === 'string' ? bytes : l10n.t('not a PNG, JPEG or WebP image'));
      continue;
    }
    const meta = readProvenance(bytes);
    if (meta?.transparent) {
      skip(file, 'transparent', l10n.t('already transparent (Illustrate made it so)'));
      continue;
    }
    const target = out ?? file;
    const ext = extensionOf(host.path(target));
    if (ext === 'jpg' || ext === 'jpeg') {
      skip(file, 'jpeg', l10n.t('a JPEG holds no transparent background: save it as a .png or .webp file and link that'));
      continue;
    }
    if (ext !== 'png' && ext !== 'webp') {
      skip(file, 'format', l10n.t('not a .png or .webp file: a transparent picture is written as one of them'));
      continue;
    }
    const settings = host.settings(file);
    const prompt = meta?.prompt ?? (await host.alt(file)) ?? host.name(file);
    targets.push({ uri: file, prompt, links: [], out: target, output: { format: ext, quality: settings.output.quality, maxWidth: settings.output.maxWidth } });
  }
  return { targets, skipped };
}
