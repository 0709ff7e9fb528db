/**
 * Dark-mode twins in the editor, in a real extension host against the stand-in (it answers a
 * dark-twin edit with a dark picture of the size it was sent): the Quick Fix on one link (the twin
 * on disk, the page's link switched by its site's markup, every other byte kept, one undo takes
 * both back), Make Dark Twins over a folder, Fill with "illustrate.variants.dark", and the Copilot
 * tool's confirmation and run.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { MakeDarkTwinsTool } from '../../src/commands/agentTools';
import { fingerprint, readProvenance } from '../../src/core/images/metadata';
import { ImageFiles } from '../../src/platform/imageFiles';
import { makePng } from '../fake-gemini/images';
import { brightest } from '../fixtures/pixels';
import { closeAll, docsTree, fillWithApi, imageCalls, KEY, pngSize, requests, resetFake, root, run, uri, waitUntil, withSetting } from './helpers';
import { testServices } from './studioHarness';

interface DarkApi {
  makeDarkTwins(resource?: vscode.Uri): Promise<{ planned: number; made: string[]; switched: { document: string; links: number }[]; skipped: { file: string; reason: string }[]; failed: string[]; summary: string } | undefined>;
}

/** Make Dark Twins as code holding the extension's API runs it: the modal answered yes. */
async function darkApi(resource: vscode.Uri): ReturnType<DarkApi['makeDarkTwins']> {
  const extension = vscode.extensions.getExtension<DarkApi>('illustrate.illustrate')!;
  const api = extension.isActive ? extension.exports : await extension.activate();
  return api.makeDarkTwins(resource);
}

/** A docs tree with light pictures (160×96 PNGs) at `images`. */
function withPictures(prefix: string, files: Record<string, string>, images: readonly string[]): string {
  const dir = docsTree(prefix, files);
  for (const image of images) {
    const file = path.join(root().fsPath, dir, image);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, makePng(160, 96));
  }
  return dir;
}

async function darkFix(doc: vscode.TextDocument, offset: number): Promise<vscode.CodeAction | undefined> {
  const at = doc.positionAt(offset);
  // The workbench cancels a code-action request when the document changes under it (right after an edit): ask again.
  for (let attempt = 0; ; attempt++) {
    try {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(at, at));
      return actions.find((a) => a.title.startsWith('Make a dark-mode twin'));
    } catch (e: unknown) {
      if (attempt >= 3 || !String(e).includes('Canceled')) {
        throw e;
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

function onDisk(rel: string): Buffer {
  return fs.readFileSync(path.join(root().fsPath, rel));
}

describe('Dark-mode twins in the editor, in a real extension host', function () {
  this.timeout(60_000);
  before(() => run('illustrate.setApiKey', KEY));
  beforeEach(() => resetFake());
  afterEach(() => closeAll());

  it('the Quick Fix on a plain tree writes NAME.dark.png (dark, same size, tied to its source) and wraps the link in <picture>, the rest byte for byte; one undo removes both', async () => {
    const text = '# Brand\n\nOur logo, as it looks on a page:\n\n![the company logo](img/logo.png "Logo")\n\n> Keep it unchanged.\n';
    const dir = withPictures('darkfix', { 'page.md': text }, ['img/logo.png']);
    const source = onDisk(`${dir}/img/logo.png`);
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/page.md`));
    await vscode.window.showTextDocument(doc);
    // Run alone in a fresh window, the first request sometimes comes back without it (not yet diagnosed; noted): asked again, as the editor asks on the next cursor move.
    const fix = await waitUntil('the Quick Fix', () => darkFix(doc, text.indexOf('logo.png')), (f) => f !== undefined);
    assert.strictEqual(fix?.title, 'Make a dark-mode twin of "logo.png"');
    const result = await run(fix.command!.command, ...(fix.command!.arguments ?? []));
    assert.ok(result.ok, result.message);
    assert.match(result.message, /^Made logo\.dark\.png \(160×96, ≈ \$0\.\d+\), the dark twin of logo\.png; the page shows it in dark mode\. One undo removes both\.$/);

    const twin = onDisk(`${dir}/img/logo.dark.png`);
    assert.deepStrictEqual(pngSize(twin), { width: 160, height: 96 });
    assert.ok((await brightest(twin)) <= 40, 'a dark picture');
    assert.ok((await brightest(source)) > 200, 'from a light one');
    assert.deepStrictEqual(readProvenance(twin)?.twinOf, { kind: 'dark', path: 'logo.png', source: fingerprint(source) });
    assert.strictEqual((await imageCalls()).length, 1, 'one image edit');
    assert.strictEqual(doc.getText(), text.replace('![the company logo](img/logo.png "Logo")', '<picture><source media="(prefers-color-scheme: dark)" srcset="img/logo.dark.png">![the company logo](img/logo.png "Logo")</picture>'));
    assert.ok(onDisk(`${dir}/img/logo.png`).equals(source), 'the light picture is kept as it was');
    // The link switches now: no Quick Fix for it any more.
    assert.strictEqual(await darkFix(doc, doc.getText().indexOf('logo.png')), undefined);

    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    await waitUntil('the twin and the markup undone', () => [doc.getText(), fs.existsSync(path.join(root().fsPath, dir, 'img/logo.dark.png'))], ([t, there]) => t === text && there === false);
  });

  it('the Quick Fix on a Docusaurus page writes the twin into static/ and adds the light/dark fragment pair', async () => {
    const text = '---\ntitle: Brand\n---\n\n# Brand\n\n![the company logo](/img/logo.png)\n\nText after.\n';
    const dir = withPictures('darkdocusaurus', { 'website/docusaurus.config.js': '', 'website/docs/brand.md': text }, ['website/static/img/logo.png']);
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/website/docs/brand.md`));
    await vscode.window.showTextDocument(doc);
    const fix = await darkFix(doc, text.indexOf('logo.png'));
    assert.ok(fix?.command);
    const result = await run(fix.command.command, ...(fix.command.arguments ?? []));
    assert.ok(result.ok, result.message);
    assert.ok((await brightest(onDisk(`${dir}/website/static/img/logo.dark.png`))) <= 40);
    assert.strictEqual(doc.getText(), text.replace('![the company logo](/img/logo.png)', '![the company logo](/img/logo.png#gh-light-mode-only)![the company logo](/img/logo.dark.png#gh-dark-mode-only)'));
  });

  it('a lost twin of a Docusaurus pair: the Quick Fix on its link makes it again from the light picture (one edit), never from its alt text; the page is unchanged', async () => {
    const text = '# Brand\n\n![the company logo](/img/logo.png#gh-light-mode-only)![the company logo](/img/logo.dark.png#gh-dark-mode-only)\n';
    const dir = withPictures('darklost', { 'website/docusaurus.config.js': '', 'website/docs/brand.md': text }, ['website/static/img/logo.png']);
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/website/docs/brand.md`));
    await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(text.indexOf('logo.dark.png'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(at, at));
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Make the dark-mode twin "logo.dark.png" from its picture'), titles.join(' | '));
    assert.ok(!titles.some((t) => t.startsWith('Generate "logo.dark.png"')), titles.join(' | '));
    const fix = actions.find((a) => a.title.startsWith('Make the dark-mode twin'))!;
    const result = await run(fix.command!.command, ...(fix.command!.arguments ?? []));
    assert.ok(result.ok, result.message);
    const twin = onDisk(`${dir}/website/static/img/logo.dark.png`);
    assert.ok((await brightest(twin)) <= 40, 'a dark twin');
    assert.deepStrictEqual(readProvenance(twin)?.twinOf?.source, fingerprint(onDisk(`${dir}/website/static/img/logo.png`)));
    const calls = await imageCalls();
    assert.deepStrictEqual(calls.map((c) => c.images), [1], 'one image edit of the light picture');
    assert.strictEqual(doc.getText(), text, 'the page already switches: unchanged');
  });

  it('no Quick Fix on a link that already switches, nor on a twin itself', async () => {
    const text = '<picture><source media="(prefers-color-scheme: dark)" srcset="img/a.dark.png">![a](img/a.png)</picture>\n\n![the twin](img/a.dark.png)\n';
    const dir = withPictures('darknofix', { 'page.md': text }, ['img/a.png', 'img/a.dark.png']);
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/page.md`));
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(await darkFix(doc, text.indexOf('img/a.png')), undefined);
    assert.strictEqual(await darkFix(doc, text.indexOf('img/a.dark.png)')), undefined);
  });

  it('Make Dark Twins over a folder of two pages: two edits, three links switched, a twin already there only linked; one undo takes the run back', async () => {
    const a = '# A\n\n![the first diagram](img/one.png)\n';
    const b = '# B\n\n![the second diagram](../img/two.png)\n\nSee also ![the first diagram](../img/one.png) and ![the third](../img/three.png).\n';
    const dir = withPictures('darkfolder', { 'a.md': a, 'sub/b.md': b }, ['img/one.png', 'img/two.png', 'img/three.png', 'img/three.dark.png']);
    const three = onDisk(`${dir}/img/three.dark.png`);
    const result = await darkApi(uri(dir));
    assert.ok(result);
    assert.deepStrictEqual(result.failed, []);
    assert.deepStrictEqual([...result.made].sort(), [`${dir}/img/one.dark.png`, `${dir}/img/two.dark.png`]);
    assert.deepStrictEqual([...result.switched].sort((x, y) => x.document.localeCompare(y.document)), [
      { document: `${dir}/a.md`, links: 1 },
      { document: `${dir}/sub/b.md`, links: 3 },
    ]);
    assert.strictEqual((await imageCalls()).length, 2, 'one edit per twin made; the one there is not made again');
    assert.ok(onDisk(`${dir}/img/three.dark.png`).equals(three));
    const docA = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith(`${dir}/a.md`));
    const docB = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith(`${dir}/sub/b.md`));
    assert.ok(docA && docB);
    const pic = (dark: string, img: string): string => `<picture><source media="(prefers-color-scheme: dark)" srcset="${dark}">${img}</picture>`;
    assert.strictEqual(docA.getText(), a.replace('![the first diagram](img/one.png)', pic('img/one.dark.png', '![the first diagram](img/one.png)')));
    assert.strictEqual(
      docB.getText(),
      b
        .replace('![the second diagram](../img/two.png)', pic('../img/two.dark.png', '![the second diagram](../img/two.png)'))
        .replace('![the first diagram](../img/one.png)', pic('../img/one.dark.png', '![the first diagram](../img/one.png)'))
        .replace('![the third](../img/three.png)', pic('../img/three.dark.png', '![the third](../img/three.png)')),
    );
    await vscode.window.showTextDocument(docA);
    await vscode.commands.executeCommand('undo');
    await waitUntil(
      'the whole run undone',
      () => [docA.getText(), docB.getText(), fs.existsSync(path.join(root().fsPath, dir, 'img/one.dark.png')), fs.existsSync(path.join(root().fsPath, dir, 'img/two.dark.png'))],
      ([x, y, one, two]) => x === a && y === b && one === false && two === false,
    );
    assert.ok(onDisk(`${dir}/img/three.dark.png`).equals(three), 'the twin that was there stays');
  });

  it('Fill Missing Images with "illustrate.variants.dark" makes each new picture and its twin, the link switched', async () => {
    await withSetting('variants.dark', true, async () => {
      const text = '# Guide\n\n![a paper boat on a pond](img/boat.png)\n';
      const dir = docsTree('darkfill', { 'guide.md': text });
      const filled = (await fillWithApi(dir)) as { made: string[]; failed: string[]; darkTwins?: string[] };
      assert.deepStrictEqual(filled.failed, []);
      assert.deepStrictEqual(filled.made, [`${dir}/img/boat.png`]);
      assert.deepStrictEqual(filled.darkTwins, [`${dir}/img/boat.dark.png`]);
      assert.ok((await brightest(onDisk(`${dir}/img/boat.dark.png`))) <= 40);
      assert.strictEqual((await imageCalls()).length, 2, 'the picture, then its twin');
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith(`${dir}/guide.md`));
      assert.strictEqual(doc?.getText(), '# Guide\n\n<picture><source media="(prefers-color-scheme: dark)" srcset="img/boat.dark.png">![a paper boat on a pond](img/boat.png)</picture>\n');
    });
  });

  it('Generate from Alt Text with "illustrate.variants.dark" makes the picture and its twin, the new link switched; Copilot\'s generate too', async () => {
    await withSetting('variants.dark', true, async () => {
      const text = '# Guide\n\n![a lighthouse at dusk](img/light.png)\n';
      const dir = docsTree('darkgenerate', { 'guide.md': text });
      const doc = await vscode.workspace.openTextDocument(uri(`${dir}/guide.md`));
      const editor = await vscode.window.showTextDocument(doc);
      const at = doc.positionAt(text.indexOf('light.png'));
      editor.selection = new vscode.Selection(at, at);
      const made = await run('illustrate.generateFromAltText');
      assert.ok(made.ok, made.message);
      assert.ok((await brightest(onDisk(`${dir}/img/light.dark.png`))) <= 40, 'the twin is dark');
      assert.strictEqual((await imageCalls()).length, 2, 'the picture, then its twin');
      assert.strictEqual(doc.getText(), '# Guide\n\n<picture><source media="(prefers-color-scheme: dark)" srcset="img/light.dark.png">![a lighthouse at dusk](img/light.png)</picture>\n');

      await resetFake();
      const result = await vscode.lm.invokeTool('illustrate_generateImage', { input: { prompt: 'a paper kite', document: `${dir}/guide.md`, path: `${dir}/img/kite.png` }, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
      const said = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
      assert.match(said, /Made 1 of 1 dark twins/);
      assert.ok(fs.existsSync(path.join(root().fsPath, dir, 'img/kite.dark.png')));
      assert.match(doc.getText(), /<picture><source media="\(prefers-color-scheme: dark\)" srcset="img\/kite\.dark\.png">!\[a paper kite\]\(img\/kite\.png\)<\/picture>/);
    });
  });

  it('Copilot: illustrate_makeDarkTwins asks with the count and the cost, spending nothing; a run makes the twins and switches the page', async () => {
    const text = '# Page\n\n![the company logo](img/logo.png)\n';
    const dir = withPictures('darktool', { 'page.md': text }, ['img/logo.png']);
    const tool = new MakeDarkTwinsTool({ services: await testServices(), files: new ImageFiles() } as never);
    const prepared = await tool.prepareInvocation({ input: { path: dir } }, new vscode.CancellationTokenSource().token);
    assert.match(prepared.confirmationMessages?.title ?? '', /^Make 1 dark twin\(s\) with Illustrate and switch their pages \(≈ \$0\.\d+\)\?$/);
    const message = prepared.confirmationMessages?.message;
    // As the user reads it: the markdown's escapes taken away.
    const said = (typeof message === 'string' ? message : (message?.value ?? '')).replace(/\\(.)/g, '$1');
    assert.match(said, /^1 dark twin\(s\) to make \(one image edit each\) · 0 already there to link · ≈ \$0\.\d+ · 0 link\(s\) already switch · 0 left out/);
    assert.ok(said.includes(`${dir}/img/logo.png → ${dir}/img/logo.dark.png · ${dir}/page.md`), said);
    assert.strictEqual((await requests()).length, 0, 'asking spends nothing');

    const dry = await vscode.lm.invokeTool('illustrate_makeDarkTwins', { input: { path: dir, dryRun: true }, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
    assert.match(dry.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join(''), /^1 dark twin\(s\) to make/);
    assert.strictEqual((await imageCalls()).length, 0);

    const ran = await vscode.lm.invokeTool('illustrate_makeDarkTwins', { input: { path: dir }, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
    const out = ran.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    assert.match(out, /^Made 1 of 1 dark twins · links switched in 1 pages · 0 failed · ≈ \$0\.\d+/);
    assert.ok(out.includes(`made ${dir}/img/logo.dark.png (160×96 PNG), the dark twin of ${dir}/img/logo.png`), out);
    assert.ok((await brightest(onDisk(`${dir}/img/logo.dark.png`))) <= 40);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith(`${dir}/page.md`));
    assert.strictEqual(doc?.getText(), '# Page\n\n<picture><source media="(prefers-color-scheme: dark)" srcset="img/logo.dark.png">![the company logo](img/logo.png)</picture>\n');
  });
});
