import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { FAKE_KEY, FakeGemini } from '../fake-gemini/server';
import { copyWorkspace, VsCodeHost } from '../host/codeServer';
import { ROOT } from '../host/install';
import { waitForFile, waitForText, Workbench } from './workbench';

function vsixPath(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const file = path.join(ROOT, `illustrate-${pkg.version}.vsix`);
  assert.ok(fs.existsSync(file), `${file} exists (npm run package makes it)`);
  return file;
}

function pngSize(b: Buffer): { width: number; height: number } {
  assert.strictEqual(b.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('e2e: the packaged extension in the real VS Code UI', function () {
  this.timeout(180_000);
  const fake = new FakeGemini();
  let host: VsCodeHost;
  let wb: Workbench;
  let workspace = '';

  before(async () => {
    const url = await fake.start();
    workspace = copyWorkspace(path.join(ROOT, 'test', 'fixtures', 'workspace'));
    fs.mkdirSync(path.join(workspace, 'e2e'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'e2e', 'prompt.md'), '# Prompt\n\n');
    fs.writeFileSync(path.join(workspace, 'e2e', 'selection.md'), '# Selection\n\nA watercolour map of the harbour\n\nThe end.\n');
    fs.writeFileSync(path.join(workspace, 'e2e', 'badkey.md'), '# Bad key\n\n');
    host = new VsCodeHost({ workspace, settings: { 'illustrate.baseUrl': url }, vsix: vsixPath() });
    await host.startServer();
    wb = new Workbench(await host.openBrowser());
    await wb.ready();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      await wb.screenshot(`failed-${(this.currentTest.title).replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`);
    }
  });

  after(async () => {
    await host?.stop();
    await fake.stop();
  });

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
