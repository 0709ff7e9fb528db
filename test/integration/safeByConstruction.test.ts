/**
 * Issue 31's findings in the editor, in a real extension host: a file name cannot put markup or a
 * command link into the hover, and a command link's arguments cannot make Edit Image, Regenerate
 * or Write Alt Text read, send or spend on a file of their choosing (finding 1); an existing
 * image linked to a file outside the workspace is never read or described (finding 5).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { makePng } from '../fake-gemini/images';
import { closeAll, docsTree, KEY, requests, resetFake, root, run, uri } from './helpers';

function outsideDir(): string {
  const dir = path.join(path.dirname(root().fsPath), `outside-safe-${Date.now().toString(36)}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

async function hoverText(doc: vscode.TextDocument, at: string): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, doc.positionAt(doc.getText().indexOf(at)));
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('Safe by construction, in a real extension host', function () {
  this.timeout(60_000);
  before(() => run('illustrate.setApiKey', KEY));
  beforeEach(() => resetFake());
  afterEach(() => closeAll());

  it('a file name with blank lines and an <a href="command:…"> adds no markup and no command link to the hover (finding 1)', async () => {
    const name = "x\n\n<a href='command:illustrate.editImage?%5B%7B%7D%5D'>Regenerate</a> ![y](command:illustrate.regenerateImage).png";
    const dir = docsTree('hover-name', { 'page.md': '# Page\n\n![a kite](<img/evil.png>)\n' });
    const img = path.join(root().fsPath, dir, 'img');
    fs.mkdirSync(img, { recursive: true });
    fs.writeFileSync(path.join(img, name.replace(/\//g, '%2F')), makePng(32, 32));
    // The link names that file: its name percent-encoded, as a writer (or an attacker) would.
    const page = path.join(root().fsPath, dir, 'page.md');
    fs.writeFileSync(page, `# Page\n\n![a kite](img/${encodeURIComponent(name.replace(/\//g, '%2F'))})\n`);
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/page.md`));
    await vscode.window.showTextDocument(doc);
    const text = await hoverText(doc, 'a kite');
    assert.ok(text.includes('width="240"'), `the hover shows the picture: ${text}`);
    // Every command link is one of the hover's own, each once: Edit… and Open in Studio.
    const links = [...text.matchAll(/(?<!\\)\]\(command:([\w.]+)/g)].map((m) => m[1]);
    assert.deepStrictEqual(links, ['illustrate.editImage', 'illustrate.openStudio'], text);
    assert.match(text, /\[Edit…\]\(command:illustrate\.editImage\?/);
    assert.doesNotMatch(text, /(?<!\\)<a\b/i, 'no HTML element from the file name: its < is escaped');
    assert.doesNotMatch(text, /\n\n<a|%0A%0A<a/, text);
    // The name is shown as text: its markup characters are escaped.
    assert.match(text, /\\<a href='command\\:|\\<a href=/, text);
  });

  it('Edit Image with a file outside every workspace folder and an instruction in its arguments is refused: nothing read, sent or written (finding 1)', async () => {
    const outside = outsideDir();
    const file = path.join(outside, 'victim.png');
    const before = makePng(40, 40);
    fs.writeFileSync(file, before);
    const result = await run('illustrate.editImage', vscode.Uri.file(file), 'paint it black');
    assert.strictEqual(result.ok, false);
    assert.match(result.message, /victim\.png is not inside a folder of this workspace/);
    assert.strictEqual((await requests()).length, 0, 'nothing sent');
    assert.ok(fs.readFileSync(file).equals(before), 'the file outside is unchanged');
  });

  it('Regenerate, Edit and Write Alt Text with arguments Illustrate did not issue work on the cursor only: a page outside is not read, nothing is spent (finding 1)', async () => {
    const outside = outsideDir();
    fs.mkdirSync(path.join(outside, 'img'));
    fs.writeFileSync(path.join(outside, 'page.md'), '![the new flow](img/flow.png)\n');
    fs.writeFileSync(path.join(outside, 'img/flow.png'), makePng(40, 40));
    const forged = { uri: vscode.Uri.file(path.join(outside, 'page.md')).toString(), offset: 0 };
    for (const command of ['illustrate.regenerateImage', 'illustrate.writeAltText', 'illustrate.generateFromAltText']) {
      const result = await run(command, forged);
      assert.strictEqual(result?.ok ?? false, false, `${command}: ${result?.message}`);
    }
    // A forged ticket is no ticket.
    const edit = await run('illustrate.regenerateImage', { ...forged, ticket: '00'.repeat(16) });
    assert.strictEqual(edit.ok, false);
    assert.strictEqual((await requests()).length, 0, 'nothing sent');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath.startsWith(outside)), 'the page outside was not even opened');
  });

  it('Write alt text on an image linked to a file outside the workspace says why and sends nothing (finding 5)', async () => {
    const outside = outsideDir();
    const secret = makePng(48, 48);
    fs.writeFileSync(path.join(outside, 'private.png'), secret);
    const dir = docsTree('linked-image', { 'page.md': '# Page\n\n![](img/secret.png)\n' });
    fs.mkdirSync(path.join(root().fsPath, dir, 'img'), { recursive: true });
    fs.symlinkSync(path.join(outside, 'private.png'), path.join(root().fsPath, dir, 'img/secret.png'));
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/page.md`));
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(doc.getText().indexOf('secret'));
    editor.selection = new vscode.Selection(at, at);
    const result = await run('illustrate.writeAltText');
    assert.strictEqual(result.ok, false, result.message);
    assert.match(result.message, /symbolic link that leads outside the workspace folder/);
    assert.strictEqual((await requests()).length, 0, 'nothing sent');
    assert.strictEqual(doc.getText(), '# Page\n\n![](img/secret.png)\n');
    // Edit Image on it, likewise.
    const edited = await run('illustrate.editImage', vscode.Uri.file(path.join(root().fsPath, dir, 'img/secret.png')), 'x');
    assert.strictEqual(edited.ok, false);
    assert.match(edited.message, /symbolic link that leads outside the workspace folder/);
    assert.strictEqual((await requests()).length, 0, 'nothing sent');
    assert.ok(fs.readFileSync(path.join(outside, 'private.png')).equals(secret));
  });
});
