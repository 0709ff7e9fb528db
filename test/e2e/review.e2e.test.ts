/**
 * Reviews through the real UI: Fill with illustrate.review on, its report in the markdown preview
 * (thumbnails, the failed review first, with its reason); a single generation that fails its
 * review says why and offers Regenerate and Keep.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../host/install';
import { readProvenance } from '../../src/core/images/metadata';
import { E2ESession, waitForFile, waitForThumbnail, Workbench } from './workbench';

const SIGNS = [
  '# Signs',
  '',
  '![A shop sign that reads "Welcome" review:fail](images/welcome.png)',
  '',
  '![A kite over green hills](images/kite.png)',
  '',
].join('\n');

describe('e2e: reviews through the real UI', function () {
  this.timeout(300_000);
  const session = new E2ESession();
  let wb: Workbench;

  before(async () => {
    await session.start({ 'signs.md': SIGNS, 'once.md': '# Once\n\n![A door sign that reads "Open" review:failonce](images/open.png)\n' }, { 'illustrate.review': 'report' });
    wb = session.wb;
    await session.setKey();
    await wb.command('Notifications: Clear All Notifications');
  });

  session.hooks();

  it('Fill with reviews: the report in the preview shows each picture as a thumbnail, the failed review first with its reason', async () => {
    await wb.open('e2e/signs.md');
    await wb.command('Illustrate: Fill Missing Images…');
    const title = wb.page.locator('.quick-input-widget .quick-input-title');
    await title.waitFor({ timeout: 30_000 });
    await wb.page.locator('.quick-input-widget .quick-input-box input').press('Enter');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(await dialog.innerText(), /Each picture is then reviewed against its words by gemini-3\.1-flash-lite, for ≈ \$0\.\d+ more/);
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    const done = await wb.notificationText(/Filled 2 of 2 missing images/, 60_000);
    assert.ok(done);
    for (const name of ['welcome.png', 'kite.png']) {
      await waitForFile(path.join(session.workspace, 'e2e', 'images', name));
    }
    await wb.page.locator('.notification-toast', { hasText: 'Filled 2 of 2' }).getByRole('button', { name: 'Open Report' }).click();
    const preview = wb.preview();
    await preview.locator('h1', { hasText: 'Illustrate: Fill Missing Images' }).waitFor({ timeout: 15_000 });
    const text = await preview.locator('body').innerText();
    assert.match(text, /Welcom/, 'the reason is in the report');
    assert.ok(text.indexOf('welcome.png') < text.indexOf('kite.png'), 'the failed review comes first');
    await waitForThumbnail(preview.locator('img[src*="welcome.png"]'));
    await waitForThumbnail(preview.locator('img[src*="kite.png"]'));
    const shot = await wb.screenshot('e2e-review-report');
    if (process.env.ILLUSTRATE_UPDATE_SCREENSHOTS) {
      fs.copyFileSync(shot, path.join(ROOT, 'media', 'review-report.png'));
    }
    // The verdicts are in the files, for the hover and illustrate check.
    await new Promise((r) => setTimeout(r, 1000));
    assert.strictEqual(readProvenance(fs.readFileSync(path.join(session.workspace, 'e2e', 'images', 'welcome.png')))?.review?.status, 'fail');
    assert.strictEqual(readProvenance(fs.readFileSync(path.join(session.workspace, 'e2e', 'images', 'kite.png')))?.review?.status, 'pass');
  });

  it('a single generation that fails its review says why and offers Regenerate and Keep; Regenerate makes it again', async () => {
    await wb.command('Notifications: Clear All Notifications');
    await wb.open('e2e/once.md');
    await wb.page.locator('.view-line', { hasText: 'door sign' }).click();
    await wb.command('Illustrate: Generate Image from Alt Text');
    const warning = await wb.notificationText(/The review of open\.png found problems/, 60_000);
    assert.match(warning, /Open/);
    const toast = wb.page.locator('.notification-toast', { hasText: 'The review of open.png found problems' });
    assert.ok(await toast.getByRole('button', { name: 'Keep' }).isVisible());
    await wb.screenshot('e2e-review-failed-notification');
    const file = path.join(session.workspace, 'e2e', 'images', 'open.png');
    await waitForFile(file);
    assert.strictEqual(readProvenance(fs.readFileSync(file))?.review?.status, 'fail');
    await toast.getByRole('button', { name: 'Regenerate' }).click();
    await wb.page.locator('.statusbar', { hasText: 'open.png made again' }).waitFor({ timeout: 60_000 });
    assert.strictEqual(readProvenance(fs.readFileSync(file))?.review?.status, 'pass');
  });
});
