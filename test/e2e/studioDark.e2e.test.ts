/**
 * The Image Studio's "Dark-mode twin" switch through the real UI: ticked, the estimate grows by one
 * image edit; Generate makes the picture, then its twin by one edit (the stand-in answers it with a
 * dark picture), shown small on the card; Insert writes both files and the page's <picture> markup,
 * and one Ctrl+Z in the page takes back the link and both files.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator } from 'playwright-core';
import { estimateCost, formatCost } from '../../src/core/api/pricing';
import { brightest } from '../fixtures/pixels';
import { E2ESession, waitForFile, waitForImage, waitForText, Workbench } from './workbench';

const PROMPT = 'A lighthouse for both themes';
const NAME = 'a-lighthouse-for-both-themes';
const MODEL = 'gemini-3.1-flash-image';
const PAGE = '# Twin\n\n';

interface Part {
  readonly text?: string;
  readonly inlineData?: { readonly data: string };
}

describe('e2e: the Image Studio\'s Dark-mode twin switch in the real VS Code UI', function () {
  this.timeout(300_000);
  const session = new E2ESession();
  let wb: Workbench;

  const studio = (): FrameLocator => wb.studio();

  before(async () => {
    // Markdown wraps its long lines, so the screenshot shows the whole <picture> markup.
    await session.start({ 'twin.md': PAGE }, { '[markdown]': { 'editor.wordWrap': 'on' } });
    wb = session.wb;
    await session.setKey();
    await wb.command('Notifications: Clear All Notifications');
  });

  session.hooks();

  it('Dark-mode twin: the estimate grows by one edit, the card shows the dark preview, Insert writes both files and <picture>, one Ctrl+Z takes them back', async () => {
    const { workspace, fake } = session;
    await wb.open('e2e/twin.md');
    await wb.keys('Control+End');
    await wb.openStudio(PROMPT);

    // The estimate before and after the switch: one image edit (the variant sent back) more.
    const first = estimateCost(MODEL, '1K', PROMPT, 0, 1)!;
    const edit = estimateCost(MODEL, '1K', '', 1, 1)!;
    const estimate = studio().locator('#estimate');
    await studio().getByText(`Estimated cost: ${formatCost(first)} for 1 request`, { exact: true }).waitFor();
    const toggle = studio().getByRole('checkbox', { name: /^Dark-mode twin/ });
    assert.strictEqual(await toggle.isChecked(), false, 'the switch starts off');
    // The switch as a user clicks it: its visible box and label (the native input inside is 1 px).
    await studio().locator('vscode-checkbox', { has: toggle }).click();
    assert.strictEqual(await toggle.isChecked(), true);
    await studio().getByText(`Estimated cost: ${formatCost(first + edit)} for 1 request`, { exact: true }).waitFor({ timeout: 5_000 });
    assert.ok(first + edit > first && formatCost(first + edit) !== formatCost(first), (await estimate.innerText()).trim());

    await studio().getByRole('button', { name: 'Generate', exact: true }).click();
    const card = studio().locator('section.current figure.result');
    const picture = card.locator(':scope > img');
    const twin = card.locator('.twin img');
    await twin.waitFor({ timeout: 90_000 });
    const light = await waitForImage(picture);
    assert.ok(light.complete && light.naturalWidth > 0, 'the picture loads on its card');
    assert.deepStrictEqual(await waitForImage(twin), light, 'the dark preview loads, as wide as its picture');
    assert.strictEqual(await twin.getAttribute('alt'), `Dark-mode twin of: ${PROMPT}`);
    assert.match(await card.locator('.twin .meta').innerText(), /^Dark-mode twin · \d+×\d+ PNG · .* · ≈ \$0\.\d+$/);

    // The stand-in: two image calls, the picture, then the edit sending it back as its one image.
    const calls = fake.requests.filter((r) => /generateContent/i.test(r.url));
    assert.strictEqual(calls.length, 2, calls.map((c) => c.url).join(', '));
    const parts = calls.map((c) => (c.body as { contents: { parts: Part[] }[] }).contents.flatMap((content) => content.parts));
    assert.deepStrictEqual(parts.map((p) => p.filter((part) => part.inlineData).length), [0, 1], 'no image in the first call, one in the edit');
    assert.ok(parts[0].some((p) => p.text?.includes(PROMPT)), 'the first call is the prompt');
    assert.ok(parts[1].some((p) => p.text && /dark-mode twin/i.test(p.text)), 'the second asks for the dark-mode twin');

    await card.getByRole('button', { name: 'Insert', exact: true }).click();
    const lightFile = path.join(workspace, 'e2e', 'images', `${NAME}.png`);
    const darkFile = path.join(workspace, 'e2e', 'images', `${NAME}.dark.png`);
    const lightBytes = await waitForFile(lightFile);
    const darkBytes = await waitForFile(darkFile);
    assert.strictEqual(darkBytes.readUInt32BE(16), lightBytes.readUInt32BE(16), 'the twin is as wide as the picture');
    assert.strictEqual(darkBytes.readUInt32BE(20), lightBytes.readUInt32BE(20), 'and as high');
    assert.ok((await brightest(darkBytes)) <= 40, 'the twin is dark');
    assert.ok((await brightest(lightBytes)) > 200, 'the picture is light');

    const page = path.join(workspace, 'e2e', 'twin.md');
    await wb.focusTab('twin.md');
    await wb.save();
    const switched = `${PAGE}<picture><source media="(prefers-color-scheme: dark)" srcset="images/${NAME}.dark.png">![${PROMPT}](images/${NAME}.png)</picture>`;
    assert.strictEqual(await waitForText(page, switched), switched);

    // The README's picture: the page with its <picture> markup (wrapped, see before()) beside the
    // Studio from its ticked switch down to the card with the twin's preview.
    await studio()
      .locator('vscode-checkbox', { has: toggle })
      .evaluate((el: { scrollIntoView(options: { block: string }): void }) => el.scrollIntoView({ block: 'start' }));
    await wb.page.mouse.move(5, 400);
    await wb.page.waitForTimeout(800);
    const shot = await wb.readmeScreenshot('e2e-studio-dark-twin', 'studio-dark-twin.png');
    assert.ok(fs.statSync(shot).size > 10_000);

    // One undo, in the page as a user presses it, takes back the link and both files.
    await wb.page.locator('.editor-group-container.active .monaco-editor textarea').focus();
    await wb.keys('Control+Z');
    const end = Date.now() + 15_000;
    while ((fs.existsSync(lightFile) || fs.existsSync(darkFile)) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 250));
    }
    const dialog = await wb.page.locator('.monaco-dialog-box').innerText({ timeout: 1_000 }).catch(() => '');
    await wb.screenshot('e2e-studio-dark-twin-undone');
    assert.deepStrictEqual({ picture: fs.existsSync(lightFile), twin: fs.existsSync(darkFile), dialog }, { picture: false, twin: false, dialog: '' }, 'one Ctrl+Z removes both files');
    await wb.save();
    assert.strictEqual(await waitForText(page, PAGE), PAGE, 'and the link');
  });
});
