/**
 * Docs images that stay true to their docs, in a real extension host: the stale diagnostic after
 * the alt text is edited, Regenerate (one undo brings the old bytes back), Keep this image, Edit
 * Image… (the stand-in receives the image and the instruction), the hover.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { readProvenance } from '../../src/core/images/metadata';
import { closeAll, docsTree, KEY, requests, resetFake, root, run, studioHistory, uri, waitUntil } from './helpers';

function ours(doc: vscode.TextDocument): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Illustrate');
}

/** A page whose image Illustrate made from its alt text; returns the open editor and the image's path on disk. */
async function madePage(name: string, alt: string): Promise<{ editor: vscode.TextEditor; doc: vscode.TextDocument; file: string; dir: string }> {
  const text = `# Architecture\n\n![${alt}](img/flow.png)\n\nSee above.\n`;
  const dir = docsTree(name, { 'page.md': text });
  const doc = await vscode.workspace.openTextDocument(uri(`${dir}/page.md`));
  const editor = await vscode.window.showTextDocument(doc);
  const at = doc.positionAt(text.indexOf('flow.png'));
  editor.selection = new vscode.Selection(at, at);
  const made = await run('illustrate.generateFromAltText');
  assert.ok(made.ok, made.message);
  return { editor, doc, file: path.join(root().fsPath, dir, 'img/flow.png'), dir };
}

/** The command of the Quick Fix whose title starts with `title`, on the image of `doc` (its arguments carry Illustrate's ticket). */
async function quickFix(doc: vscode.TextDocument, title: string): Promise<vscode.Command> {
  const at = doc.positionAt(doc.getText().indexOf('![') + 3);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(at, at));
  const action = actions.find((a) => a.title.startsWith(title));
  assert.ok(action?.command, actions.map((a) => a.title).join(' | '));
  return action.command;
}

/** Runs a command that asks in an input box, pressing Enter on what it offers. */
async function runAccepting(command: string, ...args: unknown[]): Promise<{ ok: boolean; message: string }> {
  let settled = false;
  const pending = run(command, ...args).finally(() => (settled = true));
  for (let i = 0; i < 100 && !settled; i++) {
    await new Promise((r) => setTimeout(r, 100));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return pending;
}

async function editAlt(editor: vscode.TextEditor, from: string, to: string): Promise<void> {
  const text = editor.document.getText();
  const start = editor.document.positionAt(text.indexOf(from));
  await editor.edit((b) => b.replace(new vscode.Range(start, start.translate(0, from.length)), to));
}

describe('Images that stay true to their docs, in a real extension host', function () {
  this.timeout(60_000);
  before(() => run('illustrate.setApiKey', KEY));
  beforeEach(() => resetFake());
  afterEach(() => closeAll());

  it('the diagnostic appears once the alt text is edited; Regenerate replaces the picture, one undo brings the old bytes back', async () => {
    const { editor, doc, file, dir } = await madePage('stale', 'the request flow');
    const before = fs.readFileSync(file);
    assert.strictEqual(readProvenance(before)?.prompt, 'the request flow');
    await waitUntil('no diagnostic on a fresh image', () => ours(doc), (d) => d.length === 0, 3000);

    await editAlt(editor, 'the request flow', 'the request flow with the new cache');
    const [diag] = await waitUntil('the stale diagnostic', () => ours(doc), (d) => d.length === 1);
    assert.strictEqual(diag.message, 'The alt text changed since this image was made');
    assert.strictEqual(diag.severity, vscode.DiagnosticSeverity.Information);
    assert.strictEqual(doc.getText(diag.range), '![the request flow with the new cache](img/flow.png)');

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(diag.range.start.translate(0, 3), diag.range.start.translate(0, 3)));
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Regenerate "flow.png" from the new alt text'), titles.join(' | '));
    assert.ok(titles.includes('Keep this image for the new alt text'), titles.join(' | '));
    assert.ok(titles.includes('Edit "flow.png" with Illustrate…'), titles.join(' | '));

    const regenerate = actions.find((a) => a.title.startsWith('Regenerate'))!;
    await resetFake();
    const result = (await vscode.commands.executeCommand(regenerate.command!.command, ...(regenerate.command!.arguments ?? []))) as { ok: boolean; message: string };
    assert.ok(result.ok, result.message);
    const sent = await requests();
    assert.strictEqual(sent.length, 1);
    assert.strictEqual(sent[0].body.contents[0].parts[0].text, 'the request flow with the new cache');
    const after = fs.readFileSync(file);
    assert.ok(!after.equals(before), 'the picture was replaced');
    assert.strictEqual(readProvenance(after)?.prompt, 'the request flow with the new cache');
    assert.deepStrictEqual(fs.readdirSync(path.dirname(file)), ['flow.png'], 'in place: same file, no other');
    await waitUntil('the diagnostic gone', () => ours(doc), (d) => d.length === 0);

    // One undo (the notification's Undo runs this command): the old picture is back, byte for byte; the page is as the writer left it.
    const undone = await run('illustrate.undoImageReplace');
    assert.ok(undone.ok, undone.message);
    assert.strictEqual(undone.message, 'flow.png is back as it was.');
    assert.ok(fs.readFileSync(file).equals(before), 'the old bytes, exactly');
    assert.ok(doc.getText().includes('![the request flow with the new cache](img/flow.png)'));
    // The old version was also kept in the Studio's history.
    const [kept] = await studioHistory();
    assert.strictEqual(kept.prompt, 'the request flow');
    assert.deepStrictEqual(kept.images.map((i) => [i.savedAs, i.bytes]), [[`${dir}/img/flow.png`, before.length]]);
    await waitUntil('the stale diagnostic again', () => ours(doc), (d) => d.length === 1);
  });

  it('Keep this image silences it: the file records the new alt text, and the check agrees', async () => {
    const { editor, doc, file } = await madePage('keep', 'a lighthouse');
    await editAlt(editor, 'a lighthouse', 'a lighthouse at dusk');
    await waitUntil('the stale diagnostic', () => ours(doc), (d) => d.length === 1);
    const keep = await quickFix(doc, 'Keep this image');
    const result = await run(keep.command, ...(keep.arguments ?? []));
    assert.ok(result.ok, result.message);
    assert.strictEqual(result.message, 'Kept flow.png for its new alt text.');
    await waitUntil('the diagnostic gone', () => ours(doc), (d) => d.length === 0);
    const meta = readProvenance(fs.readFileSync(file));
    assert.strictEqual(meta?.keptAlt, 'a lighthouse at dusk');
    assert.strictEqual(meta?.prompt, 'a lighthouse', 'what it was made from is still true');
    assert.strictEqual((await requests()).filter((r) => r.url.includes(':generateContent')).length, 1, 'keeping spends nothing');
  });

  it('Edit Image… on a link sends the image and the instruction, replaces the picture in place, and every link to it still works', async () => {
    const { doc, file, dir } = await madePage('edit', 'the request flow');
    fs.writeFileSync(path.join(root().fsPath, dir, 'other.md'), 'Also here: ![the request flow](img/flow.png)\n');
    const before = fs.readFileSync(file);
    await resetFake();
    const edit = await quickFix(doc, 'Edit "flow.png"');
    const result = await run(edit.command, ...(edit.arguments ?? []), 'add a cache box between API and DB');
    assert.ok(result.ok, result.message);
    const [sent] = await requests();
    const parts = sent.body.contents[0].parts;
    assert.match(parts[0].text ?? '', /add a cache box between API and DB/);
    const image = parts.find((p) => p.inlineData);
    assert.strictEqual(image?.inlineData?.mimeType, 'image/png');
    assert.ok(Buffer.from(image!.inlineData!.data, 'base64').equals(before), 'the picture as it was on disk');
    const after = fs.readFileSync(file);
    assert.ok(!after.equals(before));
    const meta = readProvenance(after);
    assert.strictEqual(meta?.prompt, 'the request flow', 'still the alt text it stands for: not stale');
    assert.strictEqual(meta?.edit?.instruction, 'add a cache box between API and DB');
    assert.deepStrictEqual(fs.readdirSync(path.dirname(file)), ['flow.png']);
    assert.strictEqual(fs.readFileSync(path.join(root().fsPath, dir, 'other.md'), 'utf8'), 'Also here: ![the request flow](img/flow.png)\n');
    assert.ok(doc.getText().includes('![the request flow](img/flow.png)'));
    await waitUntil('no diagnostic', () => ours(doc), (d) => d.length === 0, 2000);

    // From the Explorer: the file itself. An instruction given with it is offered in the input box; Enter sends it.
    await resetFake();
    const fromFile = await runAccepting('illustrate.editImage', vscode.Uri.file(file), 'make the background white');
    assert.ok(fromFile.ok, fromFile.message);
    assert.match((await requests())[0].body.contents[0].parts[0].text ?? '', /make the background white/);
  });

  it('the hover shows the picture, its size and weight, how it was made, and its commands', async () => {
    const { doc } = await madePage('hover', 'a kite over the hills');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, doc.positionAt(doc.getText().indexOf('kite')));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /<img src="[^"]*flow\.png" width="240">/);
    assert.match(text, /flow\.png · \d+ × \d+ · [\d.]+ (KB|MB) PNG/);
    assert.match(text, /Made by Illustrate from "a kite over the hills"/);
    assert.match(text, /gemini-[a-z0-9.-]+ · \d{4}-\d\d-\d\d · ≈ \$\d/);
    assert.match(text, /\[Regenerate\]\(command:illustrate\.regenerateImage\?/);
    assert.match(text, /\[Edit…\]\(command:illustrate\.editImage\?/);
    assert.match(text, /\[Open in Studio\]\(command:illustrate\.openStudio\?/);
  });
});
