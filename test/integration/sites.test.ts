/**
 * The site model in the editor: the Quick Fix, Generate from Alt Text and Fill resolve a link
 * where the site serves it, as the command line does. Real extension host, stand-in server.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { cliEnv, illustrate } from '../fixtures/cli';
import { mdxImportsPage } from '../fixtures/docsTree';
import { closeAll, docsTree, fakeUrl, fillWithApi, KEY, requests, resetFake, root, run, uri } from './helpers';

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

  it('on an MDX page with imported images, the Quick Fix and Fill make the files the command line plans, and never change the page', async () => {
    // The first tag's import is 60 lines above it.
    const page = mdxImportsPage(60);
    const dir = docsTree('mdx', { 'website/docusaurus.config.js': '', 'website/docs/intro.mdx': page, 'website/static/img/.keep': '' });
    const base = path.join(root().fsPath, dir);
    // The command line's plan of the same tree.
    const cli = await illustrate(base, ['fill', '--dry-run', '--json'], cliEnv({ ILLUSTRATE_API_KEY: KEY, ILLUSTRATE_BASE_URL: fakeUrl() }));
    assert.strictEqual(cli.code, 0, cli.stderr);
    const planned = (JSON.parse(cli.stdout) as { plan: { targets: { file: string; prompt: string }[] } }).plan.targets.map((t) => [t.file, t.prompt]);
    assert.deepStrictEqual(planned, [
      ['website/docs/img/hero.png', 'A lighthouse at dusk over a calm sea'],
      ['website/static/img/logo.png', 'The project logo, a paper kite'],
    ]);

    // The Quick Fix on the first tag (its import is 60 lines above) makes the file the import names.
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/website/docs/intro.mdx`));
    await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(page.indexOf('src={hero}') + 6);
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(at, at), vscode.CodeActionKind.QuickFix.value)) ?? [];
    const fix = actions.find((a) => a.title === 'Generate "hero.png" from its alt text');
    assert.ok(fix?.command, actions.map((a) => a.title).join(', '));
    const result = (await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []))) as { ok: boolean; message: string };
    assert.ok(result.ok, result.message);
    assert.strictEqual(fs.readFileSync(path.join(base, planned[0][0])).subarray(1, 4).toString('latin1'), 'PNG');
    assert.strictEqual((await requests())[0].body.contents[0].parts[0].text, planned[0][1]);
    assert.strictEqual(doc.getText(), page, 'the imports and tags are as written');

    // Fill makes the rest, where the command line planned it.
    await resetFake();
    const filled = (await fillWithApi(dir)) as { made: string[] };
    assert.deepStrictEqual(filled.made, [`${dir}/${planned[1][0]}`]);
    assert.strictEqual((await requests())[0].body.contents[0].parts[0].text, planned[1][1]);
    assert.strictEqual(fs.readFileSync(path.join(base, 'website/docs/intro.mdx'), 'utf8'), page);
    const again = await illustrate(base, ['check'], cliEnv({ ILLUSTRATE_API_KEY: KEY, ILLUSTRATE_BASE_URL: fakeUrl() }));
    assert.strictEqual(again.code, 0, again.stdout + again.stderr);
  });
});
