/**
 * The web build (dist/web/extension.js) in VS Code's web worker extension host, in the browser:
 * code-server runs an extension's `browser` entry there when `remote.extensionKind` asks for
 * "web", as vscode.dev and github.dev always do. Calls to the stand-in API come from the page
 * (they carry its Origin) and need its CORS headers, as Google's endpoint sends them.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { E2ESession, waitForFile, waitForImage, waitForText, Workbench } from './workbench';

describe('e2e: the web build in the browser\'s web worker extension host', function () {
  this.timeout(240_000);
  const session = new E2ESession();
  const fake = session.fake;
  let wb: Workbench;
  let workspace = '';

  before(async () => {
    await session.start(
      {
        'web.md': '# Web\n\n',
        'docs/a.md': '# A\n\n![a paper boat](img/boat.png)\n\n![a kite \\[fake:jpegAsPng\\]](img/kite.png)\n',
      },
      { 'remote.extensionKind': { 'illustrate.illustrate': ['web'] } },
    );
    wb = session.wb;
    workspace = session.workspace;
    await session.setKey();
  });

  session.hooks();

  it('Generate Image… writes the file and the link, with the request made from the page', async () => {
    await wb.open('e2e/web.md');
    await wb.keys('Control+End');
    await wb.command('Illustrate: Generate Image…');
    await wb.answer('A lighthouse in the browser');
    const png = await waitForFile(path.join(workspace, 'e2e', 'images', 'a-lighthouse-in-the-browser.png'));
    assert.strictEqual(png.subarray(1, 4).toString('latin1'), 'PNG');
    await wb.progressDone();
    await wb.save();
    const expected = '# Web\n\n![A lighthouse in the browser](images/a-lighthouse-in-the-browser.png)';
    assert.strictEqual(await waitForText(path.join(workspace, 'e2e', 'web.md'), expected), expected);
    const generate = fake.requests.find((r) => r.url.includes(':generateContent'));
    assert.ok(generate?.origin, 'the call came from the web worker (a browser request carries an Origin)');
    assert.ok(generate.keyMatched);
  });

  it('the Image Studio opens and generates', async () => {
    await wb.openStudio('A compass rose');
    const studio = wb.studio();
    await studio.getByRole('button', { name: 'Generate', exact: true }).click();
    const preview = studio.locator('section.current figure.result img');
    await preview.waitFor({ timeout: 60_000 });
    assert.strictEqual(await preview.getAttribute('width'), '1376');
    assert.deepStrictEqual(await waitForImage(preview), { complete: true, naturalWidth: 1376 }, 'the preview loads in the webview');
  });

  it('Fill Missing Images fills a small tree in the browser, each image in its link\'s format (converted in a Web Worker): no link changed', async () => {
    await wb.open('e2e/docs/a.md');
    await wb.command('Illustrate: Fill Missing Images…');
    const title = wb.page.locator('.quick-input-widget .quick-input-title');
    await title.waitFor({ timeout: 30_000 });
    assert.match(await title.innerText(), /Fill Missing Images: 2 images/);
    await wb.page.locator('.quick-input-widget .quick-input-box input').press('Enter');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    await wb.notificationText(/Filled 2 of 2 missing images/, 60_000);
    assert.strictEqual((await waitForFile(path.join(workspace, 'e2e', 'docs', 'img', 'boat.png'))).subarray(1, 4).toString('latin1'), 'PNG');
    // The JPEG answer, converted to the PNG its link names by the codec's Web Worker.
    assert.strictEqual((await waitForFile(path.join(workspace, 'e2e', 'docs', 'img', 'kite.png'))).subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(!fs.existsSync(path.join(workspace, 'e2e', 'docs', 'img', 'kite.jpg')));
    const expected = '# A\n\n![a paper boat](img/boat.png)\n\n![a kite \\[fake:jpegAsPng\\]](img/kite.png)\n';
    assert.strictEqual(fs.readFileSync(path.join(workspace, 'e2e', 'docs', 'a.md'), 'utf8'), expected);
  });

  it('an endpoint without CORS headers: one message that names CORS, and nothing written', async () => {
    fake.cors = false;
    try {
      // In the document the fill left open (docs/a.md).
      await wb.keys('Control+End');
      await wb.command('Illustrate: Generate Image…');
      await wb.answer('A blocked kite');
      const message = await wb.notificationText(/CORS/, 60_000);
      assert.match(message, /from the browser: the network failed, or the endpoint does not allow calls from a web page \(CORS\)/);
      assert.ok(!fs.existsSync(path.join(workspace, 'e2e', 'docs', 'images')), 'nothing written');
      assert.strictEqual(fs.readFileSync(path.join(workspace, 'e2e', 'docs', 'a.md'), 'utf8'), '# A\n\n![a paper boat](img/boat.png)\n\n![a kite \\[fake:jpegAsPng\\]](img/kite.png)\n');
    } finally {
      fake.cors = true;
    }
  });
});
