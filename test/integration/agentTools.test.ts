/**
 * The tools for Copilot agent mode, invoked as chat invokes them (`vscode.lm.invokeTool`), in a
 * real extension host against the stand-in server. (The workbench skips its confirmation dialogs
 * while extension tests run, so what the dialog says is asked of `prepareInvocation` directly.)
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { FillMissingImagesTool, GenerateImageTool } from '../../src/commands/agentTools';
import { closeAll, docsTree, KEY, requests, resetFake, root, run, studioHistory, uri } from './helpers';
import { testServices } from './studioHarness';
import { makePng } from '../fake-gemini/images';

const tree = (files: Record<string, string>): string => docsTree('tools', files);

const token = new vscode.CancellationTokenSource().token;

/** The confirmation the user is shown before the tool runs, as text. */
async function confirmation(tool: 'generate' | 'fill', input: object): Promise<string> {
  const services = await testServices();
  const prepared = tool === 'generate' ? await new GenerateImageTool(services).prepareInvocation({ input: input as never }) : await new FillMissingImagesTool(services).prepareInvocation({ input: input as never }, token);
  const c = prepared.confirmationMessages;
  return c ? `${c.title}\n${typeof c.message === 'string' ? c.message : c.message.value}` : '';
}

async function invoke(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
  return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

function onDisk(rel: string): Buffer {
  return fs.readFileSync(path.join(root().fsPath, rel));
}

describe('Agent tools (Copilot agent mode), in a real extension host', function () {
  this.timeout(60_000);
  before(() => run('illustrate.setApiKey', KEY));
  beforeEach(() => resetFake());
  afterEach(() => closeAll());

  it('are registered with their chat references', () => {
    const tools = vscode.lm.tools.filter((t) => t.name.startsWith('illustrate_'));
    assert.deepStrictEqual(tools.map((t) => t.name).sort(), ['illustrate_checkImages', 'illustrate_fillMissingImages', 'illustrate_generateImage', 'illustrate_makeDarkTwins', 'illustrate_makeTransparent', 'illustrate_reviewImages', 'illustrate_translateImages', 'illustrate_writeAltText']);
    const generate = tools.find((t) => t.name === 'illustrate_generateImage');
    assert.deepStrictEqual((generate?.inputSchema as { required: string[] }).required, ['prompt']);
  });

  it('illustrate_generateImage: asks with the cost, then writes the file and its link in one undoable edit', async () => {
    const dir = tree({ 'guide.md': '# Guide\n\nIntro.\n' });
    const input = { prompt: 'a paper boat on a pond', document: `${dir}/guide.md`, line: 3, aspectRatio: '1:1' };
    const asked = await confirmation('generate', input);
    assert.match(asked, /^Generate an image with Illustrate \(≈ \$0\.\d+\)\?/);
    assert.match(asked, /a paper boat on a pond/);
    assert.match(asked, /gemini-3\.1-flash-image · 1:1 · 1K · \*\*≈ \$0\.\d+\*\*/);
    assert.ok(asked.includes(`linked in \`${dir}/guide.md\` at line 3`), asked);
    assert.strictEqual((await requests()).length, 0, 'asking spends nothing');
    const text = await invoke('illustrate_generateImage', input);
    assert.match(text, new RegExp(`^Saved ${dir}/images/a-paper-boat-on-a-pond\\.png \\(1024×1024 PNG, gemini-3\\.1-flash-image, ≈ \\$0\\.\\d+\\)\\.`));
    assert.ok(text.includes('![a paper boat on a pond](images/a-paper-boat-on-a-pond.png)'), text);
    assert.strictEqual(onDisk(`${dir}/images/a-paper-boat-on-a-pond.png`).subarray(1, 4).toString('latin1'), 'PNG');
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/guide.md`));
    assert.strictEqual(doc.getText(), '# Guide\n\n![a paper boat on a pond](images/a-paper-boat-on-a-pond.png)\n\nIntro.\n');
    // One undo removes the link and the file.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText(), '# Guide\n\nIntro.\n');
    for (let i = 0; i < 20 && fs.existsSync(path.join(root().fsPath, dir, 'images/a-paper-boat-on-a-pond.png')); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(!fs.existsSync(path.join(root().fsPath, dir, 'images/a-paper-boat-on-a-pond.png')));
  });

  it('illustrate_generateImage fills a matching missing link, in the link’s own format (a JPEG answer becomes the PNG it names)', async () => {
    const dir = tree({ 'page.md': '# Page\n\n![a harbour at dawn \\[fake:jpegAsPng\\]](pics/harbour.png)\n' });
    const input = { prompt: 'a harbour at dawn [fake:jpegAsPng]', document: `${dir}/page.md` };
    assert.ok((await confirmation('generate', input)).includes(`Saved to \`${dir}/pics/harbour.png\`, filling the missing link in \`${dir}/page.md\``));
    const text = await invoke('illustrate_generateImage', input);
    assert.match(text, new RegExp(`^Saved ${dir}/pics/harbour\\.png`));
    assert.strictEqual(onDisk(`${dir}/pics/harbour.png`).subarray(1, 4).toString('latin1'), 'PNG');
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/page.md`));
    assert.strictEqual(doc.getText(), '# Page\n\n![a harbour at dawn \\[fake:jpegAsPng\\]](pics/harbour.png)\n');
  });

  it('illustrate_fillMissingImages: a dry run lists without asking; a run asks with the count and cost, then fills', async () => {
    const dir = tree({ 'a.md': '![a fox](img/fox.png)\n![an owl](img/owl.png)\n![there](img/there.png)\n', 'img/there.png': 'x' });
    assert.strictEqual(await confirmation('fill', { path: dir, dryRun: true }), '', 'a dry run is not confirmed');
    const plan = await invoke('illustrate_fillMissingImages', { path: dir, dryRun: true });
    assert.match(plan, /^2 missing image\(s\) in 1 document\(s\) · gemini-3\.1-flash-image 1K · ≈ \$0\.\d+ · 1 already there/);
    assert.strictEqual((await requests()).length, 0);

    const asked = await confirmation('fill', { path: dir });
    assert.match(asked, /^Generate 2 missing image\(s\) with Illustrate \(≈ \$0\.\d+\)\?/);
    assert.ok(asked.includes(`${dir}/img/fox.png — a fox`), asked);
    const ran = await invoke('illustrate_fillMissingImages', { path: dir });
    assert.match(ran, /^Filled 2 of 2 · 0 failed/);
    assert.deepStrictEqual(fs.readdirSync(path.join(root().fsPath, dir, 'img')).sort(), ['fox.png', 'owl.png', 'there.png']);
    assert.strictEqual(onDisk(`${dir}/img/fox.png`).subarray(1, 4).toString('latin1'), 'PNG');
  });

  it('a path outside the workspace is refused with a clear message, and nothing is written', async () => {
    await assert.rejects(invoke('illustrate_generateImage', { prompt: 'x', path: '../outside.png' }), /outside the workspace/);
    assert.ok(!fs.existsSync(path.join(path.dirname(root().fsPath), 'outside.png')));
    assert.strictEqual((await requests()).length, 0);
  });
  it('illustrate_checkImages lists missing, stale and generic images and spends nothing; illustrate_fillMissingImages with stale makes the stale one again in place', async () => {
    const dir = tree({ 'guide.md': '![a fox in the snow](img/fox.png)\n\n![image](img/shot.png)\n' });
    fs.mkdirSync(path.join(root().fsPath, dir, 'img'), { recursive: true });
    fs.writeFileSync(path.join(root().fsPath, dir, 'img/shot.png'), makePng(16, 16));
    // The fox is made by Illustrate, then its alt text changes.
    const made = await invoke('illustrate_fillMissingImages', { path: dir });
    assert.match(made, /^Filled 1 of 1/);
    // The writer changes the alt text (in the editor: the fill opened the page).
    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/guide.md`));
    const edit = new vscode.WorkspaceEdit();
    const at = doc.getText().indexOf('a fox in the snow');
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'a fox in the snow'.length)), 'a red fox in deep snow');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await doc.save();
    await resetFake();
    const text = await invoke('illustrate_checkImages', { path: dir });
    const lines = text.split('\n');
    assert.strictEqual(lines[0], '2 finding(s) in 1 document(s)', text);
    assert.match(lines[1], /guide\.md:1 {2}!\[a red fox in deep snow\]\(img\/fox\.png\) — stale: the alt text changed since this image was made from "a fox in the snow" \(illustrate fill --stale\)$/);
    assert.match(lines[2], /guide\.md:3 {2}!\[image\]\(img\/shot\.png\) — genericAlt: /);
    assert.strictEqual((await requests()).length, 0, 'the check spends nothing');
    const alt = (await invoke('illustrate_checkImages', { path: dir, only: ['alt'] })).split('\n');
    assert.strictEqual(alt[0], '1 finding(s) in 1 document(s)');
    assert.match(alt[1], /guide\.md:3 {2}!\[image\]\(img\/shot\.png\) — genericAlt: /);
    await assert.rejects(invoke('illustrate_checkImages', { path: dir, only: ['broken'] }), /"only" takes missing, stale or alt/);
    const before = onDisk(`${dir}/img/fox.png`);
    const again = await invoke('illustrate_fillMissingImages', { path: dir, stale: true });
    assert.match(again, /^Filled 1 of 1/);
    assert.strictEqual((await requests())[0].body.contents[0].parts[0].text, 'a red fox in deep snow');
    assert.ok(!onDisk(`${dir}/img/fox.png`).equals(before), 'replaced in place');
    assert.deepStrictEqual(fs.readdirSync(path.join(root().fsPath, dir, 'img')).sort(), ['fox.png', 'shot.png']);
    // The old picture is in the Studio's history, under the prompt it was made from, as Regenerate keeps it.
    const [kept] = await studioHistory();
    assert.strictEqual(kept.prompt, 'a fox in the snow');
    assert.deepStrictEqual(kept.images.map((i) => [i.savedAs, i.bytes]), [[`${dir}/img/fox.png`, before.length]]);
  });
  it('illustrate_writeAltText: a dry run lists the images without alt text and spends nothing; a run writes them', async () => {
    const dir = tree({ 'page.md': '# Page\n\n![](img/shot.png)\n' });
    fs.mkdirSync(path.join(root().fsPath, dir, 'img'), { recursive: true });
    fs.writeFileSync(path.join(root().fsPath, dir, 'img/shot.png'), makePng(900, 500));
    const dry = await invoke('illustrate_writeAltText', { path: dir, dryRun: true });
    assert.match(dry, /^1 image\(s\) need alt text in 1 document\(s\) · gemini-3\.1-flash-lite · ≈ \$0\.000\d+/);
    assert.match(dry, new RegExp(`- ${dir}/img/shot\\.png — ${dir}/page\\.md:3`));
    assert.strictEqual((await requests()).filter((r) => r.url.includes(':generateContent')).length, 0);
    const ran = await invoke('illustrate_writeAltText', { path: dir });
    assert.match(ran, /^Alt text written for 1 of 1 images · 0 decorative · 0 failed/);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith(`${dir}/page.md`));
    assert.strictEqual(doc?.getText(), '# Page\n\n![A diagram of the request flow from the browser through the API gateway to the database.](img/shot.png)\n');
  });

  it('illustrate_reviewImages: a dry run lists the pictures and the cost and spends nothing; a run gives each verdict and keeps it', async () => {
    const dir = tree({ 'page.md': '# Page\n\n![a road sign that reads "Slow" review:fail](img/sign.png)\n' });
    fs.mkdirSync(path.join(root().fsPath, dir, 'img'), { recursive: true });
    fs.writeFileSync(path.join(root().fsPath, dir, 'img/sign.png'), makePng(900, 500));
    const dry = await invoke('illustrate_reviewImages', { path: dir, dryRun: true });
    assert.match(dry, /^1 image\(s\) to review in 1 document\(s\) · gemini-3\.1-flash-lite · ≈ \$0\.000\d+/);
    assert.ok(dry.includes(`- ${dir}/img/sign.png — a road sign that reads "Slow" review:fail`), dry);
    assert.strictEqual((await requests()).filter((r) => r.url.includes(':generateContent')).length, 0);
    const before = onDisk(`${dir}/img/sign.png`);
    const ran = await invoke('illustrate_reviewImages', { path: dir });
    assert.match(ran, /^Reviewed 1 of 1 images · 0 passed · 1 failed · 0 not reviewed/);
    assert.match(ran, new RegExp(`- ${dir}/img/sign\\.png: fail \\(.+\\)`));
    assert.deepStrictEqual(onDisk(`${dir}/img/sign.png`), before, 'a picture Illustrate did not make keeps its bytes');
  });
});
