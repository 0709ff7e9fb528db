import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator } from 'playwright-core';
import { ROOT } from '../host/install';
import { E2ESession, waitForFile, waitForImage, waitForText, Workbench } from './workbench';

const PROMPT = 'A cosy reading nook with a cat';

describe('e2e: the Image Studio in the real VS Code UI', function () {
  this.timeout(240_000);
  const session = new E2ESession();
  const fake = session.fake;
  let wb: Workbench;
  let workspace = '';

  const studio = (): FrameLocator => wb.studio();

  before(async () => {
    await session.start({ 'studio.md': '# Studio\n\n' });
    wb = session.wb;
    workspace = session.workspace;
    await session.setKey();
  });

  session.hooks();

  it('compose with 4:3, Generate, preview, Insert into the open markdown document', async () => {
    await wb.open('e2e/studio.md');
    await wb.keys('Control+End');
    await wb.openStudio(PROMPT);
    await studio().getByRole('radio', { name: 'Aspect ratio 4:3' }).click();
    await studio().getByText(/Estimated cost: ≈ \$0\.06/).waitFor();
    await studio().getByRole('button', { name: 'Generate', exact: true }).click();
    const preview = studio().locator('section.current figure.result img');
    await preview.waitFor({ timeout: 60_000 });
    assert.strictEqual(await preview.getAttribute('width'), '1200');
    assert.strictEqual(await preview.getAttribute('height'), '896');
    assert.deepStrictEqual(await waitForImage(preview), { complete: true, naturalWidth: 1200 }, 'the preview image loads in the webview');
    const [req] = fake.requests;
    assert.deepStrictEqual((req.body as { generationConfig: { imageConfig: unknown } }).generationConfig.imageConfig, { aspectRatio: '4:3', imageSize: '1K' });
    await studio().locator('section.current').getByRole('button', { name: 'Insert', exact: true }).click();
    const file = path.join(workspace, 'e2e', 'images', 'a-cosy-reading-nook-with-a-cat.png');
    const png = await waitForFile(file);
    assert.strictEqual(png.readUInt32BE(16), 1200);
    await wb.focusTab('studio.md');
    await wb.save();
    const expected = `# Studio\n\n![${PROMPT}](images/a-cosy-reading-nook-with-a-cat.png)`;
    assert.strictEqual(await waitForText(path.join(workspace, 'e2e', 'studio.md'), expected), expected);
  });

  it('after a window reload the Studio comes back with the history entry', async () => {
    await wb.command('Developer: Reload Window');
    await wb.page.waitForTimeout(2000);
    await wb.ready();
    const entry = studio().locator('ol.history li.entry', { hasText: PROMPT });
    await entry.waitFor({ timeout: 60_000 });
    assert.match(await entry.innerText(), /gemini-3\.1-flash-image · 4:3 · 1K/);
  });

  it('Edit sends the image back as the reference of a new request', async () => {
    const before = fake.requests.length;
    await studio().locator('ol.history li.entry', { hasText: PROMPT }).getByRole('button', { name: 'Edit', exact: true }).first().click();
    const prompt = studio().locator('#prompt textarea');
    await prompt.fill('Make it night time');
    await studio().getByRole('button', { name: 'Generate', exact: true }).click();
    await studio().locator('section.current figure.result img').waitFor({ timeout: 60_000 });
    assert.strictEqual(fake.requests.length, before + 1);
    const body = fake.requests[before].body as { contents: { role: string; parts: { inlineData?: { data: string }; thoughtSignature?: string; text?: string }[] }[] };
    assert.deepStrictEqual(body.contents.map((c) => c.role), ['user', 'model', 'user']);
    const sent = body.contents[1].parts.find((p) => p.inlineData);
    assert.ok(sent?.thoughtSignature, 'the earlier image goes back with its thought signature');
    assert.strictEqual(Buffer.from(sent.inlineData!.data, 'base64').readUInt32BE(16), 1200);
    assert.strictEqual(body.contents[2].parts[0].text, 'Make it night time');
  });

  it('screenshots in a dark and a light theme', async () => {
    const shots = [
      { theme: 'Dark Modern', name: 'studio-dark', kind: 'vscode-dark' },
      { theme: 'Light Modern', name: 'studio-light', kind: 'vscode-light' },
    ];
    for (const { theme, name, kind } of shots) {
      await wb.command('Preferences: Color Theme');
      await wb.pick(theme);
      // The Studio follows the theme: its body gets the theme kind's class.
      await studio().locator(`body.${kind}`).waitFor({ timeout: 30_000 });
      await wb.page.waitForTimeout(800);
      const file = await wb.screenshot(name);
      if (process.env.ILLUSTRATE_UPDATE_SCREENSHOTS) {
        fs.copyFileSync(file, path.join(ROOT, 'media', `${name}.png`));
      }
      assert.ok(fs.statSync(file).size > 10_000);
    }
  });
});
