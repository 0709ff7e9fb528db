/**
 * The Image Studio's "Dark-mode twin" switch, in a real extension host against the stand-in (it
 * answers a dark-twin edit with a dark picture of the size it was sent): each variant gets its twin
 * by one image edit, kept with it across a reload; Insert writes the picture and its twin in one
 * WorkspaceEdit with the page's switching markup (a plain tree's <picture>, Docusaurus' fragment
 * pair), and one undo takes back the link and both files; a twin that fails leaves its variant.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { fingerprint, readProvenance } from '../../src/core/images/metadata';
import type { ExtensionMessage, ImageView } from '../../src/studio/protocol';
import { brightest } from '../fixtures/pixels';
import { closeAll, docsTree, imageCalls, KEY, markdownEditor, pngSize, resetFake, root, run, script, uri, waitUntil, withSetting } from './helpers';
import { openTestStudio, TestStudio } from './studioHarness';

const OPTIONS = { model: 'gemini-3.1-flash-image', aspectRatio: '4:3', imageSize: '1K', thinkingLevel: 'minimal', includeText: false };
const PROMPT = 'a lighthouse for both themes';
const NAME = 'a-lighthouse-for-both-themes';

function onDisk(rel: string): Buffer {
  return fs.readFileSync(path.join(root().fsPath, rel));
}

function there(rel: string): boolean {
  return fs.existsSync(path.join(root().fsPath, rel));
}

function since<T extends ExtensionMessage['type']>(studio: TestStudio, from: number, type: T): Extract<ExtensionMessage, { type: T }>[] {
  return studio.posted.slice(from).filter((m) => m.type === type) as Extract<ExtensionMessage, { type: T }>[];
}

/** The last notice the panel showed. */
function lastNotice(studio: TestStudio): string | undefined {
  return studio.of('notice').at(-1)?.message;
}

describe('Image Studio dark-mode twins, in a real extension host', function () {
  this.timeout(90_000);
  let studio: TestStudio;
  let made: ImageView[] = [];

  before(async () => {
    await run('illustrate.setApiKey', KEY);
    studio = await openTestStudio();
  });
  beforeEach(() => resetFake());
  after(() => closeAll());

  it('with the switch on, 2 variants each get their dark twin by one image edit, shown under them and kept in the history', async () => {
    const from = studio.posted.length;
    await studio.receive({ type: 'generate', prompt: PROMPT, options: OPTIONS, variants: 2, references: [], dark: true });
    const variants = since(studio, from, 'variant');
    assert.strictEqual(variants.length, 2, JSON.stringify(since(studio, from, 'variantFailed')));
    const twins = since(studio, from, 'darkTwin').map((m) => m.image);
    assert.deepStrictEqual(twins.map((t) => t.id).sort(), variants.map((v) => v.image.id).sort(), 'each variant gets its twin');
    for (const t of twins) {
      assert.strictEqual(t.darkError, undefined);
      assert.ok(t.dark, 'a twin preview on the card');
      assert.strictEqual(`${t.dark.width}×${t.dark.height}`, `${t.width}×${t.height}`, 'the twin has its variant\'s size');
      assert.match(t.dark.src, /^https:\/\/|^vscode-webview/, 'shown as a webview URI');
      assert.match(t.dark.cost, /^≈ \$0\.\d+$/);
    }
    const calls = await imageCalls();
    const edits = calls.filter((c) => /dark-mode twin/i.test(c.prompt));
    assert.strictEqual(calls.length, 4, 'two pictures and two edits');
    assert.deepStrictEqual(edits.map((e) => e.images), [1, 1], 'each edit sends its variant');

    // Kept with its variant: the history the panel shows (and a reload reads) has both, the twins' cost in the entry's.
    const history = await waitUntil('the history with the new entry', () => studio.of('history').at(-1)?.history ?? [], (h) => h.some((e) => e.prompt === PROMPT));
    const entry = history.find((e) => e.prompt === PROMPT)!;
    assert.deepStrictEqual(entry.images.map((i) => Boolean(i.dark)), [true, true]);
    const index = JSON.parse(fs.readFileSync(path.join(studio.store.dir.fsPath, 'history.json'), 'utf8')) as { prompt: string; images: { dark?: { file: string } }[] }[];
    const saved = index.find((e) => e.prompt === PROMPT)!;
    for (const image of saved.images) {
      assert.ok(image.dark && fs.existsSync(path.join(studio.store.dir.fsPath, image.dark.file)), 'the twin\'s file is in the store, named in its index');
    }
    made = twins;
  });

  it('Insert into a page of a plain tree writes the picture and its darker twin (twinOf the picture as written) with <picture> markup; one undo removes the link and both files', async () => {
    const { editor, dir } = await markdownEditor('# Doc\n\nHere: \n', 13);
    await studio.receive({ type: 'image', action: 'insert', imageId: made[0].id });
    const picture = `${dir}/images/${NAME}.png`;
    const twin = `${dir}/images/${NAME}.dark.png`;
    assert.strictEqual(lastNotice(studio), `Inserted ${picture} and its dark twin ${twin} into ${dir}/doc.md: the page shows the twin in dark mode. One undo removes the link and both files.`);
    assert.strictEqual(editor.document.getText(), `# Doc\n\nHere: <picture><source media="(prefers-color-scheme: dark)" srcset="images/${NAME}.dark.png">![${PROMPT}](images/${NAME}.png)</picture>\n`);
    const light = onDisk(picture);
    const dark = onDisk(twin);
    assert.deepStrictEqual(pngSize(dark), pngSize(light));
    assert.ok((await brightest(dark)) <= 40, 'the twin is dark');
    assert.ok((await brightest(light)) > 200, 'the picture is light');
    assert.deepStrictEqual(readProvenance(dark)?.twinOf, { kind: 'dark', path: `${NAME}.png`, source: fingerprint(light) });

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    await waitUntil('the link and both files undone', () => [editor.document.getText(), there(picture), there(twin)], ([text, p, t]) => text === '# Doc\n\nHere: \n' && p === false && t === false);
  });

  it('Insert into a Docusaurus page adds the #gh-light-mode-only / #gh-dark-mode-only pair', async () => {
    const dir = docsTree('studiodocusaurus', { 'website/docusaurus.config.js': '', 'website/docs/brand.md': '# Brand\n\n' });
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/website/docs/brand.md`));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(doc.positionAt(9), doc.positionAt(9));
    await studio.receive({ type: 'image', action: 'insert', imageId: made[1].id });
    assert.strictEqual(doc.getText(), `# Brand\n\n![${PROMPT}](images/${NAME}.png#gh-light-mode-only)![${PROMPT}](images/${NAME}.dark.png#gh-dark-mode-only)`);
    assert.ok((await brightest(onDisk(`${dir}/website/docs/images/${NAME}.dark.png`))) <= 40, 'the twin is dark');
    assert.ok(there(`${dir}/website/docs/images/${NAME}.png`));
  });

  it('Save to Workspace writes both files; Copy Markdown Link copies the markup that switches', async () => {
    const { dir } = await markdownEditor('# Saved\n\n');
    await studio.receive({ type: 'image', action: 'save', imageId: made[0].id });
    const picture = `${dir}/images/${NAME}.png`;
    const twin = `${dir}/images/${NAME}.dark.png`;
    assert.strictEqual(lastNotice(studio), `Saved ${picture} and its dark twin ${twin}.`);
    assert.deepStrictEqual(readProvenance(onDisk(twin))?.twinOf, { kind: 'dark', path: `${NAME}.png`, source: fingerprint(onDisk(picture)) });
    await studio.receive({ type: 'image', action: 'copyLink', imageId: made[0].id });
    const markup = `<picture><source media="(prefers-color-scheme: dark)" srcset="images/${NAME}.dark.png">![${PROMPT}](images/${NAME}.png)</picture>`;
    assert.strictEqual(await vscode.env.clipboard.readText(), markup);
    assert.strictEqual(lastNotice(studio), `Copied ${markup}`);
  });

  it('Cancel while a twin is being made stops it: the picture stays, its card says the twin was cancelled', async () => {
    await withSetting('review', 'off', async () => {
      await script('ok', { mode: 'slow', arg: 20_000 });
      const from = studio.posted.length;
      const generating = studio.receive({ type: 'generate', prompt: 'a twin cancelled', options: OPTIONS, variants: 1, references: [], dark: true });
      await waitUntil('the twin being made', () => since(studio, from, 'progress').map((p) => p.text), (texts) => texts.includes('making its dark twin'));
      const started = Date.now();
      await studio.receive({ type: 'cancel' });
      await generating;
      assert.ok(Date.now() - started < 10_000, 'Cancel does not wait for the slow edit');
      assert.strictEqual(since(studio, from, 'variant').length, 1, 'the picture is made');
      const [twin] = since(studio, from, 'darkTwin');
      assert.strictEqual(twin.image.dark, undefined);
      assert.strictEqual(twin.image.darkError, 'Its dark twin was cancelled. The picture is kept without one.');
      assert.strictEqual(since(studio, from, 'finished').length, 1, 'the run is over');
    });
  });

  it('a twin that fails leaves its variant as it is and says why on its card', async () => {
    await withSetting('review', 'off', async () => {
      await script('ok', 'blocked');
      const from = studio.posted.length;
      await studio.receive({ type: 'generate', prompt: 'a twin the filter stops', options: OPTIONS, variants: 1, references: [], dark: true });
      const [variant] = since(studio, from, 'variant');
      assert.ok(variant, 'the picture is made');
      const [twin] = since(studio, from, 'darkTwin');
      assert.strictEqual(twin.image.dark, undefined);
      assert.match(twin.image.darkError ?? '', /^Its dark twin could not be made: .*safety filter.* The picture is kept without one\.$/);
      const history = await waitUntil('the history with the new entry', () => studio.of('history').at(-1)?.history ?? [], (h) => h.some((e) => e.prompt === 'a twin the filter stops'));
      const entry = history.find((e) => e.prompt === 'a twin the filter stops')!;
      assert.strictEqual(entry.images.length, 1, 'the variant is kept');
      assert.strictEqual(entry.images[0].darkError, twin.image.darkError);
    });
  });
});
