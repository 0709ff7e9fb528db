/**
 * Runs inside the real extension host (offline test host) for `npm run bench`: activation time,
 * time from a command to its request reaching the API, and time from "Open Image Studio" to the
 * panel's first paint (the webview reports ready once it has rendered).
 */
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';

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

  const s0 = performance.now();
  const studio = (await vscode.commands.executeCommand('illustrate.openStudio')) as { posted: { type: string }[] };
  while (!studio.posted.some((m) => m.type === 'init')) {
    if (performance.now() - s0 > 30_000) {
      throw new Error('the Studio did not report ready within 30 s');
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  const studioFirstPaintMs = performance.now() - s0;

  const out = process.env.ILLUSTRATE_TEST_RESULTS;
  if (out) {
    fs.writeFileSync(out, JSON.stringify({ wasActive, activationMs, activateMs, commandToRequestMs: median(toRequest), studioFirstPaintMs }));
  }
}
