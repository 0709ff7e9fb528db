/**
 * Translated pictures in the editor, in a real extension host against the stand-in: the Quick Fix
 * on an image a translated page (README.ja.md) shares with its source page, titled in the
 * language's own name, whose run writes the translation and changes only that page's link (one
 * undo takes both back); Translate Images… over a folder with its modal question answered; the
 * Copilot tool's confirmation with the count and the cost.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { TranslateImagesTool } from '../../src/commands/translateImages';
import { Describer } from '../../src/core/api/describe';
import { readProvenance } from '../../src/core/images/metadata';
import { ImageDiagnostics } from '../../src/platform/imageDiagnostics';
import { ImageFiles } from '../../src/platform/imageFiles';
import { makePng } from '../fake-gemini/images';
import { closeAll, docsTree, KEY, requests, resetFake, root, run, uri, waitUntil, watchNotifications } from './helpers';
import { testServices } from './studioHarness';

const SOURCE = '# Deploy\n\n![A flow chart labelled "Start" and "Deploy"](img/flow.png)\n\n![A photo of a lake look:notext](img/lake.png)\n';
const JA = '# デプロイ\n\n![「開始」と「デプロイ」と書かれたフローチャート](img/flow.png)\n\n![湖の写真](img/lake.png)\n';

/** A plain tree: README.md, its Japanese translation README.ja.md, and the two pictures they share (no record: looked at first). */
function translatedTree(): string {
  const dir = docsTree('translate', { 'README.md': SOURCE, 'README.ja.md': JA });
  for (const [name, tint] of [['img/flow.png', 0], ['img/lake.png', 60]] as const) {
    fs.mkdirSync(path.join(root().fsPath, dir, 'img'), { recursive: true });
    fs.writeFileSync(path.join(root().fsPath, dir, name), makePng(320, 180, { tint }));
  }
  return dir;
}

/** The Quick Fixes at `offset` of `doc`, asked again while the workbench cancels a request (the editor just opened). */
async function fixesAt(doc: vscode.TextDocument, offset: number, until: (titles: string[]) => boolean = (t) => t.length > 0): Promise<vscode.CodeAction[]> {
  const at = doc.positionAt(offset);
  return waitUntil(
    'the Quick Fixes',
    () => Promise.resolve(vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(at, at))).then((a) => a ?? [], () => []),
    (a) => until(a.map((x) => x.title)),
  );
}

const onDisk = (rel: string): string | undefined => (fs.existsSync(path.join(root().fsPath, rel)) ? fs.readFileSync(path.join(root().fsPath, rel), 'utf8') : undefined);

describe('Translated pictures in the editor, in a real extension host', function () {
  this.timeout(60_000);
  before(() => run('illustrate.setApiKey', KEY));
  beforeEach(() => resetFake());
  afterEach(() => closeAll());

  it('the Quick Fix "Translate "flow.png" into 日本語" writes the translation and changes only the translated page\'s link; one undo takes both back', async () => {
    const dir = translatedTree();
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/README.ja.md`));
    await vscode.window.showTextDocument(doc);
    const actions = await fixesAt(doc, JA.indexOf('img/flow.png') + 2, (t) => t.some((x) => x.startsWith('Translate ')));
    const fix = actions.find((a) => a.title === 'Translate "flow.png" into 日本語');
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    assert.strictEqual((await requests()).length, 0, 'offering the Quick Fix asks no model');
    // The source page's own link is not offered a translation.
    const source = await vscode.workspace.openTextDocument(uri(`${dir}/README.md`));
    const onSource = await fixesAt(source, SOURCE.indexOf('img/flow.png') + 2);
    assert.ok(!onSource.some((a) => a.title.startsWith('Translate ')), onSource.map((a) => a.title).join(' | '));

    const result = (await vscode.commands.executeCommand(fix.command!.command, ...(fix.command!.arguments ?? []))) as { ok: boolean; message: string };
    assert.ok(result.ok, result.message);
    assert.match(result.message, new RegExp(`^Translated flow\\.png into 日本語: ${dir}/img/flow\\.ja\\.png · `));
    assert.strictEqual(doc.getText(), JA.replace('](img/flow.png)', '](img/flow.ja.png)'), 'only the translated link changed');
    assert.strictEqual(source.getText(), SOURCE);
    assert.strictEqual(onDisk(`${dir}/README.md`), SOURCE);
    const made = fs.readFileSync(path.join(root().fsPath, dir, 'img/flow.ja.png'));
    assert.strictEqual(made.subarray(1, 4).toString('latin1'), 'PNG');
    const twin = readProvenance(made)?.twinOf;
    assert.strictEqual(twin?.kind, 'translation');
    assert.strictEqual(twin?.path, 'flow.png');
    assert.strictEqual(twin?.lang, 'ja');
    const sent = await requests();
    assert.ok(sent.some((r) => (r.body?.contents?.[0]?.parts?.[0]?.text ?? '').includes('into Japanese (ja)')), 'the edit asked for Japanese');

    // One undo: the link and the new picture.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    await waitUntil('the link and the picture undone', () => [doc.getText(), fs.existsSync(path.join(root().fsPath, dir, 'img/flow.ja.png'))] as const, ([text, there]) => text === JA && !there);
  });

  it('Translate Images… over a folder: the modal says the count, the language and the cost; a picture without text is left alone; one summary; one undo takes the run back', async () => {
    const dir = translatedTree();
    const seen = watchNotifications((s) => (s.items.includes('Translate') ? 'Translate' : undefined));
    try {
      const result = (await vscode.commands.executeCommand('illustrate.translateImages', uri(dir))) as { made: { file: string; source: string; lang: string }[]; noText: string[]; summary: string } | undefined;
      const modal = seen.shown.find((s) => s.items.includes('Translate'));
      assert.ok(modal, seen.shown.map((s) => s.message).join(' | '));
      assert.match(modal.message, /^Translate 2 pictures into 日本語 for ≈ \$\d/);
      assert.ok(result, seen.shown.map((s) => s.message).join(' | '));
      assert.deepStrictEqual(result.made, [{ file: `${dir}/img/flow.ja.png`, source: `${dir}/img/flow.png`, lang: 'ja' }]);
      assert.deepStrictEqual(result.noText, [`${dir}/img/lake.png`]);
      assert.match(result.summary, /^Translated 1 of 2 pictures · 1 left alone \(1 without text\) · 0 failed · ≈ \$/);
      await waitUntil('the summary', () => seen.shown.map((s) => s.message), (m) => m.includes(result.summary));
      const page = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith(`${dir}/README.ja.md`));
      assert.strictEqual(page?.getText(), JA.replace('](img/flow.png)', '](img/flow.ja.png)'), 'the lake\'s link stays: it has no text');
      assert.strictEqual(onDisk(`${dir}/README.md`), SOURCE);
      assert.ok(!fs.existsSync(path.join(root().fsPath, dir, 'img/lake.ja.png')));
      // The run was one change: one undo in the page takes back its link and the translation.
      await vscode.window.showTextDocument(page!);
      await vscode.commands.executeCommand('undo');
      await waitUntil('the run undone', () => [page!.getText(), fs.existsSync(path.join(root().fsPath, dir, 'img/flow.ja.png'))] as const, ([text, there]) => text === JA && !there);
    } finally {
      await seen.restore();
    }
  });

  it('the Copilot tool illustrate_translateImages asks with the count, the language and the cost, and spends nothing to ask', async () => {
    const dir = translatedTree();
    const services = await testServices();
    const files = new ImageFiles();
    const diagnostics = new ImageDiagnostics(files, services.sites);
    try {
      const tool = new TranslateImagesTool({ services, describer: new Describer(services.keys, services.fetch, services.codec), files, sites: services.sites, diagnostics }, (p) => uri(p));
      const prepared = await tool.prepareInvocation({ input: { path: dir } }, new vscode.CancellationTokenSource().token);
      const c = prepared.confirmationMessages;
      assert.ok(c);
      assert.match(c.title, /^Translate 2 picture\(s\) into 日本語 \(≈ \$\d/);
      // Shown as markdown: its characters escaped.
      const message = (typeof c.message === 'string' ? c.message : c.message.value).replace(/\\(.)/g, '$1');
      assert.ok(message.includes(`${dir}/img/flow.png → ${dir}/img/flow.ja.png (ja, 日本語)`), message);
      assert.match(message, /^2 picture\(s\) to translate · 0 left alone · ≈ \$/);
      assert.strictEqual((await requests()).length, 0, 'asking spends nothing');
      const tools = vscode.lm.tools.map((t) => t.name);
      assert.ok(tools.includes('illustrate_translateImages'), tools.join(', '));
    } finally {
      diagnostics.dispose();
    }
  });
});
