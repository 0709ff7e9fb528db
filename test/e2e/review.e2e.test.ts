/**
 * Reviews through the real UI: Fill with illustrate.review on, one picture set to fail its review
 * by the stand-in; its report in the markdown preview beside, each thumbnail loaded (carried in the
 * report as a data: URI), the failed review first with its reason; a single generation that fails
 * its review says why in a warning with Regenerate and Keep, and Regenerate makes it again.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { readProvenance } from '../../src/core/images/metadata';
import { E2ESession, waitForFile, waitForImage, Workbench } from './workbench';

const SIGNS = ['# Signs', '', '![A shop sign that reads "Welcome" review:fail](images/welcome.png)', '', '![A kite over green hills](images/kite.png)', ''].join('\n');
const ONCE = '# Once\n\n![A door sign that reads "Open" review:failonce](images/open.png)\n';

describe('e2e: reviews through the real UI', function () {
  this.timeout(300_000);
  const session = new E2ESession();
  let wb: Workbench;

  before(async () => {
    // This suite's own setting: each picture Fill makes is reviewed, and the verdict reported.
    // Only the page this test fills: Fill looks through the whole workspace, and a summary or a
    // warning waited for by its text ("Filled 2 of 2", "open.png") must be the one this run shows.
    await session.start({ 'signs.md': SIGNS }, { 'illustrate.review': 'report' });
    wb = session.wb;
    await session.setKey();
    await wb.command('Notifications: Clear All Notifications');
  });

  session.hooks();

  it('Fill with reviews: the report opens beside, each thumbnail loads, the failed review first with its reason', async () => {
    await wb.open('e2e/signs.md');
    await wb.command('Illustrate: Fill Missing Images…');
    const title = wb.page.locator('.quick-input-widget .quick-input-title');
    await title.waitFor({ timeout: 30_000 });
    await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'images/kite.png' }).waitFor();
    await wb.page.locator('.quick-input-widget .quick-input-box input').press('Enter');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(await dialog.innerText(), /reviewed against its words by .+, for .+ more/);
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    // A review that fails makes the summary a warning; its toast carries Open Report.
    const toast = wb.page.locator('.notification-toast', { hasText: 'Filled 2 of 2 missing images' });
    await toast.waitFor({ timeout: 60_000 });
    for (const name of ['welcome.png', 'kite.png']) {
      await waitForFile(path.join(session.workspace, 'e2e', 'images', name));
    }
    await toast.getByRole('button', { name: 'Open Report' }).click();
    const preview = wb.preview();
    await preview.locator('h1', { hasText: 'Illustrate: Fill Missing Images' }).waitFor({ timeout: 30_000 });
    const text = await preview.locator('body').innerText();
    assert.match(text, /Review \(.+\): 1 failed, 0 not reviewed, 1 passed/);
    assert.ok(text.indexOf('Failed review') < text.indexOf('welcome.png') && text.indexOf('welcome.png') < text.indexOf('Passed review') && text.indexOf('Passed review') < text.indexOf('kite.png'), text);
    // The stand-in's reason for a sign that misspells its text.
    assert.match(text.slice(text.indexOf('welcome.png'), text.indexOf('Passed review')), /Welcom/);
    const thumbnails = preview.locator('img');
    assert.strictEqual(await thumbnails.count(), 2);
    for (const i of [0, 1]) {
      const state = await waitForImage(thumbnails.nth(i));
      assert.ok(state.complete && state.naturalWidth > 0, `thumbnail ${i} loaded: ${JSON.stringify(state)}`);
      assert.ok(state.naturalWidth <= 256, `a small thumbnail (${state.naturalWidth} px)`);
      assert.match((await thumbnails.nth(i).getAttribute('src')) ?? '', /^data:image\/webp;base64,/);
    }
    assert.match((await thumbnails.nth(0).getAttribute('alt')) ?? '', /Welcome/, 'the failed one first');
    // For the README: the preview alone (its source carries the thumbnails' data), then the layout back.
    await wb.focusTab('Preview Untitled');
    await wb.command('View: Toggle Maximize Editor Group');
    await wb.page.mouse.move(700, 880);
    await wb.page.waitForTimeout(800);
    await wb.readmeScreenshot('e2e-review-report', 'review-report.png');
    await wb.command('View: Toggle Maximize Editor Group');
    // The verdicts are in the files, for the hover and `illustrate check`.
    assert.strictEqual(readProvenance(fs.readFileSync(path.join(session.workspace, 'e2e', 'images', 'welcome.png')))?.review?.status, 'fail');
    assert.strictEqual(readProvenance(fs.readFileSync(path.join(session.workspace, 'e2e', 'images', 'kite.png')))?.review?.status, 'pass');
  });

  it('a single generation that fails its review says why, with Regenerate and Keep; Regenerate makes it again over the same file', async () => {
    await wb.command('Notifications: Clear All Notifications');
    // Written now, after the Fill above: it would have made open.png (and this link would get open-1.png).
    fs.writeFileSync(path.join(session.workspace, 'e2e', 'once.md'), ONCE);
    await wb.open('e2e/once.md');
    await wb.page.locator('.view-line', { hasText: 'door sign' }).click();
    await wb.command('Illustrate: Generate Image from Alt Text');
    const toast = wb.page.locator('.notification-toast', { hasText: 'The review of open.png found problems' });
    await toast.waitFor({ timeout: 60_000 });
    assert.match(await toast.innerText(), /review failed: .*Open/);
    assert.ok(await toast.getByRole('button', { name: 'Keep' }).isVisible());
    const file = path.join(session.workspace, 'e2e', 'images', 'open.png');
    const first = await waitForFile(file);
    assert.strictEqual(readProvenance(first)?.review?.status, 'fail');
    await toast.getByRole('button', { name: 'Regenerate' }).click();
    await wb.page.locator('.statusbar', { hasText: 'open.png made again: review passed' }).waitFor({ timeout: 60_000 });
    assert.strictEqual(readProvenance(fs.readFileSync(file))?.review?.status, 'pass');
    assert.strictEqual(fs.readFileSync(path.join(session.workspace, 'e2e', 'once.md'), 'utf8'), ONCE, 'the link as written');
    const sent = session.fake.requests.filter((r) => r.url.includes(':generateContent') && !JSON.stringify(r.body).includes('responseSchema'));
    assert.match(JSON.stringify(sent[sent.length - 1].body), /Avoid what an earlier picture for these words got wrong/);
  });
});
