/**
 * Runs inside the real extension host (offline test host) for `npm run bench`: activation time,
 * time from a command to its request reaching the API, and time from "Open Image Studio" to the
 * panel's first paint (the webview reports ready once it has rendered).
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import { openTestStudio } from '../test/integration/studioHarness';
import { makePng } from '../test/fake-gemini/images';
import { joinWithInsert, metadataInsert } from '../src/core/images/metadata';

const KEY = 'fake-key-0123456789';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension('illustrate.illustrate');
  if (!ext) {
    throw new Error('extension not found');
  }
  const out = process.env.ILLUSTRATE_TEST_RESULTS;
  if (process.env.ILLUSTRATE_BENCH_ONLY === 'diagnostics') {
    // For working on the diagnostics alone: `ILLUSTRATE_BENCH_ONLY=diagnostics npm run bench`.
    await ext.activate();
    const diagnostics = await diagnosticsPass();
    if (out) {
      fs.writeFileSync(out, JSON.stringify({ diagnostics }));
    }
    return;
  }
  const wasActive = ext.isActive;
  const t0 = performance.now();
  const api = (await ext.activate()) as { activateMs: number } | undefined;
  const activationMs = performance.now() - t0;
  const activateMs = api?.activateMs ?? -1;

  const baseUrl = vscode.workspace.getConfiguration('illustrate').inspect<string>('baseUrl')?.globalValue ?? '';
  await vscode.commands.executeCommand('illustrate.setApiKey', KEY);
  const toRequest: number[] = [];
  for (let i = 0; i < 6; i++) {
    await fetch(`${baseUrl}/_fake/reset`, { method: 'POST', body: '{}' });
    const started = performance.timeOrigin + performance.now();
    await vscode.commands.executeCommand('illustrate.generateFromPrompt', { prompt: `bench request ${i}` });
    const [req] = (await (await fetch(`${baseUrl}/_fake/requests`)).json()) as { arrivedAt: number }[];
    if (i > 0) {
      toRequest.push(req.arrivedAt - started);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }

  // The floor: an empty webview panel whose page reports when it has painted.
  const floors: number[] = [];
  for (let i = 0; i < 3; i++) {
    floors.push(await emptyWebviewFirstPaint());
  }
  const emptyWebviewFirstPaintMs = median(floors);

  // The Studio, built as the extension builds it, with a sink that sees its reply to "ready" (sent once painted).
  const paint = async (): Promise<number> => {
    const t = performance.now();
    const studio = await openTestStudio();
    while (!studio.posted.some((m) => m.type === 'init')) {
      if (performance.now() - t > 30_000) {
        throw new Error('the Studio did not report ready within 30 s');
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    const ms = performance.now() - t;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    return ms;
  };
  const studioFirstPaintMs = await paint();
  const again: number[] = [];
  for (let i = 0; i < 3; i++) {
    again.push(await paint());
  }
  const studioWarmFirstPaintMs = median(again);

  const { hoverMs, hoverBytes } = await hover4K();
  const diagnostics = await diagnosticsPass();

  if (out) {
    fs.writeFileSync(out, JSON.stringify({ wasActive, activationMs, activateMs, commandToRequestMs: median(toRequest), studioFirstPaintMs, studioWarmFirstPaintMs, emptyWebviewFirstPaintMs, hoverMs, hoverBytes, diagnostics }));
  }
}

/** How many image links the diagnostics bench's page has (the most one pass looks at). */
const PASS_IMAGES = 1000;

/**
 * The stale and alt-text diagnostics on a page of 1,000 image links, each to an image Illustrate
 * made: from an edit of one alt text to the stale diagnostic on it, minus the pause the diagnostics
 * wait for typing to stop (400 ms). Median of 5, each edit on another link; the images unchanged.
 */
async function diagnosticsPass(): Promise<{ images: number; passMs: number }> {
  const folder = vscode.workspace.workspaceFolders![0].uri;
  const dir = vscode.Uri.joinPath(folder, 'bench-diagnostics');
  const png = makePng(64, 64);
  const lines: string[] = ['# Many images', ''];
  for (let i = 0; i < PASS_IMAGES; i++) {
    const made = joinWithInsert([png], png.length, metadataInsert('png', { prompt: `a small picture ${i}`, model: 'gemini-3.1-flash-image', aspectRatio: '1:1', imageSize: '1K', date: new Date().toISOString() }));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'img', `p${i}.png`), made);
    lines.push(`![a small picture ${i}](img/p${i}.png)`, '');
  }
  const doc = vscode.Uri.joinPath(dir, 'page.md');
  await vscode.workspace.fs.writeFile(doc, new TextEncoder().encode(lines.join('\n')));
  const document = await vscode.workspace.openTextDocument(doc);
  await vscode.window.showTextDocument(document);
  const stale = (): number => vscode.languages.getDiagnostics(doc).filter((d) => d.code === 'staleImage').length;
  // The first pass (every header read once) is not measured.
  await new Promise((r) => setTimeout(r, 3000));
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const target = `a small picture ${i * 100}]`;
    const at = document.getText().indexOf(target);
    const before = stale();
    const changed = new Promise<number>((resolve) => {
      const sub = vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === doc.toString()) && stale() === before + 1) {
          sub.dispose();
          resolve(performance.now());
        }
      });
    });
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc, document.positionAt(at + target.length - 1), ' now');
    const t = performance.now();
    await vscode.workspace.applyEdit(edit);
    const ms = (await changed) - t - 400;
    if (i > 0) {
      times.push(ms);
    }
  }
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.workspace.fs.delete(dir, { recursive: true });
  return { images: PASS_IMAGES, passMs: median(times) };
}

/** An empty webview panel, beside the editor like the Studio, from creation to its page's first paint. */
async function emptyWebviewFirstPaint(): Promise<number> {
  const t = performance.now();
  const panel = vscode.window.createWebviewPanel('illustrate.benchEmpty', 'Empty', vscode.ViewColumn.Beside, { enableScripts: true });
  const painted = new Promise<number>((resolve) => panel.webview.onDidReceiveMessage(() => resolve(performance.now() - t)));
  const nonce = randomBytes(12).toString('base64');
  panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'"></head><body><main>Empty</main><script nonce="${nonce}">const api = acquireVsCodeApi(); requestAnimationFrame(() => setTimeout(() => api.postMessage('painted'), 0));</script></body></html>`;
  const ms = await painted;
  panel.dispose();
  return ms;
}

/**
 * The hover on a link to a 4K image Illustrate made (incompressible, about 20 MB): from the request
 * to its content, each time on a file changed since (so nothing is cached). Median of 5.
 */
async function hover4K(): Promise<{ hoverMs: number; hoverBytes: number }> {
  const folder = vscode.workspace.workspaceFolders![0].uri;
  const dir = vscode.Uri.joinPath(folder, 'bench-hover');
  const png = makePng(5504, 3072, { noise: true });
  const doc = vscode.Uri.joinPath(dir, 'page.md');
  await vscode.workspace.fs.writeFile(doc, new TextEncoder().encode('# Hover\n\n![a harbour at dusk](big.png)\n'));
  const document = await vscode.workspace.openTextDocument(doc);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 6; i++) {
    const made = joinWithInsert([png], png.length, metadataInsert('png', { prompt: `a harbour at dusk ${i}`, model: 'gemini-3-pro-image', aspectRatio: '16:9', imageSize: '4K', date: new Date().toISOString() }));
    bytes = made.length;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'big.png'), made);
    const t = performance.now();
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc, document.positionAt(document.getText().indexOf('harbour')));
    const ms = performance.now() - t;
    if (!hovers.some((h) => h.contents.some((c) => typeof c !== 'string' && 'value' in c && c.value.includes(`a harbour at dusk ${i}`)))) {
      throw new Error('the hover did not show the image made');
    }
    if (i > 0) {
      times.push(ms);
    }
  }
  await vscode.workspace.fs.delete(dir, { recursive: true });
  return { hoverMs: median(times), hoverBytes: bytes };
}
