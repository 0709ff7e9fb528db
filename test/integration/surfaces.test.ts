/**
 * The editor's side of the new surfaces, hardened: the fill command cannot be talked out of its
 * cost question, the agent tools write markdown only and make only what they asked about, the scan
 * honours every .gitignore and follows no link out, a repository's prices are not the user's, and
 * a Google key never goes to a gateway nobody chose. Real extension host, stand-in server.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { FillMissingImagesTool, GenerateImageTool } from '../../src/commands/agentTools';
import { closeAll, docsTree, fillWithApi, KEY, requests, resetFake, root, run, uri } from './helpers';
import { testServices } from './studioHarness';

const tree = (files: Record<string, string>): string => docsTree('surfaces', files);
const token = new vscode.CancellationTokenSource().token;

function text(result: vscode.LanguageModelToolResult): string {
  return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

describe('The new surfaces, hardened, in a real extension host', function () {
  this.timeout(60_000);
  before(() => run('illustrate.setApiKey', KEY));
  beforeEach(() => resetFake());
  afterEach(() => closeAll());

  it('illustrate.fillMissingImages ignores a { confirmed: true } argument: the plan is shown and nothing is spent', async () => {
    const dir = tree({ 'a.md': '![a fox](img/fox.png)\n' });
    let settled = false;
    const pending = Promise.resolve(vscode.commands.executeCommand('illustrate.fillMissingImages', uri(dir), { confirmed: true })).finally(() => (settled = true));
    // The plan's quick pick waits for the user; a forged argument does not answer it.
    await new Promise((r) => setTimeout(r, 1500));
    assert.strictEqual(settled, false, 'the command waits for the user');
    assert.strictEqual((await requests()).length, 0, 'nothing spent');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.strictEqual(await pending, undefined);
    assert.ok(!fs.existsSync(path.join(root().fsPath, dir, 'img/fox.png')));
    assert.strictEqual((await requests()).length, 0);
  });

  it('the fill tool makes only what its confirmation showed: images found after it wait for the next one', async () => {
    const dir = tree({ 'a.md': '# Nothing missing yet\n' });
    const tool = new FillMissingImagesTool(await testServices());
    const prepared = await tool.prepareInvocation({ input: { path: dir } }, token);
    assert.strictEqual(prepared.confirmationMessages, undefined, 'nothing to ask about');
    fs.writeFileSync(path.join(root().fsPath, dir, 'a.md'), '![a fox](img/fox.png)\n');
    const result = text(await tool.invoke({ input: { path: dir }, toolInvocationToken: undefined }, token));
    assert.match(result, /^1 missing image\(s\) were found after the confirmation and were not generated/);
    assert.strictEqual((await requests()).length, 0);
    assert.ok(!fs.existsSync(path.join(root().fsPath, dir, 'img/fox.png')));
  });

  it('the generate tool writes links into markdown only, never through a link, and shows paths as code that cannot close', async () => {
    const dir = tree({ 'package.json': '{"name":"x"}\n', 'real.md': '# Real\n' });
    const abs = path.join(root().fsPath, dir);
    fs.symlinkSync(path.join(abs, 'real.md'), path.join(abs, 'linked.md'));
    const tool = new GenerateImageTool(await testServices());
    for (const document of [`${dir}/package.json`, `${dir}/linked.md`]) {
      await assert.rejects(tool.prepareInvocation({ input: { prompt: 'a fox', document } }), /not a markdown file|symbolic link/);
    }
    assert.strictEqual(fs.readFileSync(path.join(abs, 'package.json'), 'utf8'), '{"name":"x"}\n');
    const asked = await tool.prepareInvocation({ input: { prompt: 'a fox', path: `${dir}/a\`b\`.png` } });
    const message = asked.confirmationMessages?.message;
    const shown = typeof message === 'string' ? message : (message?.value ?? '');
    assert.ok(shown.includes(`\`\`${dir}/a\`b\`.png\`\``), shown);
    assert.strictEqual((await requests()).length, 0);
  });

  it('the editor’s fill honours .gitignore at every level and reads nothing through a linked folder', async () => {
    const dir = tree({
      '.gitignore': 'generated/\n',
      'docs/.gitignore': 'drafts/\n',
      'docs/a.md': '![a fox](img/fox.png)\n',
      'docs/drafts/d.md': '![a draft](img/d.png)\n',
      'docs/generated/g.md': '![generated](img/g.png)\n',
    });
    // A folder link inside the tree to docs elsewhere: search follows links, the scan must not.
    const outside = path.join(path.dirname(root().fsPath), `outside-docs-${Date.now().toString(36)}`);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'o.md'), '![through a link](img/o.png)\n');
    fs.symlinkSync(outside, path.join(root().fsPath, dir, 'docs/linked'));
    const result = (await fillWithApi(dir)) as { made: string[] };
    assert.deepStrictEqual(result.made, [`${dir}/docs/img/fox.png`]);
    assert.deepStrictEqual(fs.readdirSync(outside), ['o.md'], 'nothing written outside');
  });

  it('the workspace’s illustrate.prices (the fixture sets them all to 0) does not change the cost the tools show', async () => {
    const dir = tree({ 'a.md': '![a fox](img/fox.png)\n' });
    assert.ok(fs.readFileSync(path.join(root().fsPath, '.vscode/settings.json'), 'utf8').includes('"illustrate.prices"'), 'the hostile fixture');
    const tool = new FillMissingImagesTool(await testServices());
    const title = (await tool.prepareInvocation({ input: { path: dir } }, token)).confirmationMessages?.title as string;
    assert.match(title, /\(≈ \$0\.0[1-9]\d*\)\?$/, title);
  });

  it('Set API Key with a Google key and the endpoint left at its default says it goes to Google; a chosen endpoint gets it', async () => {
    const google = `AIza${'C'.repeat(35)}`;
    const config = vscode.workspace.getConfiguration('illustrate');
    const chosen = config.inspect<string>('baseUrl')?.globalValue;
    try {
      await config.update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
      const routed = await run('illustrate.setApiKey', google);
      assert.match(routed.message, /Google AI Studio key, so it goes to Google's endpoint \(generativelanguage\.googleapis\.com\)/);
      assert.ok(!routed.message.includes(google));
    } finally {
      await config.update('baseUrl', chosen, vscode.ConfigurationTarget.Global);
    }
    const kept = await run('illustrate.setApiKey', google);
    assert.strictEqual(kept.message, "Illustrate: API key saved in VS Code's secret storage.");
    await run('illustrate.setApiKey', KEY);
  });
});
