/**
 * The diagnostics on images of every open markdown document: stale (the alt text or the style
 * changed since Illustrate made the picture, core `staleReason`) and no alt text (core `altNeed`).
 */
import * as vscode from 'vscode';
import { isMarkdownDocument } from './markdownDocuments';
import { CurrentStyle, StaleReason, staleReason } from '../core/fill/check';
import { DocImage, scanDocument } from '../core/docs/docScan';
import { altNeed, AltNeed } from '../core/docs/altText';
import { DESCRIBABLE } from '../core/fill/alt';
import { mapLimit } from '../core/fill/concurrency';
import { currentStyle, ImageFiles, MAX_IMAGES } from './imageFiles';
import { linkedFile } from './imageLinks';
import { LiveSites } from './sites';

/** Images a diagnostics pass looks up at once (each a check or two of the disk and a header). */
const PASS_CONCURRENCY = 16;

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
    if (!isMarkdownDocument(document) || document.uri.scheme === 'output') {
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
