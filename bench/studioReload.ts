/**
 * For `npm run bench`: the time from "Developer: Reload Window", with the Image Studio as the
 * visible tab, to its history on screen, in the real VS Code UI (the packaged .vsix in the test
 * host). `node out/bench/studioReload.js` prints one JSON line.
 */
import { FAKE_KEY } from '../test/fake-gemini/server';
import { E2ESession } from '../test/e2e/workbench';

const RUNS = 3;

async function main(): Promise<void> {
  const session = new E2ESession();
  try {
    await session.start({ 'bench.md': '# Bench\n\n' });
    const wb = session.wb;
    const studio = () => wb.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await wb.command('Illustrate: Set API Key');
    await wb.answer(FAKE_KEY);
    await wb.open('e2e/bench.md');
    await wb.command('Illustrate: Open Image Studio');
    await studio().locator('#prompt textarea').fill('A benchmark picture');
    await studio().getByRole('button', { name: 'Generate', exact: true }).click();
    await studio().locator('ol.history li.entry').first().waitFor({ timeout: 60_000 });
    const samples: number[] = [];
    const workbench: number[] = [];
    const frame: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await wb.focusTab('Image Studio');
      const reloaded = wb.page.waitForEvent('domcontentloaded', { timeout: 60_000 });
      await wb.command('Developer: Reload Window');
      const started = Date.now();
      await reloaded;
      // The floor: the workbench itself on screen again (its status bar), before any extension runs.
      await wb.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
      workbench.push(Date.now() - started);
      // VS Code has made the webview's frame; the page in it waits for the extension host to revive the panel.
      await wb.page.locator('iframe.webview.ready').first().waitFor({ state: 'attached', timeout: 60_000 });
      frame.push(Date.now() - started);
      await studio().locator('ol.history li.entry').first().waitFor({ timeout: 60_000 });
      samples.push(Date.now() - started);
      await wb.ready();
    }
    const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    console.log(JSON.stringify({ reloadToHistoryMs: median(samples), reloadToWorkbenchMs: median(workbench), reloadToFrameMs: median(frame), samples, workbench, frame }));
  } finally {
    await session.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
