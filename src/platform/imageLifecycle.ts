/**
 * Images that stay true to their docs, in the editor: what an image in a markdown link is (its
 * file, its bytes, how Illustrate made it), the "stale" diagnostic, the Quick Fixes and the hover.
 * The rules are core's (`core/fill/check staleReason`, `core/images/metadata readProvenance`).
 */
import * as vscode from 'vscode';
import { CurrentStyle, currentStyle as styleNow, StaleReason, staleReason } from '../core/fill/check';
import { imageAt, MarkdownImage } from '../core/docs/markdown';
import { DocImage, scanDocument } from '../core/docs/docScan';
import { altNeed, AltNeed } from '../core/docs/altText';
import { DESCRIBABLE } from '../core/fill/alt';
import { mapLimit } from '../core/fill/concurrency';
import { formatBytes } from '../core/display';
import { formatCost } from '../core/api/pricing';
import { ImageFormat, MAX_IMAGE_BYTES, pixelSize, sniffFormat } from '../core/images/imageFormat';
import { ImageMetadata, readProvenance } from '../core/images/metadata';
import { basename, relativePath } from '../core/paths';
import { GenerationOptions } from '../core/api/models';
import { PictureHistory } from './services';
import { isInsideScope, scopeFor } from './placement';
import { fileStat, readHeadBytes, realPathsAvailable } from '../node/realPath';
import { readWorkspaceFile } from './workspaceFiles';
import { imageLinkArgs } from './commandArgs';
import { CommandLink, imageHoverMarkdown } from './markdownString';
import { readSettings } from './settings';
import { LiveSites, resolveTarget } from './sites';
import { loadStyleReferences } from './styleReferences';

/** Larger files are not read for their metadata (a docs image is far smaller). */
/** Images per document the diagnostic looks at. */
const MAX_IMAGES = 1000;
/**
 * Image headers kept (least recently used dropped first): a few open pages of images at the most a
 * pass looks at, so a pass after an edit reads no header again. Each is a few hundred bytes.
 */
const MAX_CACHED = 4 * MAX_IMAGES;
/** Images a diagnostics pass looks up at once (each a check or two of the disk and a header). */
const PASS_CONCURRENCY = 16;
const NEAR_LINES = 50;
const EDITABLE: readonly ImageFormat[] = ['png', 'jpeg', 'webp'];

/** What the diagnostics, the Quick Fixes and the hover need of an image: its header only. */
export interface ImageInfo {
  readonly uri: vscode.Uri;
  readonly byteLength: number;
  readonly format: ImageFormat | undefined;
  readonly size: { readonly width: number; readonly height: number } | undefined;
  readonly meta: ImageMetadata | undefined;
}

/** An image file read whole, for a command that sends or replaces it. */
export interface ImageFile extends ImageInfo {
  readonly bytes: Uint8Array;
}

/**
 * Keeps a picture that is about to be replaced in the workspace (Regenerate, Edit Image, a stale
 * image made again by Fill) in the Image Studio's history, under the prompt it was made from, so
 * the old version can still be seen, saved or inserted.
 */
export async function keepReplaced(history: PictureHistory, old: ImageFile, prompt: string, options: GenerationOptions): Promise<void> {
  if (!old.format) {
    return;
  }
  const root = scopeFor(old.uri).root;
  await history.keepVersion({ prompt: old.meta?.prompt || prompt, bytes: old.bytes, format: old.format, width: old.size?.width ?? 0, height: old.size?.height ?? 0, options, cost: old.meta?.cost, savedAs: relativePath(root.path, old.uri.path) });
}

/**
 * Reads image files: their header (kept until the file changes on disk, by its modification time
 * and size) for what runs often, or the whole file for a command.
 */
export class ImageFiles {
  private readonly cache = new Map<string, { mtime: number; size: number; info: ImageInfo }>();

  private async stat(uri: vscode.Uri): Promise<{ readonly size: number; readonly mtime: number } | undefined> {
    if (realPathsAvailable && uri.scheme === 'file') {
      // On a local disk, straight from it: a pass looks at up to a thousand images.
      const stat = await fileStat(uri.fsPath);
      return stat && stat.size <= MAX_IMAGE_BYTES ? stat : undefined;
    }
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      return stat.type & vscode.FileType.File && stat.size <= MAX_IMAGE_BYTES ? stat : undefined;
    } catch {
      return undefined;
    }
  }

  /** The header's facts (a few hundred KB read on a local disk, whatever the image's size). */
  async info(uri: vscode.Uri): Promise<ImageInfo | undefined> {
    const stat = await this.stat(uri);
    if (!stat) {
      return undefined;
    }
    const key = uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.mtime === stat.mtime && hit.size === stat.size) {
      // The most recently used last: the first entries are the ones to drop.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit.info;
    }
    const head = await imageHead(uri);
    if (!head) {
      return undefined;
    }
    const info: ImageInfo = { uri, byteLength: stat.size, format: sniffFormat(head.subarray(0, 16)), size: pixelSize(head), meta: readProvenance(head) };
    this.cache.delete(key);
    if (this.cache.size >= MAX_CACHED) {
      this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(key, { mtime: stat.mtime, size: stat.size, info });
    return info;
  }

  /**
   * The whole file, for a command that sends, describes or rewrites it: through the one reader
   * (inside a workspace folder, no link out of it; rejects with the message to show).
   */
  async read(uri: vscode.Uri): Promise<ImageFile | undefined> {
    const bytes = await readWorkspaceFile(uri, MAX_IMAGE_BYTES);
    if (!bytes) {
      return undefined;
    }
    return { uri, bytes, byteLength: bytes.length, format: sniffFormat(bytes.subarray(0, 16)), size: pixelSize(bytes), meta: readProvenance(bytes) };
  }

  forget(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
  }
}

const HEAD_BYTES = 256 * 1024;

/**
 * The bytes of an image that hold Illustrate's metadata: the first 256 KB on a local disk (PNG and
 * JPEG keep it in their header), the whole file for a larger WebP (its XMP chunk is at the end) or
 * where only \`workspace.fs\` can read.
 */
export async function imageHead(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  if (realPathsAvailable && uri.scheme === 'file') {
    const head = await readHeadBytes(uri.fsPath, HEAD_BYTES).catch(() => undefined);
    if (!head || head.length < HEAD_BYTES || sniffFormat(head.subarray(0, 16)) !== 'webp') {
      return head;
    }
  }
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    return stat.size <= MAX_IMAGE_BYTES ? await vscode.workspace.fs.readFile(uri) : undefined;
  } catch {
    return undefined;
  }
}

/** The workspace style now, for the document's folder: its text, and the fingerprints of its reference images. */
export function currentStyle(document: vscode.Uri): Promise<CurrentStyle> {
  return styleNow(readSettings(document), loadStyleReferences);
}

/** The lines around `position` (where an image under the cursor must be), their start, and the position in them. */
function around(document: vscode.TextDocument, position: vscode.Position): { text: string; base: number; at: number } {
  const first = Math.max(0, position.line - NEAR_LINES);
  const last = Math.min(document.lineCount - 1, position.line + NEAR_LINES);
  const near = new vscode.Range(first, 0, last, document.lineAt(last).text.length);
  const base = document.offsetAt(near.start);
  return { text: document.getText(near), base, at: document.offsetAt(position) - base };
}

/**
 * The markdown image at a position; only the lines around it are read (a reference-style image's
 * definition is looked up in the whole document, so its target offsets are already the document's).
 */
export function imageNear(document: vscode.TextDocument, position: vscode.Position): MarkdownImage | undefined {
  const { text, base, at } = around(document, position);
  const found = imageAt(text, at, () => document.getText());
  return found && shifted(found, base, found.reference === undefined);
}

/** The image (markdown or HTML `<img>`) at a position, as a scan sees it; only the lines around it are read. */
export function docImageNear(document: vscode.TextDocument, position: vscode.Position): DocImage | undefined {
  const { text, base, at } = around(document, position);
  const found = scanDocument(text, { gif: true }).find((i) => i.start <= at && at <= i.end);
  return found && shifted(found, base, true);
}

/** An image found in part of a document, with its offsets in the whole document (its target's too, when they were the part's). */
function shifted<I extends DocImage>(i: I, base: number, target: boolean): I {
  return {
    ...i,
    start: i.start + base,
    end: i.end + base,
    targetStart: target ? i.targetStart + base : i.targetStart,
    targetEnd: target ? i.targetEnd + base : i.targetEnd,
    altEnd: i.altEnd === undefined ? undefined : i.altEnd + base,
    altValue: i.altValue && { ...i.altValue, start: i.altValue.start + base, end: i.altValue.end + base },
  };
}

/** The workspace file a link in `document` shows, if it is one that exists inside the workspace. */
export async function linkedFile(document: vscode.Uri, image: MarkdownImage & { readonly html?: boolean }, sites: LiveSites): Promise<vscode.Uri | undefined> {
  let root: vscode.Uri;
  try {
    root = scopeFor(document).root;
  } catch {
    return undefined;
  }
  const file = await resolveTarget(document, root, image.target, image.html === true, sites.sites, true);
  return file && isInsideScope(root, file) ? file : undefined;
}

export function staleText(reason: StaleReason): string {
  switch (reason) {
    case 'alt':
      return vscode.l10n.t('The alt text changed since this image was made');
    case 'style':
      return vscode.l10n.t('The workspace style ("illustrate.style") changed since this image was made');
    default:
      return vscode.l10n.t('A style reference image ("illustrate.styleReferences") changed since this image was made');
  }
}

export const STALE_CODE = 'staleImage';
export const ALT_CODE = 'missingAltText';

export function altNeedText(need: AltNeed, alt: string): string {
  return need === 'missing' ? vscode.l10n.t('This image has no alt text for readers who cannot see it') : vscode.l10n.t('The alt text "{0}" does not describe the picture', alt.trim().slice(0, 60));
}

/** The diagnostics on images of every open markdown document (stale, no alt text), kept up to date as it is edited. */
export class ImageDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('illustrate');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[];
  /**
   * The workspace style per folder, read once (its reference images too) until a setting or an
   * image changes: a pass runs at every pause in typing.
   */
  private readonly styles = new Map<string, Promise<CurrentStyle>>();
  /** Each document's latest pass: an older pass that ends later does not overwrite it. */
  private readonly passes = new Map<string, number>();

  constructor(
    private readonly files: ImageFiles,
    private readonly sites: LiveSites,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{png,jpg,jpeg,webp,PNG,JPG,JPEG,WEBP}');
    const imageChanged = (uri: vscode.Uri): void => {
      this.files.forget(uri);
      // A style reference may be the image that changed.
      this.styles.clear();
      this.refreshAll(300);
    };
    this.subscriptions = [
      this.collection,
      watcher,
      watcher.onDidChange(imageChanged),
      watcher.onDidCreate(imageChanged),
      watcher.onDidDelete(imageChanged),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, 400)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('illustrate')) {
          this.styles.clear();
          this.refreshAll(0);
        }
      }),
    ];
    this.refreshAll(0);
  }

  /** Looks at every open markdown document again, after `delayMs`. */
  refreshAll(delayMs: number): void {
    for (const d of vscode.workspace.textDocuments) {
      this.schedule(d, delayMs);
    }
  }

  private schedule(document: vscode.TextDocument, delayMs: number): void {
    if (document.languageId !== 'markdown' || document.uri.scheme === 'output') {
      return;
    }
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.refresh(document).catch(() => undefined);
      }, delayMs),
    );
  }

  /** The diagnostics of one document, now. */
  async refresh(document: vscode.TextDocument): Promise<readonly vscode.Diagnostic[]> {
    const key = document.uri.toString();
    const pass = (this.passes.get(key) ?? 0) + 1;
    this.passes.set(key, pass);
    if (document.isClosed) {
      this.collection.delete(document.uri);
      return [];
    }
    const version = document.version;
    const config = vscode.workspace.getConfiguration('illustrate', document.uri);
    const staleOn = config.get<boolean>('diagnostics.staleImages', true) !== false;
    const altOn = config.get<boolean>('diagnostics.missingAltText', true) !== false;
    // Remote images, code, JSX and data: URIs are skipped by the scan; nothing is ever fetched.
    const images = scanDocument(document.getText(), { gif: true })
      .filter((i) => !i.skip || i.skip === 'emptyAlt')
      .slice(0, MAX_IMAGES);
    const out: vscode.Diagnostic[] = [];
    let style: CurrentStyle | undefined;
    const add = (image: DocImage, message: string, code: string): void => {
      const d = new vscode.Diagnostic(new vscode.Range(document.positionAt(image.start), document.positionAt(image.end)), message, vscode.DiagnosticSeverity.Information);
      d.source = 'Illustrate';
      d.code = code;
      out.push(d);
    };
    const wanted = images.map((image) => ({ image, alt: image.alt.trim(), need: altOn ? altNeed(image) : undefined })).filter((w) => w.need || (staleOn && w.alt));
    // Looked up a few at a time (the disk's latency overlaps), read in the page's order.
    const infos = await mapLimit(wanted, PASS_CONCURRENCY, async ({ image }) => {
      const file = await linkedFile(document.uri, image, this.sites);
      return file && (await this.files.info(file));
    });
    for (const [i, { image, alt, need }] of wanted.entries()) {
      const read = infos[i];
      if (!read) {
        continue;
      }
      if (need) {
        if (read.format && DESCRIBABLE.includes(read.format)) {
          add(image, altNeedText(need, image.alt), ALT_CODE);
        }
        continue;
      }
      if (!read.meta) {
        continue;
      }
      style ??= await this.style(document.uri);
      const reason = staleReason(read.meta, alt, style);
      if (reason) {
        add(image, staleText(reason), STALE_CODE);
      }
    }
    // A newer pass, an edit meanwhile or a closed document: this pass's findings are out of date.
    if (this.passes.get(key) !== pass || document.version !== version || document.isClosed) {
      return out;
    }
    this.collection.set(document.uri, out);
    return out;
  }

  private style(document: vscode.Uri): Promise<CurrentStyle> {
    const key = (vscode.workspace.getWorkspaceFolder(document)?.uri ?? document).toString();
    let style = this.styles.get(key);
    if (!style) {
      style = currentStyle(document);
      this.styles.set(key, style);
    }
    return style;
  }

  dispose(): void {
    for (const t of this.timers.values()) {
      clearTimeout(t);
    }
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

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
    return actions;
  }
}

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
