/**
 * The link's format wins in the editor: Generate from Alt Text and Fill write `.webp` and `.jpg`
 * links in their own format (converted in the codec's worker thread) and leave the links as written.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { closeAll, docsTree, fillWithApi, KEY, resetFake, root, run, uri } from './helpers';

function formatOf(file: string): string {
  const b = fs.readFileSync(file);
  return b.subarray(8, 12).toString('latin1') === 'WEBP' ? 'webp' : b.readUInt16BE(0) === 0xffd8 ? 'jpeg' : b.subarray(1, 4).toString('latin1') === 'PNG' ? 'png' : 'other';
}

describe('Formats and weight in the editor, in a real extension host', function () {
  this.timeout(60_000);
  before(() => run('illustrate.setApiKey', KEY));
  beforeEach(() => resetFake());
  afterEach(() => closeAll());

  it('Generate from Alt Text on a .webp link writes a WebP there; the link and the page stay as written', async () => {
    const text = '# Page\n\n![the request flow with a cache](img/flow.webp)\n';
    const dir = docsTree('formats', { 'page.md': text });
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/page.md`));
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(text.indexOf('flow.webp'));
    editor.selection = new vscode.Selection(at, at);
    const result = await run('illustrate.generateFromAltText');
    assert.ok(result.ok, result.message);
    assert.match(result.message, /WEBP \(the model sent \d+ KB PNG\)/);
    assert.strictEqual(formatOf(path.join(root().fsPath, dir, 'img/flow.webp')), 'webp');
    assert.strictEqual(doc.getText(), text);
  });

  it('Fill writes .jpg and .webp links in their formats and changes no link', async () => {
    const page = '![a kite over the hills](img/kite.jpg)\n\n![a harbour at dawn](img/harbour.webp)\n';
    const dir = docsTree('formats', { 'page.md': page });
    const result = (await fillWithApi(dir)) as { made: string[] };
    assert.deepStrictEqual([...result.made].sort(), [`${dir}/img/harbour.webp`, `${dir}/img/kite.jpg`]);
    assert.strictEqual(formatOf(path.join(root().fsPath, dir, 'img/kite.jpg')), 'jpeg');
    assert.strictEqual(formatOf(path.join(root().fsPath, dir, 'img/harbour.webp')), 'webp');
    assert.strictEqual(fs.readFileSync(path.join(root().fsPath, dir, 'page.md'), 'utf8'), page);
  });
});
