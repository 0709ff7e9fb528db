import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

export const KEY = 'fake-key-0123456789';

/** The stand-in server's address, from the user settings the runner wrote. */
export function fakeUrl(): string {
  const url = vscode.workspace.getConfiguration('illustrate').inspect<string>('baseUrl')?.globalValue;
  assert.ok(url, 'the runner sets illustrate.baseUrl in user settings');
  return url;
}

export async function fake(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${fakeUrl()}${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  return res.status === 204 ? undefined : res.json();
}

export interface FakeRequest {
  model: string;
  url: string;
  auth: string;
  keyMatched: boolean;
  status: number;
  body: { contents: { role: string; parts: { text?: string; inlineData?: { mimeType: string; data: string }; thoughtSignature?: string }[] }[]; generationConfig: Record<string, unknown> };
}

export async function requests(): Promise<FakeRequest[]> {
  return (await fake('/_fake/requests')) as FakeRequest[];
}

export async function script(...modes: (string | { mode: string; arg?: number })[]): Promise<void> {
  await fake('/_fake/script', modes.map((m) => (typeof m === 'string' ? { mode: m } : m)));
}

export async function resetFake(): Promise<void> {
  await fake('/_fake/reset', {});
}

export function root(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri;
}

export function uri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(root(), rel);
}

export async function exists(u: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(u);
    return true;
  } catch {
    return false;
  }
}

/** Names in a folder, sorted; [] when it does not exist. */
export async function list(rel: string): Promise<string[]> {
  try {
    return (await vscode.workspace.fs.readDirectory(uri(rel))).map(([n]) => n).sort();
  } catch {
    return [];
  }
}

export async function bytes(u: vscode.Uri): Promise<Buffer> {
  return Buffer.from(await vscode.workspace.fs.readFile(u));
}

let counter = 0;

/** A docs tree under a new folder of the workspace (relative path → text); returns the folder. */
export function docsTree(prefix: string, files: Record<string, string>): string {
  const dir = `${prefix}${Date.now().toString(36)}${counter++}`;
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root().fsPath, dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return dir;
}

/** A new markdown file with `text`, opened in an editor with the cursor at `cursor` (default: end). */
export async function markdownEditor(text: string, cursor?: number | vscode.Selection): Promise<{ editor: vscode.TextEditor; dir: string }> {
  const dir = `t${Date.now().toString(36)}${counter++}`;
  const file = uri(`${dir}/doc.md`);
  await vscode.workspace.fs.writeFile(file, Buffer.from(text));
  const doc = await vscode.workspace.openTextDocument(file);
  const editor = await vscode.window.showTextDocument(doc);
  const sel = cursor instanceof vscode.Selection ? cursor : new vscode.Selection(doc.positionAt(cursor ?? text.length), doc.positionAt(cursor ?? text.length));
  editor.selection = sel;
  return { editor, dir };
}

export function pngSize(b: Buffer): { width: number; height: number } {
  assert.strictEqual(b.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG file');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

export interface Result {
  ok: boolean;
  message: string;
  file?: string;
}

export async function run(command: string, ...args: unknown[]): Promise<Result> {
  return (await vscode.commands.executeCommand(command, ...args)) as Result;
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Fill Missing Images as code holding the extension's API runs it: the whole plan, without asking. */
/** The Studio's history, through the extension's API. */
export async function studioHistory(): Promise<readonly { prompt: string; images: readonly { savedAs?: string; bytes: number }[] }[]> {
  const extension = vscode.extensions.getExtension<{ studioHistory(): Promise<readonly { prompt: string; images: readonly { savedAs?: string; bytes: number }[] }[]> }>('illustrate.illustrate');
  if (!extension) {
    throw new Error('the extension is not installed');
  }
  const api = extension.isActive ? extension.exports : await extension.activate();
  return api.studioHistory();
}

export async function fillWithApi(dir: string, options?: { batch?: boolean }): Promise<unknown> {
  const extension = vscode.extensions.getExtension<{ fillMissingImages(resource?: vscode.Uri, options?: { batch?: boolean }): Promise<unknown> }>('illustrate.illustrate');
  if (!extension) {
    throw new Error('the extension is not installed');
  }
  const api = extension.isActive ? extension.exports : await extension.activate();
  return api.fillMissingImages(uri(dir), options);
}

/** Polls `get` until `ok` holds (its last value is returned), failing with `what` and the value after `ms`. */
export async function waitUntil<T>(what: string, get: () => T | Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) {
      return v;
    }
    if (Date.now() > end) {
      assert.fail(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A notification as the user sees it: its kind, its text, its buttons. */
export interface Shown {
  readonly severity: 'information' | 'warning' | 'error';
  readonly message: string;
  readonly items: readonly string[];
}

/**
 * Sees the notifications the extension shows, and answers them as a user would click. The tests
 * load from the extension's own folder, so they share its `vscode` API object: its
 * show…Message functions are wrapped here, each call recorded and still shown; `answer` picks one
 * of its buttons by its title (undefined, or no such button: the toast is left to the user). `restore()` puts the
 * API back and clears the toasts.
 */
export function watchNotifications(answer: (shown: Shown) => string | undefined = () => undefined): { readonly shown: Shown[]; restore(): Promise<void> } {
  type Show = (message: string, ...rest: unknown[]) => Thenable<unknown>;
  const window = vscode.window as unknown as Record<string, Show>;
  const title = (item: unknown): string | undefined => (typeof item === 'string' ? item : typeof item === 'object' && item !== null && 'title' in item ? String((item as { title: unknown }).title) : undefined);
  const shown: Shown[] = [];
  const kinds = { showInformationMessage: 'information', showWarningMessage: 'warning', showErrorMessage: 'error' } as const;
  const originals = new Map<string, Show>();
  for (const [name, severity] of Object.entries(kinds)) {
    const original = window[name];
    originals.set(name, original);
    window[name] = (message, ...rest) => {
      const items = rest.filter((i) => title(i) !== undefined);
      const seen: Shown = { severity, message, items: items.map((i) => title(i)!) };
      shown.push(seen);
      const real = original.call(vscode.window, message, ...rest);
      const choice = answer(seen);
      if (choice === undefined) {
        return real;
      }
      // No such button: left to the user (the test waiting for its effect fails, with what was shown).
      const item = items.find((i) => title(i) === choice);
      return item === undefined ? real : Promise.resolve(item);
    };
  }
  return {
    shown,
    restore: async () => {
      for (const [name, original] of originals) {
        window[name] = original;
      }
      await vscode.commands.executeCommand('notifications.clearAll');
    },
  };
}

/** What each picture request sent (not a review of one): its prompt and how many images went with it. */
export async function imageCalls(): Promise<{ prompt: string; images: number }[]> {
  return (await requests())
    .filter((r) => r.url.includes(':generateContent') && !r.body?.generationConfig?.responseSchema)
    .map((r) => ({ prompt: r.body.contents[0].parts.map((p) => p.text ?? '').join(' '), images: r.body.contents[0].parts.filter((p) => p.inlineData).length }));
}

/** `work` with the user setting `illustrate.<key>` at `value`; the setting as it was afterwards. */
export async function withSetting<T>(key: string, value: unknown, work: () => Promise<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration('illustrate');
  const was = config.inspect(key)?.globalValue;
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  try {
    return await work();
  } finally {
    await config.update(key, was, vscode.ConfigurationTarget.Global);
  }
}
