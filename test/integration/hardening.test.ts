import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { bytes, closeAll, KEY, list, markdownEditor, requests, resetFake, root, run, script, uri } from './helpers';

/** A folder beside the workspace: what a hostile repository would like to write into. */
function outsideDir(): string {
  const dir = path.join(path.dirname(root().fsPath), `outside-${Date.now().toString(36)}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

async function quickFixes(document: vscode.TextDocument, offset: number): Promise<string[]> {
  const at = document.positionAt(offset);
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, new vscode.Range(at, at), vscode.CodeActionKind.QuickFix.value)) ?? [];
  return actions.map((a) => a.title).filter((t) => t.includes('from its alt text'));
}

describe('Hardening, in a real extension host', () => {
  before(async () => {
    await run('illustrate.setApiKey', KEY);
  });
  beforeEach(() => resetFake());
  afterEach(() => closeAll());

  describe('links in the repository are not a way out', () => {
    it('a destination folder that is a link to outside the workspace is refused before anything is sent', async () => {
      const outside = outsideDir();
      const text = '# Doc\n\n';
      const { editor, dir } = await markdownEditor(text);
      fs.symlinkSync(outside, path.join(uri(dir).fsPath, 'images'));
      const result = await run('illustrate.generateFromPrompt', { prompt: 'A map through a link' });
      assert.strictEqual(result.ok, false);
      assert.match(result.message, /symbolic link that leads outside the workspace/);
      assert.deepStrictEqual(fs.readdirSync(outside), [], 'nothing written outside');
      assert.strictEqual(editor.document.getText(), text);
      assert.strictEqual((await requests()).length, 0, 'nothing sent, nothing billed');
    });

    it('a dangling link next to ![logo](logo.png): no Quick Fix, and the command refuses without sending', async () => {
      const outside = outsideDir();
      const text = '# Doc\n\n![a company logo](logo.png)\n';
      const { editor, dir } = await markdownEditor(text, 12);
      const target = path.join(outside, 'outside.png');
      fs.symlinkSync(path.relative(uri(dir).fsPath, target), path.join(uri(dir).fsPath, 'logo.png'));
      assert.deepStrictEqual(await quickFixes(editor.document, 12), [], 'no Quick Fix for a link');
      const result = await run('illustrate.generateFromAltText');
      assert.strictEqual(result.ok, false);
      assert.match(result.message, /symbolic link/);
      assert.ok(!fs.existsSync(target), 'the link target was not created');
      assert.strictEqual(editor.document.getText(), text);
      assert.strictEqual((await requests()).length, 0);
    });

    it('a link inside the workspace is fine: the real path is what counts', async () => {
      const text = '# Doc\n\n![a small chart](pics/chart.png)\n';
      const { editor, dir } = await markdownEditor(text, 12);
      const real = uri(`${dir}/real-pics`);
      await vscode.workspace.fs.createDirectory(real);
      fs.symlinkSync(real.fsPath, path.join(uri(dir).fsPath, 'pics'));
      assert.deepStrictEqual(await quickFixes(editor.document, 12), ['Generate "chart.png" from its alt text']);
      const result = await run('illustrate.generateFromAltText');
      assert.ok(result.ok, result.message);
      assert.deepStrictEqual(await list(`${dir}/real-pics`), ['chart.png']);
    });
  });

  describe('names from a document', () => {
    it('a NUL in a percent-decoded link target is refused before sending', async () => {
      const text = '![a picture](images/bad%00name.png)\n';
      const { editor } = await markdownEditor(text, 4);
      const result = await run('illustrate.generateFromAltText');
      assert.strictEqual(result.ok, false);
      assert.match(result.message, /control character/);
      assert.strictEqual(editor.document.getText(), text);
      assert.strictEqual((await requests()).length, 0);
    });

    it('a prompt that slugs to a device name gets a suffix', async () => {
      const { editor, dir } = await markdownEditor('');
      const result = await run('illustrate.generateFromPrompt', { prompt: 'CON' });
      assert.ok(result.ok, result.message);
      assert.strictEqual(editor.document.getText(), '![CON](images/con-image.png)');
      assert.deepStrictEqual(await list(`${dir}/images`), ['con-image.png']);
    });
  });

  describe('two generations that finish together', () => {
    it('both are written: the second takes the next free name instead of failing after it was paid for', async () => {
      const { editor, dir } = await markdownEditor('');
      await script({ mode: 'slow', arg: 300 }, { mode: 'slow', arg: 300 });
      const [a, b] = await Promise.all([run('illustrate.generateFromPrompt', { prompt: 'Twin towers' }), run('illustrate.generateFromPrompt', { prompt: 'Twin towers' })]);
      assert.ok(a.ok, a.message);
      assert.ok(b.ok, b.message);
      assert.deepStrictEqual(await list(`${dir}/images`), ['twin-towers-1.png', 'twin-towers.png']);
      const text = editor.document.getText();
      assert.ok(text.includes('(images/twin-towers.png)') && text.includes('(images/twin-towers-1.png)'), text);
      assert.ok((await bytes(uri(`${dir}/images/twin-towers-1.png`))).subarray(1, 4).toString() === 'PNG');
    });
  });

  describe('settings from an untrusted repository', () => {
    it('a workspace timeout of 0.05 s is clamped to 10 s: the request still completes', async () => {
      const config = vscode.workspace.getConfiguration('illustrate');
      await config.update('requestTimeoutSeconds', 0.05, vscode.ConfigurationTarget.Workspace);
      try {
        await markdownEditor('');
        await script({ mode: 'slow', arg: 400 });
        const result = await run('illustrate.generateFromPrompt', { prompt: 'A patient picture' });
        assert.ok(result.ok, result.message);
      } finally {
        await config.update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });
  });
});
