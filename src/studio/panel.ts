import { createHash, randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { Services } from '../commands/services';
import { describeForLog, formatError, IllustrateError } from '../core/errors';
import { EXTENSIONS, ImageFormat, MIME_TYPES, sniffFormat } from '../core/imageFormat';
import { KNOWN_MODELS } from '../core/models';
import { DEFAULT_PRICES, formatCost } from '../core/pricing';
import { altTextFromPrompt, basename, markdownImage } from '../core/paths';
import { ModelPart, ReferenceImage } from '../core/request';
import { GenerateInput, optionsFromSettings } from '../platform/generator';
import { linkPath, planImageFile, scopeFor, uriExists, writeImageAndLink, writeNewImage } from '../platform/placement';
import { readSettings, Settings } from '../platform/settings';
import { ComposeOptions, EntryView, ExtensionMessage, ImageView, MAX_REFERENCE_BYTES, parseWebviewMessage, ReferenceView, WebviewMessage } from './protocol';
import { HistoryEntry, StoredImage, StoredReference, StudioStore } from './store';

export const VIEW_TYPE = 'illustrate.studio';
const REVIVE_TIMEOUT_MS = 5000;
const FOCUS_GROUP = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth'].map((n) => `workbench.action.focus${n}EditorGroup`);

/** A Studio's tab, live or restored (tabs carry the view type with a prefix). */
function isStudioTab(tab: vscode.Tab): boolean {
  return tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(VIEW_TYPE);
}

/**
 * Shows a tab in its group, which makes VS Code revive a restored webview. Focus may still be moving
 * (the command palette closing gives it back to the editor it came from), so the group's focus is
 * checked before the tab is opened by its index.
 */
async function showTab(group: vscode.TabGroup): Promise<void> {
  const focusGroup = FOCUS_GROUP[group.viewColumn - 1];
  if (!focusGroup) {
    return;
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    await vscode.commands.executeCommand(focusGroup);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const active = vscode.window.tabGroups.activeTabGroup;
    if (active.viewColumn === group.viewColumn) {
      await vscode.commands.executeCommand('workbench.action.openEditorAtIndex', active.tabs.findIndex(isStudioTab));
      const now = vscode.window.tabGroups.activeTabGroup.activeTab;
      if (now && isStudioTab(now)) {
        return;
      }
    }
  }
}

/**
 * A new panel opens as a preview editor, which the next file opened in its group would replace
 * (and dispose). The Studio is a place to work in: pin it once its tab shows up as the active preview.
 */
function keepOpen(): void {
  const pin = (): boolean => {
    if (vscode.window.tabGroups.activeTabGroup.tabs.some((t) => t.isPreview && t.isActive && isStudioTab(t))) {
      void vscode.commands.executeCommand('workbench.action.keepEditor');
      return true;
    }
    return false;
  };
  if (!pin()) {
    const watch = vscode.window.tabGroups.onDidChangeTabs(() => {
      if (pin()) {
        watch.dispose();
      }
    });
    setTimeout(() => watch.dispose(), 10_000);
  }
}

function newId(): string {
  return randomBytes(9).toString('base64url');
}

interface Reference {
  readonly id: string;
  readonly name: string;
  readonly uri: vscode.Uri;
  readonly data: Uint8Array;
  readonly mimeType: string;
}

/** Where "Insert" goes: the markdown editor the user was last in. */
export class MarkdownEditorTracker implements vscode.Disposable {
  private last: vscode.Uri | undefined;
  private readonly listener: vscode.Disposable;

  constructor() {
    this.note(vscode.window.activeTextEditor);
    this.listener = vscode.window.onDidChangeActiveTextEditor((e) => this.note(e));
  }

  private note(editor: vscode.TextEditor | undefined): void {
    if (editor?.document.languageId === 'markdown') {
      this.last = editor.document.uri;
    }
  }

  /** The editor to insert into, shown again if it was hidden; undefined when there is none. */
  async editor(): Promise<vscode.TextEditor | undefined> {
    if (!this.last) {
      return undefined;
    }
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.last?.toString());
    if (visible) {
      return visible;
    }
    try {
      const doc = await vscode.workspace.openTextDocument(this.last);
      return await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: true });
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    this.listener.dispose();
  }
}

/** The Image Studio panel: one at a time, restored after a reload. */
export class StudioPanel implements vscode.Disposable {
  static current: StudioPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private references: Reference[] = [];
  private running: AbortController | undefined;
  /** Every message posted to the webview, for tests through the command's return value. */
  readonly posted: ExtensionMessage[] = [];

  /** Resolves the next time VS Code revives a Studio (its serializer ran). */
  private static revived: ((panel: StudioPanel) => void) | undefined;

  /**
   * The one Studio: the live panel revealed where it is; else a Studio tab restored after a reload
   * but not shown yet (VS Code revives a webview only when its tab is shown) brought to life in
   * its own group; else a new panel beside the editor.
   */
  static async show(services: Services, store: StudioStore, tracker: MarkdownEditorTracker, prompt: string): Promise<StudioPanel> {
    if (StudioPanel.current) {
      StudioPanel.current.panel.reveal();
      return StudioPanel.current;
    }
    const restored = await StudioPanel.reviveTab();
    if (restored instanceof StudioPanel) {
      return restored;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Image Studio', { viewColumn: restored ?? vscode.ViewColumn.Beside, preserveFocus: false }, {});
    const studio = new StudioPanel(panel, services, store, tracker, prompt);
    await studio.paint();
    keepOpen();
    return studio;
  }

  /** Brings a restored, not yet revived Studio tab to life by showing it in its group. */
  private static async reviveTab(): Promise<StudioPanel | vscode.ViewColumn | undefined> {
    const found = vscode.window.tabGroups.all.flatMap((group) => group.tabs.filter(isStudioTab).map((tab) => ({ group, tab })))[0];
    if (!found) {
      return undefined;
    }
    const revived = new Promise<StudioPanel | undefined>((resolve) => {
      StudioPanel.revived = resolve;
      setTimeout(() => resolve(undefined), REVIVE_TIMEOUT_MS);
    });
    await showTab(found.group);
    const panel = await revived;
    StudioPanel.revived = undefined;
    if (panel) {
      return panel; // shown already, where it was
    }
    // Could not be shown (a group beyond the eighth, or VS Code did not revive it): replace it there.
    await vscode.window.tabGroups.close(found.tab);
    return found.group.viewColumn;
  }

  /** Called by the serializer after a reload, with the panel VS Code restored. */
  static async revive(panel: vscode.WebviewPanel, services: Services, store: StudioStore, tracker: MarkdownEditorTracker): Promise<StudioPanel> {
    const studio = new StudioPanel(panel, services, store, tracker, '');
    await studio.paint();
    StudioPanel.revived?.(studio);
    return studio;
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: Services,
    private readonly store: StudioStore,
    private readonly tracker: MarkdownEditorTracker,
    private readonly initialPrompt: string,
  ) {
    StudioPanel.current = this;
    const extensionUri = services.context.extensionUri;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'studio.svg');
    panel.webview.options = {
      enableScripts: true,
      // The bundle, its stylesheet, and the Studio's own storage (its images and reference copies).
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), store.dir],
    };
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      store.onDidChange(() => void this.postHistory()),
    );
  }

  /** Sets the page with everything the first paint needs in it: no round trip before the composer and history show. */
  private async paint(): Promise<void> {
    const init = await this.initMessage();
    if (!this.disposed) {
      this.panel.webview.html = this.html(init);
    }
  }

  /** Every message from the webview comes through here: validated, or ignored and logged. */
  receive(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      const type = typeof raw === 'object' && raw !== null && 'type' in raw ? String((raw as { type: unknown }).type).slice(0, 40) : typeof raw;
      this.services.log.warn(`Image Studio: ignored a malformed message from the panel (type: ${type}).`);
      this.ignored++;
      return Promise.resolve();
    }
    return this.handle(message);
  }

  /** How many malformed messages were ignored (tests read it). */
  ignored = 0;

  private html(init: ExtensionMessage): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(18).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.services.context.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.services.context.extensionUri, 'media', 'studio.css'));
    const csp = [`default-src 'none'`, `img-src ${webview.cspSource}`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Image Studio</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
<script type="application/json" id="illustrate-init">${JSON.stringify(init).replace(/</g, '\\u003c')}</script>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  private disposed = false;

  async post(message: ExtensionMessage): Promise<void> {
    this.posted.push(message);
    if (this.posted.length > 200) {
      this.posted.splice(0, this.posted.length - 200);
    }
    if (!this.disposed) {
      await this.panel.webview.postMessage(message);
    }
  }

  private webviewUri(uri: vscode.Uri): string {
    return this.disposed ? '' : this.panel.webview.asWebviewUri(uri).toString();
  }

  private prices(): Record<string, { inputPerMillion: number; outputPerMillion: number }> {
    return { ...DEFAULT_PRICES, ...readSettings().prices };
  }

  private imageView(image: StoredImage): ImageView {
    return {
      id: image.id,
      src: this.webviewUri(this.store.imageUri(image)),
      width: image.width,
      height: image.height,
      format: image.format,
      bytes: image.bytes,
      tokens: image.tokens,
      cost: formatCost(image.cost),
      texts: image.texts,
      thoughts: image.thoughts,
      savedAs: image.savedAs ? vscode.workspace.asRelativePath(vscode.Uri.parse(image.savedAs)) : undefined,
    };
  }

  private entryView(entry: HistoryEntry): EntryView {
    const costs = entry.images.map((i) => i.cost);
    const total = costs.some((c) => c === undefined) ? undefined : costs.reduce<number>((a, c) => a + (c ?? 0), 0);
    return {
      id: entry.id,
      date: entry.date,
      prompt: entry.prompt,
      options: entry.options,
      references: entry.references,
      images: entry.images.map((i) => this.imageView(i)),
      errors: entry.errors,
      tokens: entry.images.reduce((a, i) => a + i.tokens, 0),
      cost: entry.images.length ? formatCost(total) : '',
      durationMs: entry.durationMs,
      editOf: entry.editOf,
    };
  }

  private referenceViews(): ReferenceView[] {
    return this.references.map((r) => ({ id: r.id, name: r.name, src: this.webviewUri(r.uri), bytes: r.data.length }));
  }

  async handle(message: WebviewMessage): Promise<void> {
    try {
      switch (message.type) {
        case 'ready':
          return await this.init();
        case 'generate':
          return await this.generate(
            message.prompt,
            message.options,
            message.variants,
            message.references.map((rid) => this.references.find((r) => r.id === rid)).filter((r): r is Reference => r !== undefined),
            message.editOf,
          );
        case 'cancel':
          this.running?.abort();
          return;
        case 'chooseModel': {
          const chosen = (await vscode.commands.executeCommand('illustrate.chooseModel')) as { model?: string } | undefined;
          if (chosen?.model) {
            await this.post({ type: 'model', model: chosen.model });
          }
          return;
        }
        case 'pickReferences': {
          const picked = await vscode.window.showOpenDialog({
            canSelectMany: true,
            defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
            openLabel: 'Add as Reference',
            filters: { Images: ['png', 'jpg', 'jpeg', 'webp', 'heic', 'heif'] },
          });
          return await this.addReferences(picked ?? []);
        }
        case 'dropReferences':
          return await this.addReferences(message.uris.map((u) => vscode.Uri.parse(u)));
        case 'removeReference':
          this.references = this.references.filter((r) => r.id !== message.id);
          return await this.post({ type: 'references', references: this.referenceViews() });
        case 'image':
          return await this.imageAction(message.action, message.imageId);
        case 'regenerate': {
          const entry = this.store.find(message.entryId);
          if (entry) {
            await this.generate(entry.prompt, entry.options, entry.variants, await this.storedReferences(entry), entry.editOf);
          }
          return;
        }
        case 'deleteEntry':
          if (await this.store.remove(message.entryId)) {
            await this.postHistory();
          }
          return;
      }
    } catch (e: unknown) {
      this.services.log.error(`Image Studio: ${message.type} failed: ${describeForLog(e)}`);
      await this.post({ type: 'notice', level: 'error', message: formatError(e) });
    }
  }

  private async init(): Promise<void> {
    await this.post(await this.initMessage());
  }

  private async initMessage(): Promise<Extract<ExtensionMessage, { type: 'init' }>> {
    const settings = readSettings();
    const history = await this.store.load();
    return {
      type: 'init',
      models: KNOWN_MODELS.map((m) => ({ id: m.id, label: m.label, ratios: m.ratios, sizes: m.sizes, maxReferences: m.maxReferences })),
      defaults: optionsFromSettings(settings),
      prompt: this.initialPrompt,
      prices: this.prices(),
      history: history.map((e) => this.entryView(e)),
      references: this.referenceViews(),
    };
  }

  private async addReferences(uris: readonly vscode.Uri[]): Promise<void> {
    const problems: string[] = [];
    for (const uri of uris) {
      if (this.references.length >= 14) {
        problems.push('At most 14 reference images can be sent.');
        break;
      }
      let data: Uint8Array;
      try {
        data = await vscode.workspace.fs.readFile(uri);
      } catch {
        problems.push(`Could not read ${basename(uri.path)}.`);
        continue;
      }
      const format = sniffFormat(data.subarray(0, 16));
      if (!format || format === 'gif') {
        problems.push(`${basename(uri.path)} is not a PNG, JPEG, WebP or HEIC image.`);
        continue;
      }
      if (data.length > MAX_REFERENCE_BYTES) {
        problems.push(`${basename(uri.path)} is ${(data.length / 1048576).toFixed(1)} MB; the API takes at most 7 MB per image.`);
        continue;
      }
      // The webview shows the copy in the Studio's storage: it may load nothing from the workspace.
      const file = await this.storeReference(data, format);
      this.references.push({ id: newId(), name: basename(uri.path), uri: this.store.imageUri({ file }), data, mimeType: MIME_TYPES[format] });
    }
    await this.post({ type: 'references', references: this.referenceViews() });
    if (problems.length) {
      await this.post({ type: 'notice', level: 'error', message: problems.join(' ') });
    }
  }

  /** One run at a time per panel: the guard is taken before any await, so a double submit sends nothing twice. */
  private async generate(prompt: string, options: ComposeOptions, variants: number, references: readonly Reference[], editOf: string | undefined): Promise<void> {
    if (this.running) {
      await this.post({ type: 'notice', level: 'error', message: 'A generation is already running. Wait for it or press Cancel.' });
      return;
    }
    const controller = new AbortController();
    this.running = controller;
    const entry: HistoryEntry = {
      id: newId(),
      date: new Date().toISOString(),
      prompt,
      options,
      variants,
      references: references.map((r) => r.name),
      referenceFiles: [],
      images: [],
      errors: [],
      durationMs: 0,
      editOf,
    };
    const started = Date.now();
    let announced = false;
    try {
      const settings = readSettings();
      let history: { prompt: string; modelParts: ModelPart[] } | undefined;
      if (editOf) {
        const found = this.store.findImage(editOf);
        if (!found) {
          await this.post({ type: 'notice', level: 'error', message: 'The image to edit is no longer in the history. Pick another one.' });
          return;
        }
        const data = await vscode.workspace.fs.readFile(this.store.imageUri(found.image));
        history = {
          prompt: found.entry.prompt,
          modelParts: [...found.image.textParts.map((t) => ({ text: t.text, thoughtSignature: t.thoughtSignature })), { image: { mimeType: MIME_TYPES[found.image.format], data }, thoughtSignature: found.image.imageSignature }],
        };
      }
      (entry.referenceFiles as StoredReference[]).push(...(await this.keepReferences(references)));
      const sent: ReferenceImage[] = references.map((r) => ({ mimeType: r.mimeType, data: r.data }));
      await this.post({ type: 'started', entryId: entry.id, variants, prompt });
      announced = true;
      const results = await Promise.all(Array.from({ length: variants }, (_, index) => this.variant(entry, index, { prompt, options, references: sent, history }, settings, controller.signal)));
      for (const r of results) {
        if (r) {
          entry.images.push(r);
        }
      }
      entry.durationMs = Date.now() - started;
      if (entry.images.length > 0) {
        await this.store.add(entry);
      }
    } finally {
      this.running = undefined;
      // Whatever happened above, the panel leaves "Generating…".
      if (announced) {
        await this.post({ type: 'finished', entryId: entry.id });
        await this.postHistory();
      }
    }
  }

  private async variant(entry: HistoryEntry, index: number, input: GenerateInput, settings: Settings, signal: AbortSignal): Promise<StoredImage | undefined> {
    try {
      const image = await this.services.generator.generate(input, settings, signal, (e) => {
        if (e.kind === 'waiting') {
          void this.post({ type: 'progress', entryId: entry.id, index, text: `retrying in ${e.seconds} s` });
        }
      });
      const id = newId();
      const file = `${id}${EXTENSIONS[image.format]}`;
      await this.store.writeImage(file, image.bytes);
      const finalPart = image.modelParts.find((p) => p.image);
      const stored: StoredImage = {
        id,
        file,
        format: image.format,
        width: image.width,
        height: image.height,
        bytes: image.bytes.length,
        tokens: image.usage.totalTokens,
        cost: image.cost,
        texts: image.texts,
        thoughts: image.thoughts,
        textParts: image.modelParts.filter((p) => p.text !== undefined).map((p) => ({ text: p.text ?? '', thoughtSignature: p.thoughtSignature })),
        imageSignature: finalPart?.thoughtSignature,
      };
      await this.post({ type: 'variant', entryId: entry.id, index, image: this.imageView(stored) });
      return stored;
    } catch (e: unknown) {
      const message = formatError(e);
      entry.errors.push(message);
      await this.post({ type: 'variantFailed', entryId: entry.id, index, message });
      return undefined;
    }
  }

  /** A reference image in the store, named by its content so it is kept once. */
  private async storeReference(data: Uint8Array, format: ImageFormat): Promise<string> {
    const file = `ref-${createHash('sha256').update(data).digest('hex').slice(0, 24)}${EXTENSIONS[format]}`;
    if (!(await uriExists(this.store.imageUri({ file })))) {
      await this.store.writeImage(file, data);
    }
    return file;
  }

  /** The references of a generation, as the history keeps them, so Re-run can send them again. */
  private async keepReferences(references: readonly Reference[]): Promise<StoredReference[]> {
    const kept: StoredReference[] = [];
    for (const r of references) {
      kept.push({ name: r.name, file: await this.storeReference(r.data, sniffFormat(r.data.subarray(0, 16)) ?? 'png'), mimeType: r.mimeType });
    }
    return kept;
  }

  /** The references of a history entry, read back from the store; missing ones are named. */
  private async storedReferences(entry: HistoryEntry): Promise<Reference[]> {
    const out: Reference[] = [];
    for (const r of entry.referenceFiles ?? []) {
      const uri = this.store.imageUri(r);
      try {
        out.push({ id: newId(), name: r.name, uri, data: await vscode.workspace.fs.readFile(uri), mimeType: r.mimeType });
      } catch {
        throw new IllustrateError('options', `The reference image ${r.name} of this generation is no longer stored. Load it into the composer and add the reference again.`);
      }
    }
    return out;
  }

  private async postHistory(): Promise<void> {
    await this.post({ type: 'history', history: (await this.store.load()).map((e) => this.entryView(e)) });
  }

  /** Copies a Studio image into the workspace (once), per the destination settings. */
  private async saveToWorkspace(image: StoredImage, prompt: string, model: string, document: vscode.Uri | undefined, changes: (file: vscode.Uri, root: vscode.Uri) => { document: vscode.Uri; range: vscode.Range; text: string }[]): Promise<vscode.Uri> {
    const settings = readSettings();
    const scope = scopeFor(document);
    if (image.savedAs) {
      const file = vscode.Uri.parse(image.savedAs);
      if (await uriExists(file)) {
        const edit = changes(file, scope.root);
        if (edit.length) {
          await writeImageAndLink(file, undefined, edit);
        }
        return file;
      }
      image.savedAs = undefined; // deleted since: save it again
    }
    const bytes = await vscode.workspace.fs.readFile(this.store.imageUri(image));
    const planned = await planImageFile(scope, settings.destination, settings.fileName, prompt, image.format, model);
    const file = await writeNewImage(scope.root, planned, bytes, (f) => changes(f, scope.root));
    image.savedAs = file.toString();
    await this.store.persist();
    await this.post({ type: 'imageSaved', imageId: image.id, savedAs: vscode.workspace.asRelativePath(file) });
    return file;
  }

  private async imageAction(action: 'insert' | 'save' | 'copyLink' | 'reveal', imageId: string): Promise<void> {
    const found = this.store.findImage(imageId);
    if (!found) {
      await this.post({ type: 'notice', level: 'error', message: 'That image is no longer in the history.' });
      return;
    }
    const { entry, image } = found;
    const alt = altTextFromPrompt(entry.prompt);
    if (action === 'insert') {
      const editor = await this.tracker.editor();
      if (!editor) {
        await this.post({ type: 'notice', level: 'error', message: 'Open a markdown file and put the cursor where the image goes, then press Insert again.' });
        return;
      }
      const doc = editor.document;
      const position = editor.selection.active;
      const file = await this.saveToWorkspace(image, entry.prompt, entry.options.model, doc.uri, (f, root) => [
        { document: doc.uri, range: new vscode.Range(position, position), text: markdownImage(alt, linkPath(doc.uri, root, f)) },
      ]);
      await this.post({ type: 'notice', level: 'info', message: `Inserted ${vscode.workspace.asRelativePath(file)} into ${vscode.workspace.asRelativePath(doc.uri)}.` });
      return;
    }
    if (action === 'save') {
      const file = await this.saveToWorkspace(image, entry.prompt, entry.options.model, (await this.tracker.editor())?.document.uri, () => []);
      await this.post({ type: 'notice', level: 'info', message: `Saved ${vscode.workspace.asRelativePath(file)}.` });
      return;
    }
    if (action === 'copyLink') {
      const document = (await this.tracker.editor())?.document.uri;
      const file = await this.saveToWorkspace(image, entry.prompt, entry.options.model, document, () => []);
      const link = markdownImage(alt, linkPath(document, scopeFor(document).root, file));
      await vscode.env.clipboard.writeText(link);
      await this.post({ type: 'notice', level: 'info', message: `Copied ${link}` });
      return;
    }
    const target = image.savedAs ? vscode.Uri.parse(image.savedAs) : this.store.imageUri(image);
    if (image.savedAs) {
      await vscode.commands.executeCommand('revealInExplorer', target);
    }
    await vscode.commands.executeCommand('vscode.open', target, { viewColumn: vscode.ViewColumn.One, preview: true });
  }

  dispose(): void {
    this.disposed = true;
    if (StudioPanel.current === this) {
      StudioPanel.current = undefined;
    }
    this.running?.abort();
    this.disposables.forEach((d) => d.dispose());
    this.panel.dispose();
  }
}

