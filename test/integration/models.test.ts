import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAll, fake, KEY, markdownEditor, requests, resetFake, run } from './helpers';

describe('Choose Model, in a real extension host', () => {
  before(() => run('illustrate.setApiKey', KEY));
  beforeEach(() => resetFake());
  afterEach(async () => {
    await vscode.workspace.getConfiguration('illustrate').update('model', undefined, vscode.ConfigurationTarget.Global);
    await closeAll();
  });

  it("lists the stand-in's image models, writes the pick to the user settings, and the next generation uses it", async () => {
    const pending = vscode.commands.executeCommand('illustrate.chooseModel') as Thenable<{ model?: string; offered: string[]; fromEndpoint: boolean }>;
    // The quick pick opens once the listing is read; then the fourth item is picked, as a user would with the arrow keys.
    await new Promise((r) => setTimeout(r, 2000));
    for (let i = 0; i < 3; i++) {
      await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    }
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const result = await pending;
    assert.ok(result.fromEndpoint, 'the list came from the endpoint');
    assert.deepStrictEqual(result.offered, ['gemini-3.1-flash-image', 'gemini-3-pro-image', 'gemini-3.1-flash-lite-image', 'gemini-4-image-experimental']);
    assert.strictEqual(result.model, 'gemini-4-image-experimental');
    assert.strictEqual(vscode.workspace.getConfiguration('illustrate').inspect('model')?.globalValue, 'gemini-4-image-experimental');
    const listed = await requests();
    assert.ok(listed.every((r) => r.url.startsWith('/v1beta/models?')), 'only the listing was requested');

    await resetFake();
    const { editor } = await markdownEditor('');
    const generated = await run('illustrate.generateFromPrompt', { prompt: 'An experimental picture' });
    assert.ok(generated.ok, generated.message);
    assert.strictEqual(editor.document.getText(), '![An experimental picture](images/an-experimental-picture.png)');
    const [req] = await requests();
    assert.strictEqual(req.model, 'gemini-4-image-experimental');
  });

  it('a retired preview id in the settings still gives an image: the alias heals it', async () => {
    await vscode.workspace.getConfiguration('illustrate').update('model', 'gemini-3-pro-image-preview', vscode.ConfigurationTarget.Global);
    const { editor } = await markdownEditor('');
    const generated = await run('illustrate.generateFromPrompt', { prompt: 'A healed picture' });
    assert.ok(generated.ok, generated.message);
    assert.strictEqual(editor.document.getText(), '![A healed picture](images/a-healed-picture.png)');
    assert.deepStrictEqual((await requests()).map((r) => [r.model, r.status]), [
      ['gemini-3-pro-image-preview', 404],
      ['gemini-3-pro-image', 200],
    ]);
  });
});

describe('Nano Banana 2.1 and the deprecated 3.1 id, in a real extension host', () => {
  before(() => run('illustrate.setApiKey', KEY));
  beforeEach(async () => {
    await resetFake();
    // Google after 3.1 Flash Image's shutdown: 2.1 is listed, 3.1 Flash Image answers 404.
    await fake('/_fake/profile', { profile: 'googleLate2026' });
  });
  afterEach(async () => {
    await vscode.workspace.getConfiguration('illustrate').update('model', undefined, vscode.ConfigurationTarget.Global);
    await closeAll();
  });

  it('Choose Model lists gemini-nano-banana-2.1 with its price and limits', async () => {
    const pending = vscode.commands.executeCommand('illustrate.chooseModel') as Thenable<{ offered: string[]; fromEndpoint: boolean; details: Record<string, string> }>;
    await new Promise((r) => setTimeout(r, 2000));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const result = await pending;
    assert.ok(result.fromEndpoint);
    assert.ok(result.offered.includes('gemini-nano-banana-2.1'), result.offered.join(', '));
    assert.ok(!result.offered.includes('gemini-3.1-flash-image'), 'not listed once shut down');
    assert.match(result.details['gemini-nano-banana-2.1'], /^Nano Banana 2\.1 · ≈ \$0\.034 per image at 1K · sizes 1K, 2K, 4K · 14 aspect ratios · up to 10 references · Google's recommended image model$/);
  });

  it('a request with the deprecated 3.1 id that the endpoint answers 404 heals to 2.1 once, and 2.1 is used from then on', async () => {
    await vscode.workspace.getConfiguration('illustrate').update('model', 'gemini-3.1-flash-image', vscode.ConfigurationTarget.Global);
    const { editor } = await markdownEditor('');
    const first = await run('illustrate.generateFromPrompt', { prompt: 'A healed picture' });
    assert.ok(first.ok, first.message);
    assert.strictEqual(editor.document.getText(), '![A healed picture](images/a-healed-picture.png)');
    assert.deepStrictEqual((await requests()).map((r) => [r.model, r.status]), [
      ['gemini-3.1-flash-image', 404],
      ['gemini-3.1-flash-image-preview', 404],
      ['gemini-nano-banana-2.1', 200],
    ]);
    await resetFake();
    await fake('/_fake/profile', { profile: 'googleLate2026' });
    const second = await run('illustrate.generateFromPrompt', { prompt: 'Another picture' });
    assert.ok(second.ok, second.message);
    assert.deepStrictEqual((await requests()).map((r) => [r.model, r.status]), [['gemini-nano-banana-2.1', 200]], 'remembered for this endpoint');

    // The endpoint serves 3.1 again (the other tests' stand-in): what was remembered answers 404, and 3.1 is used again.
    await resetFake();
    const third = await run('illustrate.generateFromPrompt', { prompt: 'A third picture' });
    assert.ok(third.ok, third.message);
    assert.deepStrictEqual((await requests()).map((r) => [r.model, r.status]), [
      ['gemini-nano-banana-2.1', 404],
      ['gemini-3.1-flash-image', 200],
    ]);
  });
});
