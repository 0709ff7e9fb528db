/**
 * Alt text for existing images, in a real extension host: the diagnostic and its Quick Fix on an
 * image without alt text, Write Missing Alt Text… over a folder (plan and run through the API),
 * one undo for the whole run, a Chinese page described in Chinese.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { makePng } from '../fake-gemini/images';
import { closeAll, docsTree, KEY, requests, resetFake, root, run, uri, waitUntil } from './helpers';

const DESCRIPTION = 'A diagram of the request flow from the browser through the API gateway to the database.';

async function altApi(resource: vscode.Uri): Promise<{ planned: number; written: { file: string; alt: string }[]; decorative: string[]; failed: string[] }> {
  const extension = vscode.extensions.getExtension<{ writeMissingAltText(resource?: vscode.Uri): Promise<unknown> }>('illustrate.illustrate')!;
  const api = extension.isActive ? extension.exports : await extension.activate();
  return (await api.writeMissingAltText(resource)) as never;
}

function withImages(name: string, files: Record<string, string>, images: string[]): string {
  const dir = docsTree(name, files);
  for (const i of images) {
    fs.mkdirSync(path.dirname(path.join(root().fsPath, dir, i)), { recursive: true });
    fs.writeFileSync(path.join(root().fsPath, dir, i), makePng(1200, 700));
  }
  return dir;
}

describe('Alt text for existing images, in a real extension host', function () {
  this.timeout(60_000);
  before(() => run('illustrate.setApiKey', KEY));
  beforeEach(() => resetFake());
  afterEach(() => closeAll());

  it('the diagnostic on an image without alt text; its Quick Fix writes only the alt text', async () => {
    const text = '# Deploy\n\nPush the branch, then open the dashboard:\n\n![](img/dashboard.png "The dashboard")\n\n![A fox](img/fox.png)\n';
    const dir = withImages('alt-fix', { 'page.md': text }, ['img/dashboard.png', 'img/fox.png']);
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/page.md`));
    await vscode.window.showTextDocument(doc);
    const [diag] = await waitUntil('the diagnostic', () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Illustrate'), (d) => d.length === 1);
    assert.strictEqual(diag.message, 'This image has no alt text for readers who cannot see it');
    assert.strictEqual(doc.getText(diag.range), '![](img/dashboard.png "The dashboard")');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(diag.range.start.translate(0, 2), diag.range.start.translate(0, 2)));
    const fix = actions.find((a) => a.title === 'Write alt text with Illustrate');
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    const result = (await vscode.commands.executeCommand(fix.command!.command, ...(fix.command!.arguments ?? []))) as { ok: boolean; message: string };
    assert.ok(result.ok, result.message);
    assert.strictEqual(doc.getText(), text.replace('![](img/dashboard.png', `![${DESCRIPTION}](img/dashboard.png`));
    const [req] = (await requests()).filter((r) => r.url.includes(':generateContent'));
    assert.match(req.url, /gemini-3\.1-flash-lite:generateContent$/);
    assert.match(req.body.contents[0].parts[0].text ?? '', /Section heading: Deploy\nText before the image: Push the branch, then open the dashboard:/);
    assert.strictEqual(req.body.contents[0].parts[1].inlineData?.mimeType, 'image/jpeg', 'sent small, as a JPEG');
    await waitUntil('no diagnostic', () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Illustrate'), (d) => d.length === 0);
  });

  it('Write Missing Alt Text over a folder: markdown and HTML, a Chinese page in Chinese, one undo for the whole run', async () => {
    const en = '# Guide\n\n![image](img/a.png)\n\n<img src="img/b.png" width="300">\n\n![Already fine](img/c.png)\n';
    const zh = '# 指南\n\n部署完成后，打开控制台查看请求的流向和状态：\n\n![](../img/a.png)\n';
    const dir = withImages('alt-run', { 'guide.md': en, 'zh/guide.md': zh }, ['img/a.png', 'img/b.png', 'img/c.png']);
    const result = await altApi(uri(dir));
    assert.strictEqual(result.planned, 3, 'a.png in English and in Chinese, and b.png');
    assert.deepStrictEqual(result.failed, []);
    const enAfter = fs.readFileSync(path.join(root().fsPath, dir, 'guide.md'), 'utf8');
    const zhDoc = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith(`${dir}/zh/guide.md`));
    const enDoc = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith(`${dir}/guide.md`) && !d.uri.path.includes('/zh/'));
    assert.ok(enDoc && zhDoc);
    assert.strictEqual(enDoc.getText(), `# Guide\n\n![${DESCRIPTION}](img/a.png)\n\n<img alt="${DESCRIPTION}" src="img/b.png" width="300">\n\n![Already fine](img/c.png)\n`);
    assert.strictEqual(zhDoc.getText(), zh.replace('![](../img/a.png)', '![请求从浏览器经过 API 网关流向数据库的示意图。](../img/a.png)'));
    assert.strictEqual(enAfter, en, 'edits are left for the user to save, like any edit');
    const sent = (await requests()).filter((r) => r.url.includes(':generateContent'));
    assert.strictEqual(sent.length, 3);
    assert.ok(sent.some((r) => /in Simplified Chinese/.test(r.body.contents[0].parts[0].text ?? '')));
    // One undo takes the whole run back.
    await vscode.window.showTextDocument(enDoc);
    await vscode.commands.executeCommand('undo');
    await waitUntil('the run undone', () => [enDoc.getText(), zhDoc.getText()], ([a, b]) => a === en && b === zh);
  });

  it('the workspace’s illustrate.describeModel (the hostile fixture sets an image model) does not choose what is bought', async () => {
    assert.ok(fs.readFileSync(path.join(root().fsPath, '.vscode/settings.json'), 'utf8').includes('"illustrate.describeModel"'), 'the hostile fixture');
    const dir = withImages('alt-model', { 'page.md': '# Page\n\nThe flow.\n\n![](img/p.png)\n' }, ['img/p.png']);
    const result = await altApi(uri(dir));
    assert.deepStrictEqual(result.failed, []);
    assert.strictEqual(result.written.length, 1);
    const sent = (await requests()).filter((r) => r.url.includes(':generateContent'));
    assert.strictEqual(sent.length, 1);
    assert.match(sent[0].url, /\/gemini-3\.1-flash-lite:generateContent$/, 'the endpoint\'s cheapest Flash-Lite, not the workspace\'s image model');
  });

  it('a decorative verdict on an HTML image gives alt=""; a refusal is reported and changes nothing', async () => {
    const text = '# Home\n\nWelcome. [fake:decorative]\n\n<img src="img/swirl.png">\n';
    const dir = withImages('alt-decorative', { 'home.md': text }, ['img/swirl.png']);
    const result = await altApi(uri(dir));
    assert.deepStrictEqual(result.decorative, [`${dir}/img/swirl.png`]);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith(`${dir}/home.md`))!;
    assert.strictEqual(doc.getText(), text.replace('<img src=', '<img alt="" src='));

    const refused = '# Page\n\nA picture. [fake:refuse]\n\n![](img/x.png)\n';
    const dir2 = withImages('alt-refused', { 'page.md': refused }, ['img/x.png']);
    const out = await altApi(uri(dir2));
    assert.strictEqual(out.written.length, 0);
    assert.match(out.failed[0], /img\/x\.png: The model would not describe this image \(SAFETY\)\. Write its alt text by hand\./);
    assert.strictEqual(fs.readFileSync(path.join(root().fsPath, dir2, 'page.md'), 'utf8'), refused);
  });
});
