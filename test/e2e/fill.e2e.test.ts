import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { FAKE_KEY } from '../fake-gemini/server';
import { ROOT } from '../host/install';
import { E2ESession, waitForFile, waitForImage, waitForText, Workbench } from './workbench';

const GUIDE = [
  '# Guide',
  '',
  '![A harbour at dawn, boats leaving](images/harbour.png)',
  '',
  '![A lighthouse keeper reading](images/keeper.png)',
  '',
  '![A storm over the bay](images/storm.png)',
  '',
  '```md',
  '![not this one](images/in-code.png)',
  '```',
  '',
].join('\n');
const LATER = '# Later\n\n![A quiet beach at noon](pics/beach.png)\n\n![Gulls over the pier](pics/gulls.png)\n';

describe('e2e: Fill Missing Images through the real UI', function () {
  this.timeout(300_000);
  const session = new E2ESession();
  let wb: Workbench;
  const dialog = () => wb.page.locator('.monaco-dialog-box');

  before(async () => {
    // Google's endpoint (its key header): the plan also offers the Batch API.
    await session.start({ 'guide.md': GUIDE }, { 'illustrate.authHeader': 'x-goog-api-key' });
    wb = session.wb;
    await wb.command('Illustrate: Set API Key');
    await wb.answer(FAKE_KEY);
    await wb.command('Notifications: Clear All Notifications');
  });

  session.hooks();

  const keep = (shot: string, name: string): void => {
    if (process.env.ILLUSTRATE_UPDATE_SCREENSHOTS) {
      fs.copyFileSync(shot, path.join(ROOT, 'media', name));
    }
  };

  it('palette → plan → confirm → progress → report: every missing image made, the report a click away', async () => {
    await wb.open('e2e/guide.md');
    // Each image takes 1.5 s, so the progress can be seen.
    session.fake.script(...['harbour', 'keeper', 'storm'].map(() => ({ mode: 'slow' as const, arg: 1500 })));
    await wb.command('Illustrate: Fill Missing Images…');
    // The plan: a multi-select quick pick, its title with the count, model and cost; skipped images counted.
    const title = wb.page.locator('.quick-input-widget .quick-input-title');
    await title.waitFor({ timeout: 30_000 });
    assert.match(await title.innerText(), /Fill Missing Images: 3 images · gemini-3\.1-flash-image · 1K · ≈ \$0\.\d+ · 1 skipped/);
    const rows = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'images/keeper.png' }).waitFor();
    await wb.page.mouse.move(700, 700);
    await wb.page.waitForTimeout(500);
    keep(await wb.screenshot('e2e-fill-plan'), 'fill-plan.png');
    await wb.page.locator('.quick-input-widget .quick-input-box input').press('Enter');
    // The modal repeats the cost, and offers the batch.
    await dialog().waitFor({ timeout: 15_000 });
    assert.match(await dialog().innerText(), /Generate 3 images for ≈ \$0\.\d+\?/);
    assert.match(await dialog().innerText(), /Or send them as one batch job for ≈ \$0\.\d+/);
    await dialog().getByRole('button', { name: 'Generate', exact: true }).click();
    // One progress notification, counting.
    const progress = await wb.notificationText(/Illustrate: filling missing images/, 15_000);
    assert.match(progress, /\d \/ 3/);
    const report = await wb.notificationText(/Filled 3 of 3 missing images/, 60_000);
    assert.match(report, /0 failed · 1 skipped · ≈ \$0\.\d+ · \d+ s/);
    for (const name of ['harbour.png', 'keeper.png', 'storm.png']) {
      await waitForFile(path.join(session.workspace, 'e2e', 'images', name));
    }
    assert.ok(!fs.existsSync(path.join(session.workspace, 'e2e', 'images', 'in-code.png')));
    assert.strictEqual(fs.readFileSync(path.join(session.workspace, 'e2e', 'guide.md'), 'utf8'), GUIDE, 'no link changed: every image is a PNG');
    await wb.page.locator('.notification-toast', { hasText: 'Filled 3 of 3' }).getByRole('button', { name: 'Open Report' }).click();
    // The report in the markdown preview beside the run, each image a thumbnail.
    const preview = wb.preview();
    await preview.locator('h1', { hasText: 'Illustrate: Fill Missing Images' }).waitFor({ timeout: 15_000 });
    const text = await preview.locator('body').innerText();
    assert.match(text, /3 generated, 0 failed/);
    assert.match(text, /images\/in-code\.png.*inside code/);
    // Each image made is a thumbnail carried in the report itself (a data: WebP), and it loads.
    const thumbs = preview.locator('img[src^="data:image/webp"]');
    assert.strictEqual(await thumbs.count(), 3);
    for (const i of [0, 1, 2]) {
      const state = await waitForImage(thumbs.nth(i));
      assert.ok(state.complete && state.naturalWidth > 0, `thumbnail ${i} loaded: ${JSON.stringify(state)}`);
    }
    keep(await wb.screenshot('e2e-fill-report'), 'fill-report.png');
  });

  it('Batch: submitted, still pending across a window reload, then placed once Google is done', async () => {
    fs.writeFileSync(path.join(session.workspace, 'e2e', 'later.md'), LATER);
    session.fake.batches.plan = 'hold';
    await wb.command('Illustrate: Fill Missing Images…');
    const title = wb.page.locator('.quick-input-widget .quick-input-title');
    await title.waitFor({ timeout: 30_000 });
    assert.match(await title.innerText(), /Fill Missing Images: 2 images/);
    await wb.page.locator('.quick-input-widget .quick-input-box input').press('Enter');
    await dialog().waitFor({ timeout: 15_000 });
    await dialog().getByRole('button', { name: 'Batch (half price, results later)', exact: true }).click();
    await wb.notificationText(/Batch job submitted: 2 images, ≈ \$0\.\d+ at half price/);
    const item = wb.page.locator('div.statusbar-item[aria-label="Illustrate batch jobs: 1 running"]');
    await item.waitFor({ timeout: 15_000 });

    const reloaded = wb.page.waitForEvent('domcontentloaded', { timeout: 60_000 });
    await wb.command('Developer: Reload Window');
    await reloaded;
    await wb.ready();
    // After the reload the job is still known, and polled again.
    await item.waitFor({ timeout: 30_000 });
    const polls = session.fake.batches.jobs.size === 1 ? [...session.fake.batches.jobs.values()][0].polls : -1;
    assert.ok(!fs.existsSync(path.join(session.workspace, 'e2e', 'pics')), 'nothing placed while pending');
    session.fake.batches.plan = 'auto';
    await waitForFile(path.join(session.workspace, 'e2e', 'pics', 'beach.png'), 60_000);
    await waitForFile(path.join(session.workspace, 'e2e', 'pics', 'gulls.png'), 60_000);
    assert.ok([...session.fake.batches.jobs.values()][0].polls > polls, 'polled after the reload');
    await wb.notificationText(/Batch job ".*": 2 of 2 images placed · ≈ \$0\.\d+ at batch price/, 30_000);
    await item.waitFor({ state: 'hidden', timeout: 15_000 });
    assert.strictEqual(await waitForText(path.join(session.workspace, 'e2e', 'later.md'), LATER), LATER);
    const submitted = session.fake.requests.filter((r) => r.url.endsWith(':batchGenerateContent'));
    assert.strictEqual(submitted.length, 1);
    assert.ok(submitted[0].keyMatched);
  });
  it('stale images are listed on their own, unticked, with their cost; ticked, one is made again in place', async () => {
    // storm.png was made from its alt text by the first test; the writer changes the alt text.
    const guide = path.join(session.workspace, 'e2e', 'guide.md');
    fs.writeFileSync(guide, GUIDE.replace('A storm over the bay', 'A storm over the bay at night'));
    const storm = path.join(session.workspace, 'e2e', 'images', 'storm.png');
    const before = fs.readFileSync(storm);
    await wb.command('Illustrate: Fill Missing Images…');
    const title = wb.page.locator('.quick-input-widget .quick-input-title');
    await title.waitFor({ timeout: 30_000 });
    assert.match((await title.innerText()).replace(/\s+/g, ' '), /Fill Missing Images: no image missing · .* · 1 stale \(≈ \$0\.\d+\)$/);
    const group = wb.page.locator('.quick-input-widget .quick-input-list', { hasText: /Stale: made from an older alt text or style \(1 image, ≈ \$0\.\d+\)/ });
    await group.waitFor({ timeout: 15_000 });
    const count = wb.page.locator('.quick-input-widget .quick-input-count');
    assert.match(await count.innerText(), /^0 Selected$/, 'unticked by default');
    // Ticked by its checkbox, at the start of the row's first line.
    const box = await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'A storm over the' }).first().boundingBox();
    assert.ok(box);
    await wb.page.mouse.click(box.x + 14, box.y + 12);
    await wb.page.locator('.quick-input-widget .quick-input-count', { hasText: '1 Selected' }).waitFor({ timeout: 10_000 });
    await wb.page.locator('.quick-input-widget .quick-input-box input').press('Enter');
    await dialog().waitFor({ timeout: 15_000 });
    assert.match(await dialog().innerText(), /Generate 1 image for ≈ \$0\.\d+\?/);
    await dialog().getByRole('button', { name: 'Generate', exact: true }).click();
    await wb.notificationText(/Made 1 of 1 stale images again in place · 0 failed/, 60_000);
    assert.ok(!fs.readFileSync(storm).equals(before), 'made again');
    assert.deepStrictEqual(fs.readdirSync(path.dirname(storm)).filter((f) => f.startsWith('storm')), ['storm.png'], 'in place');
    const sent = session.fake.requests.filter((r) => r.url.includes(':generateContent'));
    assert.strictEqual((sent[sent.length - 1].body as { contents: { parts: { text?: string }[] }[] }).contents[0].parts[0].text, 'A storm over the bay at night');
    assert.strictEqual(fs.readFileSync(guide, 'utf8'), GUIDE.replace('A storm over the bay', 'A storm over the bay at night'), 'the page as written');
  });
});
