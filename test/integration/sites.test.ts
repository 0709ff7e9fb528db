/**
 * The site model in the editor: the Quick Fix, Generate from Alt Text and Fill resolve a link
 * where the site serves it, as the command line does. Real extension host, stand-in server.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { closeAll, docsTree, fillWithApi, KEY, requests, resetFake, root, run, uri } from './helpers';

describe('Docs sites in the editor, in a real extension host', function () {
  this.timeout(60_000);
  before(() => run('illustrate.setApiKey', KEY));
  beforeEach(() => resetFake());
  afterEach(() => closeAll());

  it('the Quick Fix on ![…](/img/x.png) in a Docusaurus page writes website/static/img/x.png, and the page is unchanged', async () => {
    const text = '# Guide\n\n![the request flow, from browser to database](/img/flow.png)\n';
    const dir = docsTree('docusaurus', { 'website/docusaurus.config.js': '', 'website/docs/guide.md': text, 'website/static/img/.keep': '' });
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/website/docs/guide.md`));
    await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(text.indexOf('flow.png'));
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(at, at), vscode.CodeActionKind.QuickFix.value)) ?? [];
    const fix = actions.find((a) => a.title === 'Generate "flow.png" from its alt text');
    assert.ok(fix?.command, actions.map((a) => a.title).join(', '));
    const result = (await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []))) as { ok: boolean; message: string };
    assert.ok(result.ok, result.message);
    const written = path.join(root().fsPath, dir, 'website/static/img/flow.png');
    assert.strictEqual(fs.readFileSync(written).subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(!fs.existsSync(path.join(root().fsPath, 'img')) && !fs.existsSync(path.join(root().fsPath, dir, 'img')), 'nothing at a root');
    assert.strictEqual(doc.getText(), text);
    const sent = (await requests())[0].body.contents[0].parts[0].text;
    assert.strictEqual(sent, 'the request flow, from browser to database');
  });

  it('Fill on a VitePress tree writes into docs/public and takes the prompt from the default language', async () => {
    const dir = docsTree('vitepress', {
      'docs/.vitepress/config.mts': '',
      'docs/en/guide.md': '![the search modal, open over a page](/search.png)\n',
      'docs/zh/guide.md': '![搜索弹窗](/search.png)\n',
      'docs/public/.keep': '',
    });
    const result = (await fillWithApi(dir)) as { made: string[] };
    assert.deepStrictEqual(result.made, [`${dir}/docs/public/search.png`]);
    assert.strictEqual((await requests())[0].body.contents[0].parts[0].text, 'the search modal, open over a page');
    assert.strictEqual(fs.readFileSync(path.join(root().fsPath, dir, 'docs/zh/guide.md'), 'utf8'), '![搜索弹窗](/search.png)\n');
  });
});
