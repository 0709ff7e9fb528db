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
    for (let i = 0; i < RUNS; i++) {
      await wb.focusTab('Image Studio');
      const reloaded = wb.page.waitForEvent('domcontentloaded', { timeout: 60_000 });
      await wb.command('Developer: Reload Window');
      const started = Date.now();
      await reloaded;
      await studio().locator('ol.history li.entry').first().waitFor({ timeout: 60_000 });
      samples.push(Date.now() - started);
      await wb.ready();
    }
    samples.sort((a, b) => a - b);
    console.log(JSON.stringify({ reloadToHistoryMs: samples[Math.floor(samples.length / 2)], samples }));
  } finally {
    await session.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
