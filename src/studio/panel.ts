/**
 * The Image Studio panel: its life (one panel, opened beside the editor, revived after a reload)
 * and the dispatch of the webview's messages to the runs, the references and the image actions.
 */
import { randomBytes, toBase64 } from '../core/bytes';
import * as vscode from 'vscode';
import { describeForLog, formatError } from '../core/errors';
import { KNOWN_MODELS } from '../core/api/models';
import { basename } from '../core/paths';
import { DEFAULT_PRICES } from '../core/api/pricing';
import { optionsFromSettings } from '../core/settings';
import { MarkdownEditorTracker } from '../platform/markdownEditors';
import { Services } from '../platform/services';
import { readSettings } from '../platform/settings';
import { imageAction } from './actions';
import { ExtensionMessage, parseWebviewMessage, WebviewMessage } from './protocol';
import { References } from './references';
import { StudioRuns } from './runs';
import { StudioStore } from './store';
import { findStudioTab, keepStudioOpen, showStudioTab, VIEW_TYPE } from './tabs';
import { entryView, referenceView, savedWeight, ToSrc } from './views';

const REVIVE_TIMEOUT_MS = 5000;

/** Told of every message the panel posts and every one it ignores: the log in the extension, a recorder in tests. */
export interface StudioSink {
  posted(message: ExtensionMessage): void;
  ignored(type: string): void;
}

export interface StudioDeps {
  readonly services: Services;
  readonly store: StudioStore;
  readonly tracker: MarkdownEditorTracker;
  readonly sink: StudioSink;
}

export class StudioPanel implements vscode.Disposable {
  private static current: StudioPanel | undefined;
  /** Resolves the next time VS Code revives a Studio (its serializer ran). */
  private static revived: ((panel: StudioPanel) => void) | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly references: References;
  private readonly runs: StudioRuns;
  private disposed = false;

  /**
   * The one Studio: the live panel revealed where it is; else a Studio tab restored after a reload
   * but not shown yet (VS Code revives a webview only when its tab is shown) brought to life in
   * its own group; else a new panel beside the editor.
   */
  static async show(deps: StudioDeps, prompt: string): Promise<StudioPanel> {
    if (StudioPanel.current) {
      StudioPanel.current.panel.reveal();
      return StudioPanel.current;
    }
    const restored = await StudioPanel.reviveTab();
    if (restored instanceof StudioPanel) {
      return restored;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, vscode.l10n.t('Image Studio'), { viewColumn: restored ?? vscode.ViewColumn.Beside, preserveFocus: false }, {});
    const studio = new StudioPanel(panel, deps, prompt);
    await studio.paint();
    keepStudioOpen();
    return studio;
  }

  /** Called by the serializer after a reload, with the panel VS Code restored. */
  static async revive(panel: vscode.WebviewPanel, deps: StudioDeps): Promise<StudioPanel> {
    const studio = new StudioPanel(panel, deps, '');
    await studio.paint();
    StudioPanel.revived?.(studio);
    return studio;
  }

  /** The open Studio, if any. */
  static get open(): StudioPanel | undefined {
    return StudioPanel.current;
  }

  private static async reviveTab(): Promise<StudioPanel | vscode.ViewColumn | undefined> {
    const found = findStudioTab();
    if (!found) {
      return undefined;
    }
    const revived = new Promise<StudioPanel | undefined>((resolve) => {
      StudioPanel.revived = resolve;
      setTimeout(() => resolve(undefined), REVIVE_TIMEOUT_MS);
    });
    await showStudioTab(found.group);
    const panel = await revived;
    StudioPanel.revived = undefined;
    if (panel) {
      return panel; // shown already, where it was
    }
    // Could not be shown in time (a group beyond the eighth, or VS Code was slow to revive it):
    // replace it there. VS Code may have revived it meanwhile, replacing the tab object found
    // before, so the tab is looked up again and a revived Studio is used as it is.
    const still = findStudioTab();
    if (still && !StudioPanel.current) {
      try {
        await vscode.window.tabGroups.close(still.tab);
      } catch {
        // Closed or replaced meanwhile: nothing left to close.
      }
    }
    return StudioPanel.current ?? (still ?? found).group.viewColumn;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: StudioDeps,
    private readonly initialPrompt: string,
  ) {
    StudioPanel.current = this;
    const { extensionUri } = deps.services;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'studio.svg');
    panel.webview.options = {
      enableScripts: true,
      // The bundle, its stylesheet, and the Studio's own storage (its images and reference copies).
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), deps.store.dir],
    };
    this.references = new References(deps.store);
    this.runs = new StudioRuns({
      services: deps.services,
      store: deps.store,
      references: this.references,
      post: (m) => this.post(m),
      src: this.src,
      document: async () => deps.tracker.document,
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      deps.store.onDidChange(() => void this.postHistory()),
    );
  }

  /** Sets the page with everything the first paint needs in it: no round trip before the composer and history show. */
  private async paint(): Promise<void> {
    const init = await this.initMessage();
    if (!this.disposed) {
      this.panel.webview.html = this.html(init);
    }
  }

  private html(init: ExtensionMessage): string {
    const webview = this.panel.webview;
    const { extensionUri } = this.deps.services;
    const nonce = toBase64(randomBytes(18));
    const asset = (...path: string[]): vscode.Uri => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path));
    const csp = [`default-src 'none'`, `img-src ${webview.cspSource}`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('media', 'studio.css')}">
<title>Image Studio</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
<script type="application/json" id="illustrate-l10n">${JSON.stringify(vscode.l10n.bundle ?? {}).replace(/</g, '\\u003c')}</script>
<script type="application/json" id="illustrate-init">${JSON.stringify(init).replace(/</g, '\\u003c')}</script>
<script nonce="${nonce}" src="${asset('dist', 'webview.js')}"></script>
<script nonce="${nonce}" src="${asset('dist', 'elements.js')}" async></script>
</body>
</html>`;
  }

  /** Every message from the webview comes through here: validated, or ignored and logged. */
  async receive(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      const type = typeof raw === 'object' && raw !== null && 'type' in raw ? String((raw as { type: unknown }).type).slice(0, 40) : typeof raw;
      this.deps.services.log.warn(`Image Studio: ignored a malformed message from the panel (type: ${type}).`);
      this.deps.sink.ignored(type);
      return;
    }
    const ok = await this.handle(message);
    if (message.requestId) {
      await this.post({ type: 'done', replyTo: message.requestId, ok });
    }
  }

  private async post(message: ExtensionMessage): Promise<void> {
    this.deps.sink.posted(message);
    if (!this.disposed) {
      await this.panel.webview.postMessage(message);
    }
  }

  private readonly src: ToSrc = (uri) => (this.disposed ? '' : this.panel.webview.asWebviewUri(uri).toString());

  /** Handles one message; false when it failed (its failure is shown as a notice). */
  private async handle(message: WebviewMessage): Promise<boolean> {
    const { store } = this.deps;
    try {
      switch (message.type) {
        case 'ready':
          await this.post(await this.initMessage());
          break;
        case 'generate':
          await this.runs.generate({ ...message, references: this.references.byIds(message.references) });
          break;
        case 'cancel':
          this.runs.cancel();
          break;
        case 'chooseModel': {
          const chosen = (await vscode.commands.executeCommand('illustrate.chooseModel')) as { model?: string } | undefined;
          if (chosen?.model) {
            await this.post({ type: 'model', model: chosen.model });
          }
          break;
        }
        case 'pickReferences': {
          const picked = await vscode.window.showOpenDialog({
            canSelectMany: true,
            defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
            openLabel: vscode.l10n.t('Add as Reference'),
            filters: { Images: ['png', 'jpg', 'jpeg', 'webp', 'heic', 'heif'] },
          });
          await this.addReferences(picked ?? []);
          break;
        }
        case 'dropReferences':
          await this.addReferences(message.uris.map((u) => vscode.Uri.parse(u)));
          break;
        case 'removeReference':
          this.references.remove(message.id);
          await this.postReferences();
          break;
        case 'image': {
          const done = await imageAction(
            {
              store,
              tracker: this.deps.tracker,
              saved: (image, file) => this.post({ type: 'imageSaved', imageId: image.id, savedAs: vscode.workspace.asRelativePath(file), savedWeight: savedWeight(image) }),
              convert: (bytes, format, width, metadata, output) => this.deps.services.generator.convertBytes(bytes, format, width, metadata, output),
            },
            message.action,
            message.imageId,
          );
          if (done) {
            await this.post({ type: 'notice', level: 'info', message: done });
          }
          break;
        }
        case 'regenerate': {
          const entry = store.find(message.entryId);
          if (entry) {
            await this.runs.generate({ ...entry, references: await this.references.fromEntry(entry) });
          }
          break;
        }
        case 'deleteEntry':
          await store.remove(message.entryId);
          break;
      }
      return true;
    } catch (e: unknown) {
      this.deps.services.log.error(`Image Studio: ${message.type} failed: ${describeForLog(e)}`);
      await this.post({ type: 'notice', level: 'error', message: formatError(e) });
      return false;
    }
  }

  /** Adds workspace images as reference images (the picker, a drop, Open in Studio from a hover). */
  async addReferences(uris: readonly vscode.Uri[]): Promise<void> {
    const problems = await this.references.add(uris);
    await this.postReferences();
    if (problems.length) {
      await this.post({ type: 'notice', level: 'error', message: problems.join(' ') });
    }
  }

  private postReferences(): Promise<void> {
    return this.post({ type: 'references', references: this.references.all.map((r) => referenceView(r, this.src)) });
  }

  private async initMessage(): Promise<Extract<ExtensionMessage, { type: 'init' }>> {
    const settings = readSettings(this.deps.tracker.document);
    const history = await this.deps.store.load();
    return {
      type: 'init',
      models: KNOWN_MODELS.map((m) => ({ id: m.id, label: m.label, ratios: m.ratios, sizes: m.sizes, maxReferences: m.maxReferences })),
      defaults: optionsFromSettings(settings),
      prompt: this.initialPrompt,
      prices: { ...DEFAULT_PRICES, ...settings.prices },
      history: history.map((e) => entryView(e, (i) => this.deps.store.imageUri(i), this.src)),
      references: this.references.all.map((r) => referenceView(r, this.src)),
      style: { text: settings.style, references: settings.styleReferences.map((r) => basename(r.replace(/\\/g, '/'))) },
      transparent: settings.transparentBackground,
      dark: settings.darkTwins,
    };
  }

  private async postHistory(): Promise<void> {
    const history = await this.deps.store.load();
    await this.post({ type: 'history', history: history.map((e) => entryView(e, (i) => this.deps.store.imageUri(i), this.src)) });
  }

  dispose(): void {
    this.disposed = true;
    if (StudioPanel.current === this) {
      StudioPanel.current = undefined;
    }
    this.runs.cancel();
    this.disposables.forEach((d) => d.dispose());
    this.panel.dispose();
  }
}
