import * as assert from 'assert';
import * as vscode from 'vscode';
import { bytes, closeAll, exists, KEY, list, markdownEditor, pngSize, requests, resetFake, root, run, script, uri } from './helpers';

const EXTENSION_ID = 'illustrate.illustrate';

describe('Illustrate in a real extension host', () => {
  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'the extension is installed');
    await ext.activate();
    await run('illustrate.setApiKey', KEY);
  });

  beforeEach(async () => {
    await resetFake();
  });

  afterEach(async () => {
    await closeAll();
  });

  describe('commands', () => {
    it('registers every command package.json contributes, and contributes every command it registers', async () => {
      const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string; category: string }[] } };
      const contributed = pkg.contributes.commands.map((c) => c.command).sort();
      const registered = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('illustrate.')).sort();
      assert.deepStrictEqual(registered, contributed);
      assert.deepStrictEqual(contributed, [
        'illustrate.chooseModel',
        'illustrate.clearApiKey',
        'illustrate.editImage',
        'illustrate.fillMissingImages',
        'illustrate.generateFromAltText',
        'illustrate.generateFromPrompt',
        'illustrate.generateFromSelection',
        'illustrate.getStarted',
        'illustrate.keepImage',
        'illustrate.makeDarkTwin',
        'illustrate.makeDarkTwins',
        'illustrate.makeTransparent',
        'illustrate.makeTransparentAll',
        'illustrate.openStudio',
        'illustrate.regenerateImage',
        'illustrate.reviewImages',
        'illustrate.setApiKey',
        'illustrate.showBatchJobs',
        'illustrate.translateImage',
        'illustrate.translateImages',
        'illustrate.undoImageReplace',
        'illustrate.writeAltText',
        'illustrate.writeMissingAltText',
      ]);
      assert.ok(pkg.contributes.commands.every((c) => c.category === 'Illustrate'));
    });
  });

  describe('generate from a prompt', () => {
    it('writes the image into images/ beside the document and links it at the cursor', async () => {
      const text = '# Title\n\nBefore  after\n';
      const { editor, dir } = await markdownEditor(text, text.indexOf(' after'));
      const result = await run('illustrate.generateFromPrompt', { prompt: 'A lighthouse at dusk' });
      assert.ok(result.ok, result.message);
      assert.strictEqual(editor.document.getText(), '# Title\n\nBefore ![A lighthouse at dusk](images/a-lighthouse-at-dusk.png) after\n');
      assert.strictEqual(editor.document.isDirty, true, 'the document is left for the user to save, like any edit');
      const file = uri(`${dir}/images/a-lighthouse-at-dusk.png`);
      const png = await bytes(file);
      assert.deepStrictEqual(pngSize(png), { width: 1376, height: 768 });
      assert.ok(png.includes(Buffer.from('A lighthouse at dusk')), 'the prompt is embedded in the file');
      assert.match(result.message, /1376×768 PNG/);
      const [req] = await requests();
      assert.strictEqual(req.model, 'gemini-3.1-flash-image');
      assert.deepStrictEqual(req.body.generationConfig.imageConfig, { aspectRatio: '16:9', imageSize: '1K' });
    });

    it("adds the workspace's style to the prompt it sends; the link keeps the user's words", async () => {
      const config = vscode.workspace.getConfiguration('illustrate');
      await config.update('style', 'flat vector, white background', vscode.ConfigurationTarget.Workspace);
      try {
        const { editor } = await markdownEditor('');
        const result = await run('illustrate.generateFromPrompt', { prompt: 'A styled lighthouse' });
        assert.ok(result.ok, result.message);
        assert.strictEqual(editor.document.getText(), '![A styled lighthouse](images/a-styled-lighthouse.png)');
        const [req] = await requests();
        assert.strictEqual(req.body.contents[0].parts[0].text, 'A styled lighthouse\n\nStyle: flat vector, white background');
      } finally {
        await config.update('style', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });

    it('never overwrites: the same prompt twice makes name-1', async () => {
      const { editor, dir } = await markdownEditor('');
      assert.ok((await run('illustrate.generateFromPrompt', { prompt: 'a red kite' })).ok);
      editor.selection = new vscode.Selection(editor.document.positionAt(editor.document.getText().length), editor.document.positionAt(editor.document.getText().length));
      await editor.edit((e) => e.insert(editor.selection.active, '\n'));
      assert.ok((await run('illustrate.generateFromPrompt', { prompt: 'a red kite' })).ok);
      assert.strictEqual(editor.document.getText(), '![a red kite](images/a-red-kite.png)\n![a red kite](images/a-red-kite-1.png)');
      assert.deepStrictEqual(await list(`${dir}/images`), ['a-red-kite-1.png', 'a-red-kite.png']);
    });

    it('one undo removes both the link and the file', async () => {
      const text = 'Start\n';
      const { editor, dir } = await markdownEditor(text);
      assert.ok((await run('illustrate.generateFromPrompt', { prompt: 'an owl' })).ok);
      assert.strictEqual(editor.document.getText(), 'Start\n![an owl](images/an-owl.png)');
      assert.ok(await exists(uri(`${dir}/images/an-owl.png`)));
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('undo');
      await waitFor(async () => !(await exists(uri(`${dir}/images/an-owl.png`))), 'the image file is removed by the undo');
      assert.strictEqual(editor.document.getText(), text);
    });

    it('the link lands where the command started even when the user types while waiting', async () => {
      const text = 'Top\n\nHere: \n';
      const { editor } = await markdownEditor(text, text.indexOf('\n', 6));
      await script({ mode: 'slow', arg: 1500 });
      const pending = run('illustrate.generateFromPrompt', { prompt: 'a fox' });
      await new Promise((r) => setTimeout(r, 400));
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'Typed meanwhile. '));
      const result = await pending;
      assert.ok(result.ok, result.message);
      assert.strictEqual(editor.document.getText(), 'Typed meanwhile. Top\n\nHere: ![a fox](images/a-fox.png)\n');
    });

    it('with a non-markdown editor, saves beside it, opens the image and inserts nothing', async () => {
      const notes = uri('notes.txt');
      const before = await bytes(notes);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(notes));
      const result = await run('illustrate.generateFromPrompt', { prompt: 'a plain sailboat' });
      assert.ok(result.ok, result.message);
      assert.deepStrictEqual(await bytes(notes), before);
      assert.strictEqual((await vscode.workspace.openTextDocument(notes)).getText(), before.toString());
      assert.deepStrictEqual(pngSize(await bytes(uri('images/a-plain-sailboat.png'))), { width: 1376, height: 768 });
    });

    it('with no editor at all, saves into images/ at the workspace root', async () => {
      await closeAll();
      const result = await run('illustrate.generateFromPrompt', { prompt: 'a quiet harbour' });
      assert.ok(result.ok, result.message);
      assert.ok(await exists(uri('images/a-quiet-harbour.png')));
    });
  });

  describe('generate from the selection', () => {
    it('uses the selected text, keeps the selection, and puts the link on its own line after it', async () => {
      const text = 'Intro\n\nA diagram of the build pipeline\n\nNext paragraph\n';
      const start = text.indexOf('A diagram');
      const end = start + 'A diagram of the build pipeline'.length;
      const { editor, dir } = await markdownEditor(text);
      editor.selection = new vscode.Selection(editor.document.positionAt(start), editor.document.positionAt(end));
      const result = await run('illustrate.generateFromSelection');
      assert.ok(result.ok, result.message);
      assert.strictEqual(
        editor.document.getText(),
        'Intro\n\nA diagram of the build pipeline\n\n![A diagram of the build pipeline](images/a-diagram-of-the-build-pipeline.png)\n\nNext paragraph\n',
      );
      assert.strictEqual(editor.document.getText(editor.selection), 'A diagram of the build pipeline');
      assert.ok(await exists(uri(`${dir}/images/a-diagram-of-the-build-pipeline.png`)));
    });

    it('with an empty selection says what to do and changes nothing', async () => {
      const { editor, dir } = await markdownEditor('Nothing selected\n', 3);
      const result = await run('illustrate.generateFromSelection');
      assert.strictEqual(result.ok, false);
      assert.match(result.message, /[Ss]elect/);
      assert.strictEqual(editor.document.getText(), 'Nothing selected\n');
      assert.deepStrictEqual(await list(dir), ['doc.md']);
    });
  });

  describe('generate from alt text', () => {
    it('writes a missing target exactly where the link points, leaving the text as it is', async () => {
      const text = 'See:\n\n![a red bicycle leaning on a wall](art/bike.png)\n';
      const { editor, dir } = await markdownEditor(text, text.indexOf('red'));
      const result = await run('illustrate.generateFromAltText');
      assert.ok(result.ok, result.message);
      assert.strictEqual(editor.document.getText(), text);
      assert.deepStrictEqual(pngSize(await bytes(uri(`${dir}/art/bike.png`))), { width: 1376, height: 768 });
      assert.strictEqual((await requests())[0].body.contents[0].parts[0].text, 'a red bicycle leaning on a wall');
    });

    it('a JPEG answer for a .png link is written as a PNG: the link is honoured, not rewritten', async () => {
      const text = '![a grey stone](<my pics/stone.png>)\n';
      const { editor, dir } = await markdownEditor(text, 5);
      await script('jpegAsPng');
      const result = await run('illustrate.generateFromAltText');
      assert.ok(result.ok, result.message);
      assert.strictEqual(editor.document.getText(), text);
      const png = await bytes(uri(`${dir}/my pics/stone.png`));
      assert.strictEqual(png.subarray(1, 4).toString('latin1'), 'PNG');
      assert.ok(!(await exists(uri(`${dir}/my pics/stone.jpg`))));
    });

    it('an existing target gets a new file beside it (name-1) and the link points to it', async () => {
      const text = '![a blue door](door.png)\n';
      const { editor, dir } = await markdownEditor(text, 3);
      const original = Buffer.from('not really an image, but the user\'s file');
      await vscode.workspace.fs.writeFile(uri(`${dir}/door.png`), original);
      const result = await run('illustrate.generateFromAltText');
      assert.ok(result.ok, result.message);
      assert.strictEqual(editor.document.getText(), '![a blue door](door-1.png)\n');
      assert.deepStrictEqual(await bytes(uri(`${dir}/door.png`)), original);
      assert.ok(await exists(uri(`${dir}/door-1.png`)));
    });

    it('reference-style images are filled in at the definition', async () => {
      const text = 'Text ![a yellow submarine][sub] more.\n\n[sub]: media/sub.png\n';
      const { editor, dir } = await markdownEditor(text, 8);
      const result = await run('illustrate.generateFromAltText');
      assert.ok(result.ok, result.message);
      assert.strictEqual(editor.document.getText(), text);
      assert.ok(await exists(uri(`${dir}/media/sub.png`)));
    });

    it('is offered as a Quick Fix on an image whose file is missing, and the fix works', async () => {
      const text = '![a green tree on a hill](trees/tree.png)\n\n![present](here.png)\n';
      const { editor, dir } = await markdownEditor(text, 4);
      await vscode.workspace.fs.writeFile(uri(`${dir}/here.png`), Buffer.from('x'));
      const at = (offset: number) => new vscode.Range(editor.document.positionAt(offset), editor.document.positionAt(offset));
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, at(4), vscode.CodeActionKind.QuickFix.value)) ?? [];
      const fix = actions.find((a) => a.title === 'Generate "tree.png" from its alt text');
      assert.ok(fix?.command, `Quick Fix offered; got: ${actions.map((a) => a.title).join(', ')}`);
      const none = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, at(text.indexOf('present')), vscode.CodeActionKind.QuickFix.value)) ?? [];
      assert.ok(!none.some((a) => a.title.includes('from its alt text')), 'no fix for an image that exists');
      const result = (await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []))) as { ok: boolean; message: string };
      assert.ok(result.ok, result.message);
      assert.ok(await exists(uri(`${dir}/trees/tree.png`)));
      assert.strictEqual(editor.document.getText(), text);
    });
  });

  describe('failures leave the document and the folder as they were', () => {
    const cases: { name: string; steps: (string | { mode: string; arg?: number })[]; message: RegExp }[] = [
      { name: 'a blocked image', steps: ['blocked'], message: /safety filter/ },
      { name: 'a text-only refusal', steps: ['refusal'], message: /unable to help/ },
      { name: 'a daily quota', steps: ['dailyQuota'], message: /daily quota/ },
      { name: 'an unknown model', steps: ['notFound'], message: /gemini-3\.1-flash-image/ },
      { name: 'an HTML page', steps: ['htmlOk'], message: /web page/ },
      { name: 'an overloaded model, three times', steps: ['overloaded', 'overloaded', 'overloaded'], message: /overloaded right now/ },
      { name: 'a quota that asks for a long wait', steps: ['quotaLong'], message: /asks to wait 75 s/ },
      { name: 'a truncated answer', steps: ['truncated', 'truncated', 'truncated'], message: /incomplete|malformed|connection/i },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const text = '# Keep me\n\nexactly so\n';
        const { editor, dir } = await markdownEditor(text, 5);
        await script(...c.steps);
        const result = await run('illustrate.generateFromPrompt', { prompt: 'a test picture' });
        assert.strictEqual(result.ok, false);
        assert.match(result.message, c.message);
        assert.ok(!result.message.includes(KEY));
        assert.strictEqual(editor.document.getText(), text);
        assert.strictEqual(editor.document.isDirty, false);
        assert.deepStrictEqual(await list(dir), ['doc.md']);
      });
    }

    it('a bad key says to set it again, and nothing changes', async () => {
      const { editor, dir } = await markdownEditor('x\n', 1);
      await run('illustrate.setApiKey', 'sk-not-the-right-key-42');
      try {
        const result = await run('illustrate.generateFromPrompt', { prompt: 'anything' });
        assert.strictEqual(result.ok, false);
        assert.match(result.message, /Set API Key/);
        assert.ok(!result.message.includes('sk-not-the-right-key-42'));
        assert.strictEqual(editor.document.getText(), 'x\n');
        assert.deepStrictEqual(await list(dir), ['doc.md']);
      } finally {
        await run('illustrate.setApiKey', KEY);
      }
    });

    it('an unwritable destination (a file where the folder should be) says so', async () => {
      const { editor, dir } = await markdownEditor('w\n', 1);
      await vscode.workspace.fs.writeFile(uri(`${dir}/images`), Buffer.from('a file, not a folder'));
      const result = await run('illustrate.generateFromPrompt', { prompt: 'cannot land' });
      assert.strictEqual(result.ok, false);
      assert.match(result.message, /Could not write|not writable/);
      assert.strictEqual(editor.document.getText(), 'w\n');
      assert.deepStrictEqual(await list(dir), ['doc.md', 'images']);
      assert.strictEqual((await bytes(uri(`${dir}/images`))).toString(), 'a file, not a folder');
    });

    it('a timeout has its own message and writes nothing', async () => {
      const config = vscode.workspace.getConfiguration('illustrate');
      // The shortest timeout the setting allows (shorter values are clamped to it).
      await config.update('requestTimeoutSeconds', 10, vscode.ConfigurationTarget.Global);
      try {
        const { editor, dir } = await markdownEditor('t\n', 1);
        await script({ mode: 'slow', arg: 12_000 });
        const result = await run('illustrate.generateFromPrompt', { prompt: 'too slow' });
        assert.strictEqual(result.ok, false);
        assert.match(result.message, /did not answer within 10 s.*requestTimeoutSeconds/);
        assert.strictEqual(editor.document.getText(), 't\n');
        assert.deepStrictEqual(await list(dir), ['doc.md']);
      } finally {
        await config.update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('a destination outside the workspace is refused', async () => {
      const config = vscode.workspace.getConfiguration('illustrate');
      await config.update('destination', '../../outside/', vscode.ConfigurationTarget.Global);
      try {
        const { editor, dir } = await markdownEditor('y\n', 1);
        const result = await run('illustrate.generateFromPrompt', { prompt: 'escape' });
        assert.strictEqual(result.ok, false);
        assert.match(result.message, /outside the workspace/);
        assert.strictEqual(editor.document.getText(), 'y\n');
        assert.deepStrictEqual(await list(dir), ['doc.md']);
        assert.strictEqual((await requests()).length, 0, 'nothing is sent for a refused destination');
      } finally {
        await config.update('destination', undefined, vscode.ConfigurationTarget.Global);
      }
    });
  });

  describe('the API key', () => {
    it('is kept in SecretStorage: clear, then a generation asks for it and stops cleanly when dismissed', async () => {
      const { editor, dir } = await markdownEditor('z\n', 1);
      await run('illustrate.clearApiKey');
      try {
        const pending = run('illustrate.generateFromPrompt', { prompt: 'needs a key' });
        await new Promise((r) => setTimeout(r, 800));
        await vscode.commands.executeCommand('notifications.clearAll');
        const result = await pending;
        assert.strictEqual(result.ok, false);
        assert.match(result.message, /No API key is set/);
        assert.strictEqual((await requests()).length, 0);
        assert.strictEqual(editor.document.getText(), 'z\n');
        assert.deepStrictEqual(await list(dir), ['doc.md']);
      } finally {
        await run('illustrate.setApiKey', KEY);
      }
      assert.ok((await run('illustrate.generateFromPrompt', { prompt: 'has a key again' })).ok);
      const [req] = await requests();
      assert.ok(req.keyMatched, 'the stored key is the one sent');
    });

    it("a workspace settings.json cannot change where the key goes or how it is sent", async () => {
      const inspected = vscode.workspace.getConfiguration('illustrate').inspect<string>('baseUrl');
      assert.strictEqual(inspected?.workspaceValue ?? inspected?.workspaceFolderValue, undefined, 'application-scoped: VS Code drops the workspace value');
      const raw = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root(), '.vscode', 'settings.json'))).toString();
      assert.match(raw, /127\.0\.0\.1:9\/steal/, 'the hostile workspace setting is there');
      await markdownEditor('');
      const result = await run('illustrate.generateFromPrompt', { prompt: 'where does the key go' });
      assert.ok(result.ok, result.message);
      const [req] = await requests();
      assert.ok(req.keyMatched);
      assert.strictEqual(req.auth, 'bearer', 'the workspace asked for x-goog-api-key; the user setting (auto) wins');
    });
  });
});

async function waitFor(check: () => Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting: ${what}`);
}
