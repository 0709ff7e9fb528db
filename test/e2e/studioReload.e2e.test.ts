import * as assert from 'assert';
import * as path from 'path';
import type { FrameLocator } from 'playwright-core';
import { E2ESession, waitForFile, Workbench } from './workbench';

const PROMPT = 'A lantern on a windowsill';

describe('e2e: the Image Studio after a window reload', function () {
  this.timeout(300_000);
  const session = new E2ESession();
  let wb: Workbench;

  const studio = (): FrameLocator => wb.studio();

  const studioTabs = () => wb.page.locator('.tabs-container .tab', { hasText: 'Image Studio' });
  const groups = () => wb.page.locator('.editor-group-container');

  /** Waits until the editor group at `index` (0-based, left to right) is the active one. */
  async function activeGroupIs(index: number): Promise<void> {
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      const active = await groups().evaluateAll((els) => els.findIndex((e) => e.classList.contains('active')));
      if (active === index) {
        return;
      }
      await wb.page.waitForTimeout(200);
    }
    throw new Error(`editor group ${index} did not become active`);
  }

  before(async () => {
    await session.start({ 'guide.md': '# Guide\n\n' });
    wb = session.wb;
    await session.setKey();
  });

  session.hooks();

  it('Open Image Studio after a reload brings the restored tab to life: one Studio, in its group, with its history', async () => {
    // 1. The document, then the Studio beside it.
    await wb.open('e2e/guide.md');
    await wb.keys('Control+End');
    await wb.openStudio(PROMPT);
    // 2. Generate, Insert.
    await studio().getByRole('button', { name: 'Generate', exact: true }).click();
    await studio().locator('section.current figure.result img').waitFor({ timeout: 60_000 });
    await studio().locator('section.current').getByRole('button', { name: 'Insert', exact: true }).click();
    await waitForFile(path.join(session.workspace, 'e2e', 'images', 'a-lantern-on-a-windowsill.png'));
    // 3. Back to the document from the Studio's group: it opens there, the Studio goes to the background. Save.
    // (Quick Open sometimes reveals the editor already open in the first group instead; the Explorer
    // always opens in the active group, which is the state this test is about.)
    await wb.focusTab('Image Studio');
    await activeGroupIs(1);
    await wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'guide.md' }).dblclick();
    await groups().nth(1).locator('.tab.active', { hasText: 'guide.md' }).waitFor({ timeout: 15_000 });
    await wb.page.locator('.editor-group-container.active .monaco-editor textarea').focus();
    await wb.save();
    assert.strictEqual(await groups().nth(1).locator('.tab.active', { hasText: 'guide.md' }).count(), 1, 'the document is the active tab of the Studio\'s group');
    // 4. Reload.
    const reloaded = wb.page.waitForEvent('domcontentloaded', { timeout: 60_000 });
    await wb.command('Developer: Reload Window');
    await reloaded;
    await wb.ready();
    assert.strictEqual(await studioTabs().count(), 1, 'one restored Studio tab');
    // 5. Open Image Studio: the restored one comes to life, no second copy.
    await wb.command('Illustrate: Open Image Studio');
    const entry = studio().locator('ol.history li.entry', { hasText: PROMPT });
    await entry.waitFor({ timeout: 30_000 });
    await wb.page.waitForTimeout(1000);
    assert.strictEqual(await studioTabs().count(), 1, 'exactly one Image Studio tab');
    assert.strictEqual(await groups().nth(1).locator('.tab', { hasText: 'Image Studio' }).count(), 1, 'in the group where it was');
    assert.strictEqual(await groups().count(), 2, 'no new group was opened for a second Studio');
    await wb.screenshot('e2e-studio-revived');
  });

  it('reloaded with the Studio as the visible tab, it shows its history without any command', async () => {
    await wb.focusTab('Image Studio');
    const reloaded = wb.page.waitForEvent('domcontentloaded', { timeout: 60_000 });
    await wb.command('Developer: Reload Window');
    await reloaded;
    const entry = studio().locator('ol.history li.entry', { hasText: PROMPT });
    await entry.waitFor({ timeout: 30_000 });
    assert.strictEqual(await studioTabs().count(), 1);
  });
});
