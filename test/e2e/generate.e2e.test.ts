import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { FAKE_KEY } from '../fake-gemini/server';
import { makePng } from '../fake-gemini/images';
import { ROOT } from '../host/install';
import { E2ESession, waitForFile, waitForImage, waitForText, Workbench } from './workbench';

function pngSize(b: Buffer): { width: number; height: number } {
  assert.strictEqual(b.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

const NO_ALT_DOC = '# Deploy\n\nPush the branch, then open the dashboard:\n\n![](images/dashboard.png)\n\nThe end.\n';
const ALT_DOC = '# Alt text\n\nThe harbour at night:\n\n![A fox reading a map by lantern light](images/fox.png)\n\nThe end.\n';

describe('e2e: the packaged extension in the real VS Code UI', function () {
  this.timeout(180_000);
  const session = new E2ESession();
  const fake = session.fake;
  let wb: Workbench;
  let workspace = '';

  before(async () => {
    await session.start({
      'prompt.md': '# Prompt\n\n',
      'selection.md': '# Selection\n\nA watercolour map of the harbour\n\nThe end.\n',
      'badkey.md': '# Bad key\n\n',
      'cancel.md': '# Cancel\n\n',
      'alttext.md': ALT_DOC,
      'no-alt.md': NO_ALT_DOC,
    });
    wb = session.wb;
    workspace = session.workspace;
  });

  session.hooks();

  it('Set API Key, then Generate Image… in a markdown file: the file on disk and the link in the saved document', async () => {
    await wb.command('Illustrate: Set API Key');
    await wb.answer(FAKE_KEY);
    await wb.notificationText('API key saved');
    await wb.open('e2e/prompt.md');
    await wb.keys('Control+End');
    await wb.command('Illustrate: Generate Image…');
    await wb.answer('A lighthouse on a cliff at dusk');
    const png = await waitForFile(path.join(workspace, 'e2e', 'images', 'a-lighthouse-on-a-cliff-at-dusk.png'));
    await wb.progressDone();
    await wb.save();
    assert.deepStrictEqual(pngSize(png), { width: 1376, height: 768 });
    const expected = '# Prompt\n\n![A lighthouse on a cliff at dusk](images/a-lighthouse-on-a-cliff-at-dusk.png)';
    assert.strictEqual(await waitForText(path.join(workspace, 'e2e', 'prompt.md'), expected), expected);
    const [req] = fake.requests;
    assert.ok(req.keyMatched, 'the key typed into the UI is the one sent');
    const shot = await wb.screenshot('e2e-generate-from-prompt');
    if (process.env.ILLUSTRATE_UPDATE_SCREENSHOTS) {
      fs.copyFileSync(shot, path.join(ROOT, 'media', 'generate.png'));
    }
  });

  it('Generate Image from Selection: the link on its own line after the selected text', async () => {
    await wb.open('e2e/selection.md');
    await wb.keys('Control+Home', 'ArrowDown', 'ArrowDown', 'Home', 'Shift+End');
    await wb.command('Illustrate: Generate Image from Selection');
    const png = await waitForFile(path.join(workspace, 'e2e', 'images', 'a-watercolour-map-of-the-harbour.png'));
    await wb.progressDone();
    await wb.save();
    assert.deepStrictEqual(pngSize(png), { width: 1376, height: 768 });
    const expected = '# Selection\n\nA watercolour map of the harbour\n\n![A watercolour map of the harbour](images/a-watercolour-map-of-the-harbour.png)\n\nThe end.\n';
    assert.strictEqual(await waitForText(path.join(workspace, 'e2e', 'selection.md'), expected), expected);
    await wb.screenshot('e2e-generate-from-selection');
  });

  it('the Quick Fix on an image whose file is missing: Ctrl+. → the file where the link points, from its alt text; the document as it was', async () => {
    await wb.open('e2e/alttext.md');
    await wb.keys('Control+Home', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'Home', 'ArrowRight', 'ArrowRight', 'ArrowRight');
    await wb.keys('Control+.');
    const fix = wb.page.getByText('Generate "fox.png" from its alt text', { exact: true });
    await fix.waitFor({ timeout: 15_000 });
    const shot = await wb.screenshot('e2e-quick-fix');
    if (process.env.ILLUSTRATE_UPDATE_SCREENSHOTS) {
      fs.copyFileSync(shot, path.join(ROOT, 'media', 'quick-fix.png'));
    }
    // The first Quick Fix is the focused row of the menu, as in the screenshot: Enter takes it.
    await wb.keys('Enter');
    await fix.waitFor({ state: 'hidden', timeout: 10_000 });
    const png = await waitForFile(path.join(workspace, 'e2e', 'images', 'fox.png'));
    await wb.progressDone();
    assert.deepStrictEqual(pngSize(png), { width: 1376, height: 768 });
    const sent = fake.requests.filter((r) => r.url.includes(':generateContent'));
    const prompt = (sent[sent.length - 1].body as { contents: { parts: { text?: string }[] }[] }).contents[0].parts[0].text;
    assert.strictEqual(prompt, 'A fox reading a map by lantern light');
    assert.strictEqual(fs.readFileSync(path.join(workspace, 'e2e', 'alttext.md'), 'utf8'), ALT_DOC, 'the link already points at the file');
    assert.strictEqual(await wb.page.locator('.tabs-container .tab.active.dirty').count(), 0, 'and the document has no unsaved change');
  });

  it('a stale image: edit the alt text, see the squiggle, Ctrl+. → Regenerate; the new picture in the preview, one file, the document as written', async () => {
    // fox.png was made from this alt text by the Quick Fix above; the writer now changes the alt text.
    const file = path.join(workspace, 'e2e', 'images', 'fox.png');
    const before = fs.readFileSync(file);
    await wb.open('e2e/alttext.md');
    await wb.keys('Control+Home', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'Home');
    for (let i = 0; i < '![A fox reading a map'.length; i++) {
      await wb.keys('ArrowRight');
    }
    await wb.page.keyboard.type(' and a compass');
    await wb.save();
    const squiggle = wb.page.locator('.monaco-editor .squiggly-info');
    await squiggle.first().waitFor({ timeout: 15_000 });
    await wb.keys('Control+.');
    const fix = wb.page.getByText('Regenerate "fox.png" from the new alt text', { exact: true });
    await fix.waitFor({ timeout: 15_000 });
    const shot = await wb.screenshot('e2e-stale-image');
    if (process.env.ILLUSTRATE_UPDATE_SCREENSHOTS) {
      fs.copyFileSync(shot, path.join(ROOT, 'media', 'stale-image.png'));
    }
    // Regenerate is the preferred fix: the focused row.
    await wb.keys('Enter');
    await fix.waitFor({ state: 'hidden', timeout: 10_000 });
    // The file is replaced by a delete and a create: it may be missing for a moment.
    const read = (): Buffer | undefined => (fs.existsSync(file) ? fs.readFileSync(file) : undefined);
    const end = Date.now() + 60_000;
    while ((read()?.equals(before) ?? true) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
    }
    await wb.progressDone();
    const after = fs.readFileSync(file);
    assert.ok(!after.equals(before), 'the picture was replaced');
    assert.deepStrictEqual(pngSize(after), { width: 1376, height: 768 });
    assert.deepStrictEqual(fs.readdirSync(path.join(workspace, 'e2e', 'images')).filter((f) => f.startsWith('fox')), ['fox.png'], 'in place');
    const sent = fake.requests.filter((r) => r.url.includes(':generateContent'));
    assert.strictEqual((sent[sent.length - 1].body as { contents: { parts: { text?: string }[] }[] }).contents[0].parts[0].text, 'A fox reading a map and a compass by lantern light');
    assert.strictEqual(fs.readFileSync(path.join(workspace, 'e2e', 'alttext.md'), 'utf8'), ALT_DOC.replace('reading a map', 'reading a map and a compass'));
    await squiggle.first().waitFor({ state: 'detached', timeout: 15_000 });
    // The new picture, in the editor's preview.
    await wb.command('Markdown: Open Preview to the Side');
    const preview = wb.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame').locator('img[src*="fox.png"]');
    assert.deepStrictEqual(await waitForImage(preview), { complete: true, naturalWidth: 1376 });
    await wb.screenshot('e2e-stale-image-regenerated');
    // One undo: the notification's Undo puts the old picture back, byte for byte.
    await wb.page.locator('.notification-toast', { hasText: 'Replaced fox.png' }).getByRole('button', { name: 'Undo' }).click();
    const undone = Date.now() + 15_000;
    while (!(read()?.equals(before) ?? false) && Date.now() < undone) {
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(read()?.equals(before), 'the old picture is back');
    await wb.command('View: Close All Editors');
  });

  it('an image without alt text: the squiggle, Ctrl+. → Write alt text with Illustrate; only the alt text changes', async () => {
    fs.mkdirSync(path.join(workspace, 'e2e', 'images'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'e2e', 'images', 'dashboard.png'), makePng(1200, 700));
    await wb.open('e2e/no-alt.md');
    const squiggle = wb.page.locator('.monaco-editor .squiggly-info');
    await squiggle.first().waitFor({ timeout: 15_000 });
    await wb.keys('Control+Home', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'Home', 'ArrowRight', 'ArrowRight', 'ArrowRight');
    await wb.keys('Control+.');
    const fix = wb.page.getByText('Write alt text with Illustrate', { exact: true });
    await fix.waitFor({ timeout: 15_000 });
    const shot = await wb.screenshot('e2e-alt-text');
    if (process.env.ILLUSTRATE_UPDATE_SCREENSHOTS) {
      fs.copyFileSync(shot, path.join(ROOT, 'media', 'alt-text.png'));
    }
    await wb.keys('Enter');
    await fix.waitFor({ state: 'hidden', timeout: 10_000 });
    await squiggle.first().waitFor({ state: 'detached', timeout: 30_000 });
    await wb.save();
    const expected = NO_ALT_DOC.replace('![](images/dashboard.png)', '![A diagram of the request flow from the browser through the API gateway to the database.](images/dashboard.png)');
    assert.strictEqual(await waitForText(path.join(workspace, 'e2e', 'no-alt.md'), expected), expected);
    const sent = fake.requests.filter((r) => r.url.includes(':generateContent'));
    assert.match(sent[sent.length - 1].url, /gemini-3\.1-flash-lite:generateContent$/);
    await wb.screenshot('e2e-alt-text-written');
  });

  it('Choose Model…: the endpoint\'s image models with their price per image; the pick shows in the status bar', async () => {
    await wb.command('Illustrate: Choose Model…');
    const row = (label: string) => wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { has: wb.page.getByText(label, { exact: true }) }).first();
    await row('Nano Banana Pro').waitFor({ timeout: 15_000 });
    assert.match(await row('Nano Banana Pro').innerText(), /gemini-3-pro-image[\s\S]*\$0\.\d+ per image at 1K/);
    assert.match(await row('Nano Banana 2').innerText(), /gemini-3\.1-flash-image[\s\S]*\$0\.\d+ per image at 1K/);
    assert.strictEqual(await wb.page.locator('.quick-input-widget .quick-input-title').innerText(), 'Illustrate: Choose Model');
    assert.match((await wb.page.locator('.quick-input-widget .quick-input-box input').getAttribute('placeholder')) ?? '', /^Image models at 127\.0\.0\.1:\d+$/);
    // The pointer off the list, so no tooltip covers the picture.
    await wb.page.mouse.move(1100, 700);
    await wb.page.waitForTimeout(300);
    const shot = await wb.screenshot('e2e-choose-model');
    if (process.env.ILLUSTRATE_UPDATE_SCREENSHOTS) {
      fs.copyFileSync(shot, path.join(ROOT, 'media', 'choose-model.png'));
    }
    await wb.pick('Nano Banana Pro');
    await wb.page.locator('.statusbar-item', { hasText: 'Nano Banana Pro' }).waitFor({ timeout: 10_000 });
    assert.ok(fake.requests.some((r) => r.url.startsWith('/v1beta/models?')), 'the list came from the endpoint');
  });

  it('Cancel in the progress notification stops the request at once; nothing is written', async () => {
    await wb.open('e2e/cancel.md');
    await wb.keys('Control+End');
    await wb.command('Illustrate: Generate Image…');
    await wb.answer('A slow picture [fake:slow:20000]');
    const progress = wb.page.locator('.notification-toast', { hasText: 'Illustrate: generating image' });
    await progress.waitFor({ timeout: 15_000 });
    await wb.page.waitForTimeout(1500);
    assert.match(await progress.innerText(), /\d+ s/, 'the progress shows elapsed seconds');
    const started = Date.now();
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await wb.progressDone(5000);
    assert.ok(Date.now() - started < 5000);
    await wb.page.locator('.statusbar', { hasText: 'Image generation was cancelled' }).waitFor({ timeout: 5000 });
    await wb.screenshot('e2e-cancel');
    assert.strictEqual(fs.readFileSync(path.join(workspace, 'e2e', 'cancel.md'), 'utf8'), '# Cancel\n\n');
    assert.ok(!fs.existsSync(path.join(workspace, 'e2e', 'images', 'a-slow-picture-fake-slow-20000.png')));
    assert.ok(!fs.readdirSync(path.join(workspace, 'e2e', 'images')).some((f) => f.startsWith('a-slow-picture')));
  });

  it('a bad key shows the bad-key message in a notification, and nothing is written', async () => {
    await wb.command('Illustrate: Set API Key');
    await wb.answer('sk-this-key-is-wrong-123');
    await wb.open('e2e/badkey.md');
    await wb.keys('Control+End');
    await wb.command('Illustrate: Generate Image…');
    await wb.answer('A picture that will not come');
    const text = await wb.notificationText('API key was rejected');
    assert.match(text, /Set API Key/);
    assert.ok(!text.includes('sk-this-key-is-wrong-123'));
    await wb.screenshot('e2e-bad-key');
    assert.strictEqual(fs.readFileSync(path.join(workspace, 'e2e', 'badkey.md'), 'utf8'), '# Bad key\n\n');
    assert.ok(!fs.existsSync(path.join(workspace, 'e2e', 'images', 'a-picture-that-will-not-come.png')));
  });
});
