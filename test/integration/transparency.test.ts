/**
 * Transparent backgrounds in the editor, in a real extension host against the stand-in: the Quick
 * Fix "Make the background … transparent" on a picture already in the docs (its file replaced in
 * place by a PNG with alpha, one Undo brings the old bytes back), and "illustrate.transparentBackground"
 * for a new picture (a .jpg link refused before anything is sent), and Make Backgrounds
 * Transparent… over a folder (the plan, what it leaves out and why, one undo for the whole run).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { readProvenance, withMetadata } from '../../src/core/images/metadata';
import { MakeTransparentTool } from '../../src/commands/agentTools';
import { ImageFiles } from '../../src/platform/imageFiles';
import { makeJpeg, makePng } from '../fake-gemini/images';
import { alphaAt, decodeImage } from '../fixtures/pixels';
import { closeAll, docsTree, imageCalls, KEY, requests, resetFake, root, run, script, studioHistory, uri, withSetting } from './helpers';
import { testServices } from './studioHarness';

/** A PNG whose pixels carry an alpha channel (colour type 6, RGBA, in its IHDR). */
function hasAlpha(png: Buffer): boolean {
  return png.subarray(1, 4).toString('latin1') === 'PNG' && png[25] === 6;
}

interface TransparentApi {
  makeTransparentAll(resource?: vscode.Uri): Promise<{ planned: number; made: string[]; skipped: { file: string; reason: string }[]; failed: string[]; cost: number; summary: string } | undefined>;
}

/** Make Backgrounds Transparent as code holding the extension's API runs it: the modal answered yes. */
async function transparentApi(resource: vscode.Uri): ReturnType<TransparentApi['makeTransparentAll']> {
  const extension = vscode.extensions.getExtension<TransparentApi>('illustrate.illustrate')!;
  const api = extension.isActive ? extension.exports : await extension.activate();
  return api.makeTransparentAll(resource);
}

/** A docs tree with these picture files (relative path → bytes) besides its pages. */
function withFiles(prefix: string, pages: Record<string, string>, files: Record<string, Uint8Array>): string {
  const dir = docsTree(prefix, pages);
  for (const [rel, bytes] of Object.entries(files)) {
    const file = path.join(root().fsPath, dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
  }
  return dir;
}

function onDisk(rel: string): Buffer {
  return fs.readFileSync(path.join(root().fsPath, rel));
}

/** The four corners are clear and the centre opaque, as a viewer decodes the file. */
async function clearCorners(bytes: Buffer): Promise<boolean> {
  const image = await decodeImage(bytes);
  const { width: w, height: h } = image;
  return [[0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1]].every(([x, y]) => alphaAt(image, x, y) === 0) && alphaAt(image, Math.floor(w / 2), Math.floor(h / 2)) === 255;
}

describe('Transparent backgrounds in the editor, in a real extension host', function () {
  this.timeout(60_000);
  before(() => run('illustrate.setApiKey', KEY));
  beforeEach(() => resetFake());
  afterEach(() => closeAll());

  it('the Quick Fix makes a linked PNG transparent in place (two calls: onto white, onto black), the page untouched; Undo puts the old bytes back', async () => {
    const text = '# Brand\n\n![the company logo](img/logo.png)\n';
    const dir = docsTree('transparent', { 'page.md': text });
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/page.md`));
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(text.indexOf('logo.png'));
    editor.selection = new vscode.Selection(at, at);
    const made = await run('illustrate.generateFromAltText');
    assert.ok(made.ok, made.message);
    const file = path.join(root().fsPath, dir, 'img/logo.png');
    const before = fs.readFileSync(file);
    assert.ok(!hasAlpha(before), 'the stand-in paints an opaque picture');
    await resetFake();

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(at, at));
    const fix = actions.find((a) => a.title === 'Make the background of "logo.png" transparent (two image calls)');
    assert.ok(fix?.command, actions.map((a) => a.title).join(' | '));
    const result = await run(fix.command.command, ...(fix.command.arguments ?? []));
    assert.ok(result.ok, result.message);

    const after = fs.readFileSync(file);
    assert.ok(hasAlpha(after), 'a PNG with alpha, under the same name');
    const meta = readProvenance(after);
    assert.strictEqual(meta?.transparent, true);
    assert.strictEqual(meta?.prompt, 'the company logo', 'it still stands for its alt text');
    const calls = await imageCalls();
    assert.strictEqual(calls.length, 2);
    assert.match(calls[0].prompt, /to plain, pure white \(#FFFFFF\)/);
    assert.strictEqual(calls[0].images, 1, 'the picture itself goes with the first edit');
    assert.match(calls[1].prompt, /to pure black \(#000000\)/);
    assert.deepStrictEqual(fs.readdirSync(path.dirname(file)), ['logo.png']);
    assert.strictEqual(doc.getText(), text);
    assert.ok((await studioHistory()).some((e) => e.prompt === 'the company logo'), 'the old picture is in the Studio history');

    // Made transparent: the Quick Fix is no longer offered.
    const again = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(at, at));
    assert.ok(!again.some((a) => a.title.startsWith('Make the background')), again.map((a) => a.title).join(' | '));

    const undone = await run('illustrate.undoImageReplace');
    assert.ok(undone.ok, undone.message);
    assert.ok(fs.readFileSync(file).equals(before), 'the old bytes, exactly');
  });

  it('a JPEG gets no Quick Fix, and the command on it says to save a PNG or WebP, with nothing sent', async () => {
    const dir = docsTree('transparentjpeg', { 'page.md': '# Photo\n\n![the office](img/office.jpg)\n' });
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/page.md`));
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(doc.getText().indexOf('office.jpg'));
    editor.selection = new vscode.Selection(at, at);
    const made = await run('illustrate.generateFromAltText');
    assert.ok(made.ok, made.message);
    const file = path.join(root().fsPath, dir, 'img/office.jpg');
    const before = fs.readFileSync(file);
    await resetFake();
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(at, at));
    assert.ok(!actions.some((a) => a.title.startsWith('Make the background')), actions.map((a) => a.title).join(' | '));
    const result = await run('illustrate.makeTransparent');
    assert.strictEqual(result.ok, false);
    assert.strictEqual(result.message, 'A JPEG cannot hold a transparent background: ask for a .png or .webp file instead. Save office.jpg as a .png or .webp file and link that, then try again.');
    assert.strictEqual((await requests()).length, 0);
    assert.ok(fs.readFileSync(file).equals(before));
  });

  it('with "illustrate.transparentBackground" on, Generate from Alt Text makes a transparent PNG; a .jpg link is refused before anything is sent', async () => {
    await withSetting('transparentBackground', true, async () => {
      const text = '# Brand\n\n![a round orange badge](img/badge.png)\n\n![a photo badge](img/photo.jpg)\n';
      const dir = docsTree('transparentsetting', { 'page.md': text });
      const doc = await vscode.workspace.openTextDocument(uri(`${dir}/page.md`));
      const editor = await vscode.window.showTextDocument(doc);
      const at = doc.positionAt(text.indexOf('badge.png'));
      editor.selection = new vscode.Selection(at, at);
      const made = await run('illustrate.generateFromAltText');
      assert.ok(made.ok, made.message);
      const png = fs.readFileSync(path.join(root().fsPath, dir, 'img/badge.png'));
      assert.ok(hasAlpha(png));
      assert.strictEqual(readProvenance(png)?.transparent, true);
      const calls = await imageCalls();
      assert.strictEqual(calls.length, 2);
      assert.match(calls[0].prompt, /^a round orange badge\n\n.*pure white/);

      await resetFake();
      const jpg = doc.positionAt(text.indexOf('photo.jpg'));
      editor.selection = new vscode.Selection(jpg, jpg);
      const refused = await run('illustrate.generateFromAltText');
      assert.strictEqual(refused.ok, false);
      assert.strictEqual(refused.message, 'A JPEG cannot hold a transparent background: ask for a .png or .webp file instead.');
      assert.strictEqual((await requests()).length, 0);
      assert.deepStrictEqual(fs.readdirSync(path.join(root().fsPath, dir, 'img')), ['badge.png']);
      assert.strictEqual(doc.getText(), text);
    });
  });

  it('Copilot: illustrate_makeTransparent asks with the cost of two calls, then replaces the image; illustrate_generateImage takes transparent', async () => {
    const dir = docsTree('transparenttool', { 'page.md': '# Brand\n\n![the company logo](img/logo.png)\n' });
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/page.md`));
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(doc.getText().indexOf('logo.png'));
    editor.selection = new vscode.Selection(at, at);
    assert.ok((await run('illustrate.generateFromAltText')).ok);
    await resetFake();
    const tool = new MakeTransparentTool({ services: await testServices(), files: new ImageFiles() } as never);
    const prepared = await tool.prepareInvocation({ input: { image: `${dir}/img/logo.png` } });
    const message = prepared.confirmationMessages?.message;
    assert.match(prepared.confirmationMessages?.title ?? '', /^Make the background of this image transparent \(≈ \$0\.\d+\)\?$/);
    assert.match(typeof message === 'string' ? message : (message?.value ?? ''), /two image calls \(onto white, then onto black\)/);
    assert.strictEqual((await requests()).length, 0, 'asking spends nothing');
    const result = await vscode.lm.invokeTool('illustrate_makeTransparent', { input: { image: `${dir}/img/logo.png` }, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
    const said = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    assert.match(said, /logo\.png/);
    assert.ok(hasAlpha(fs.readFileSync(path.join(root().fsPath, dir, 'img/logo.png'))));
    assert.strictEqual((await imageCalls()).length, 2);

    await resetFake();
    const made = await vscode.lm.invokeTool('illustrate_generateImage', { input: { prompt: 'a round green badge', path: `${dir}/img/badge.png`, transparent: true }, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
    assert.ok(made.content.length > 0);
    assert.ok(hasAlpha(fs.readFileSync(path.join(root().fsPath, dir, 'img/badge.png'))));
    assert.strictEqual((await imageCalls()).length, 2);
  });

  describe('Make Backgrounds Transparent… over a folder', () => {
    const record = { model: 'gemini-3.1-flash-image', aspectRatio: '1:1', imageSize: '1K', date: '2026-01-01T00:00:00Z' };

    it('plans the two PNGs a page links and leaves out a JPEG and a picture already transparent, with why; both come out with clear corners; one undo puts both old files back', async () => {
      const text = '# Brand\n\n![the first diagram](img/one.png)\n\nAnd ![the second diagram](img/two.png), ![the office](img/office.jpg).\n';
      const clear = withMetadata(makePng(160, 96), 'png', { ...record, prompt: 'a badge', transparent: true }, { width: 160, height: 96 });
      const dir = withFiles('transparentall', { 'page.md': text }, { 'img/one.png': makePng(160, 96), 'img/two.png': makePng(160, 96, { tint: 40 }), 'img/office.jpg': makeJpeg(64, 64), 'img/badge.png': clear });
      const before = { one: onDisk(`${dir}/img/one.png`), two: onDisk(`${dir}/img/two.png`), office: onDisk(`${dir}/img/office.jpg`), badge: onDisk(`${dir}/img/badge.png`) };
      assert.ok(!(await clearCorners(before.one)) && !(await clearCorners(before.two)), 'opaque pictures to start with');

      const result = await transparentApi(uri(dir));
      assert.ok(result, 'the run returns what it did');
      assert.strictEqual(result.planned, 2);
      assert.deepStrictEqual(result.failed, []);
      assert.deepStrictEqual([...result.made].sort(), [`${dir}/img/one.png`, `${dir}/img/two.png`]);
      assert.deepStrictEqual([...result.skipped].sort((a, b) => a.file.localeCompare(b.file)), [
        { file: `${dir}/img/badge.png`, reason: 'already transparent (Illustrate made it so)' },
        { file: `${dir}/img/office.jpg`, reason: 'a JPEG holds no transparent background: save it as a .png or .webp file and link that' },
      ]);
      assert.match(result.summary, /^Made 2 of 2 backgrounds transparent · 0 failed · 2 left out · ≈ \$0\.\d+$/);
      assert.ok(result.cost > 0);
      const calls = await imageCalls();
      assert.strictEqual(calls.length, 4, 'two image calls a picture');
      assert.strictEqual(calls.filter((c) => /to plain, pure white \(#FFFFFF\)/.test(c.prompt)).length, 2);
      assert.strictEqual(calls.filter((c) => /to pure black \(#000000\)/.test(c.prompt)).length, 2);

      const one = onDisk(`${dir}/img/one.png`);
      const two = onDisk(`${dir}/img/two.png`);
      assert.ok(await clearCorners(one), 'one.png: clear corners, an opaque centre');
      assert.ok(await clearCorners(two), 'two.png: clear corners, an opaque centre');
      assert.deepStrictEqual({ prompt: readProvenance(one)?.prompt, transparent: readProvenance(one)?.transparent }, { prompt: 'the first diagram', transparent: true });
      assert.strictEqual(readProvenance(two)?.prompt, 'the second diagram');
      assert.ok(onDisk(`${dir}/img/office.jpg`).equals(before.office) && onDisk(`${dir}/img/badge.png`).equals(before.badge), 'what is left out is untouched');
      assert.deepStrictEqual(fs.readdirSync(path.join(root().fsPath, dir, 'img')).sort(), ['badge.png', 'office.jpg', 'one.png', 'two.png'], 'replaced in place, nothing new');
      assert.strictEqual(fs.readFileSync(path.join(root().fsPath, dir, 'page.md'), 'utf8'), text, 'the page is unchanged');
      const history = await studioHistory();
      assert.ok(history.some((e) => e.prompt === 'the first diagram') && history.some((e) => e.prompt === 'the second diagram'), 'the old pictures are in the Studio history');

      // One undo (the summary's Undo runs this command) puts both old files back, byte for byte, as one change.
      const undone = await run('illustrate.undoImageReplace');
      assert.ok(undone.ok, undone.message);
      assert.strictEqual(undone.message, '2 pictures are back as they were.');
      assert.ok(onDisk(`${dir}/img/one.png`).equals(before.one), 'one.png: the old bytes, exactly');
      assert.ok(onDisk(`${dir}/img/two.png`).equals(before.two), 'two.png: the old bytes, exactly');
      assert.strictEqual(fs.readFileSync(path.join(root().fsPath, dir, 'page.md'), 'utf8'), text);
    });

    it('a picture whose two renders do not line up is reported failed with its message and left as it was', async () => {
      const dir = withFiles('transparentmis', { 'page.md': '# Brand\n\n![the company logo](img/logo.png)\n' }, { 'img/logo.png': makePng(160, 96) });
      const before = onDisk(`${dir}/img/logo.png`);
      await script('ok', 'misaligned');
      const result = await transparentApi(uri(dir));
      assert.ok(result);
      assert.deepStrictEqual(result.made, []);
      assert.strictEqual(result.failed.length, 1);
      assert.match(result.failed[0], new RegExp(`^${dir}/img/logo\\.png: The two renders did not line up: .* so no transparent image was written\\. Try again`));
      assert.match(result.summary, /^Made 0 of 1 backgrounds transparent · 1 failed · 0 left out/);
      assert.ok(onDisk(`${dir}/img/logo.png`).equals(before), 'the picture is as it was');
    });
  });
});
