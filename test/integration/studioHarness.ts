/**
 * An Image Studio panel for tests, built from the extension's own modules with the real VS Code
 * APIs (webview, workspace.fs, editors), the stand-in API server, and a sink that records what
 * the panel posts: the way a test watches the panel without hooks in the extension.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { Reviewer } from '../../src/core/review/review';
import { Generator } from '../../src/core/api/generator';
import { loadStyleReferences } from '../../src/platform/styleReferences';
import { createCodec } from '../../src/node/codec';
import { nodeFetch } from '../../src/node/http';
import { KeyStore } from '../../src/platform/keys';
import { LiveSites } from '../../src/platform/sites';
import { MarkdownEditorTracker } from '../../src/platform/markdownEditors';
import { StudioPanel } from '../../src/studio/panel';
import type { ExtensionMessage } from '../../src/studio/protocol';
import { StudioStore } from '../../src/studio/store';
import { KEY } from './helpers';

/** SecretStorage in memory: the test's own key, apart from the extension's. */
class MemorySecrets implements vscode.SecretStorage {
  private readonly values = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.emitter.event;
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
  async keys(): Promise<string[]> {
    return [...this.values.keys()];
  }
}

class MemoryState implements vscode.Memento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T {
    return (this.values.has(key) ? this.values.get(key) : fallback) as T;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

export interface TestStudio {
  readonly panel: StudioPanel;
  readonly posted: ExtensionMessage[];
  readonly ignored: string[];
  readonly store: StudioStore;
  readonly keys: KeyStore;
  receive(raw: unknown): Promise<void>;
  /** The messages of one type posted so far. */
  of<T extends ExtensionMessage['type']>(type: T): Extract<ExtensionMessage, { type: T }>[];
}

/** The services a command gets, with the test's own key and an in-memory workspace state. */
export async function testServices(): Promise<import('../../src/platform/services').Services> {
  await openShared();
  const { keys, log, generator, store } = shared!;
  const extension = vscode.extensions.getExtension('illustrate.illustrate')!;
  return { extensionUri: extension.extensionUri, workspaceState: new MemoryState(), keys, log, generator, reviewer: new Reviewer(keys, nodeFetch, createCodec(path.resolve(__dirname, '../../../dist'))), fetch: nodeFetch, statusBar: vscode.window.createStatusBarItem(), history: store, sites: new LiveSites() };
}

let shared: { store: StudioStore; keys: KeyStore; tracker: MarkdownEditorTracker; generator: Generator; log: vscode.LogOutputChannel } | undefined;

/** Opens (or reveals) the test Studio; its store, key and editor tracker live for the whole run. */
export async function openTestStudio(prompt = ''): Promise<TestStudio> {
  const extension = vscode.extensions.getExtension('illustrate.illustrate');
  if (!extension) {
    throw new Error('the extension is not installed');
  }
  await openShared();
  const { store, keys, tracker } = shared!;
  if (last && StudioPanel.open === last.panel) {
    last.panel.panel.reveal();
    return last;
  }
  const posted: ExtensionMessage[] = [];
  const ignored: string[] = [];
  const sink = { posted: (m: ExtensionMessage) => posted.push(m), ignored: (t: string) => ignored.push(t) };
  const panel = await StudioPanel.show({ services: await testServices(), store, tracker, sink }, prompt);
  last = {
    panel,
    posted,
    ignored,
    store,
    keys,
    receive: (raw) => panel.receive(raw),
    of: <T extends ExtensionMessage['type']>(type: T) => posted.filter((m) => m.type === type) as Extract<ExtensionMessage, { type: T }>[],
  };
  return last;
}

async function openShared(): Promise<void> {
  if (!shared) {
    const keys = new KeyStore(new MemorySecrets());
    await keys.set(KEY);
    const log = vscode.window.createOutputChannel('Illustrate (tests)', { log: true });
    const dir = path.join(os.tmpdir(), `illustrate-studio-${process.pid}-${Date.now().toString(36)}`);
    // The test Studio's storage goes with the extension host.
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    shared = {
      keys,
      log,
      tracker: new MarkdownEditorTracker(),
      // The extension's own codec (its worker and .wasm in dist/), as activate() builds it.
      generator: new Generator(keys, log, nodeFetch, loadStyleReferences, undefined, createCodec(path.resolve(__dirname, '../../../dist'))),
      store: new StudioStore(vscode.Uri.file(dir), () => 200, (m) => log.warn(m)),
    };
  }
}

let last: TestStudio | undefined;
