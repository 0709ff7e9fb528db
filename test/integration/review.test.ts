/**
 * Reviews in the editor, in a real extension host against the stand-in: Review Images… over a
 * folder (each verdict in the image's record, failures first), and the hover's last verdict; Fill
 * with reviews; a single generation, Regenerate and Edit Image reviewed, and the notification of a
 * picture that failed its review (why, Regenerate, Keep) answered as the user would.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { readProvenance } from '../../src/core/images/metadata';
import { closeAll, docsTree, fillWithApi, KEY, requests, resetFake, root, run, Shown, studioHistory, uri, waitUntil, watchNotifications } from './helpers';

interface ReviewApi {
  reviewImages(resource?: vscode.Uri): Promise<{ planned: number; verdicts: { file: string; status: string; reasons: string[]; kept: boolean }[]; failed: string[] } | undefined>;
}

async function api(): Promise<ReviewApi> {
  const extension = vscode.extensions.getExtension<ReviewApi>('illustrate.illustrate')!;
  return extension.isActive ? extension.exports : extension.activate();
}

describe('Reviews in the editor, in a real extension host', function () {
  this.timeout(60_000);
  before(() => run('illustrate.setApiKey', KEY));
  beforeEach(() => resetFake());
  afterEach(() => closeAll());

  it('Review Images… keeps each verdict in its picture, failures first; the hover shows the last one', async () => {
    const page = '# Signs\n\n![a shop sign that reads "Welcome" review:fail](img/welcome.png)\n\n![a kite over green hills](img/kite.png)\n\n![a photo from elsewhere, a red door](img/door.png)\n';
    const dir = docsTree('review', { 'page.md': page });
    const filled = (await fillWithApi(dir)) as { made: string[] };
    assert.strictEqual(filled.made.length, 3);
    // One picture not made by Illustrate: reviewed against its alt text, its file never rewritten.
    const door = path.join(root().fsPath, dir, 'img/door.png');
    fs.copyFileSync(path.join(root().fsPath, dir, 'img/kite.png'), door);
    const stripped = fs.readFileSync(door);
    // A PNG without Illustrate's record: keep only the chunks up to the first IDAT and after (drop iTXt/tEXt).
    fs.writeFileSync(door, withoutTextChunks(stripped));
    const doorBefore = fs.readFileSync(door);
    await resetFake();

    const result = await (await api()).reviewImages(uri(dir));
    assert.ok(result, 'the run finished');
    // Failures first; the passes in the order they finished.
    assert.deepStrictEqual(result.verdicts[0] && [result.verdicts[0].file, result.verdicts[0].status, result.verdicts[0].kept], [`${dir}/img/welcome.png`, 'fail', true]);
    assert.deepStrictEqual(
      result.verdicts.slice(1).map((v) => [v.file, v.status, v.kept]).sort(),
      [
        [`${dir}/img/door.png`, 'pass', false],
        [`${dir}/img/kite.png`, 'pass', true],
      ],
    );
    assert.match(result.verdicts[0].reasons.join(' '), /Welcom/);
    const sent = (await requests()).filter((r) => r.body?.generationConfig?.responseSchema);
    assert.strictEqual(sent.length, 3, 'one review call per picture');
    const welcome = readProvenance(fs.readFileSync(path.join(root().fsPath, dir, 'img/welcome.png')));
    assert.strictEqual(welcome?.review?.status, 'fail');
    assert.match(welcome?.review?.problems.map((p) => p.reason).join(' ') ?? '', /Welcom/);
    assert.strictEqual(readProvenance(fs.readFileSync(path.join(root().fsPath, dir, 'img/kite.png')))?.review?.status, 'pass');
    assert.deepStrictEqual(fs.readFileSync(door), doorBefore, 'an image Illustrate did not make is not rewritten');

    const doc = await vscode.workspace.openTextDocument(uri(`${dir}/page.md`));
    await vscode.window.showTextDocument(doc);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, doc.positionAt(page.indexOf('shop sign')));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Review: failed: .*Welcom/);
  });
  it('Fill with illustrate.review on: each picture reviewed beside the run, its verdict in its file; retry keeps the better one', async () => {
    const config = vscode.workspace.getConfiguration('illustrate');
    const was = config.inspect('review')?.globalValue;
    await config.update('review', 'retry', vscode.ConfigurationTarget.Global);
    try {
      const page = '# Signs\n\n![a door sign that reads "Open" review:failonce](img/open.png)\n\n![a kite over green hills](img/kite.png)\n';
      const dir = docsTree('reviewfill', { 'page.md': page });
      const filled = (await fillWithApi(dir)) as { made: string[] };
      assert.deepStrictEqual([...filled.made].sort(), [`${dir}/img/kite.png`, `${dir}/img/open.png`]);
      const open = readProvenance(fs.readFileSync(path.join(root().fsPath, dir, 'img/open.png')));
      assert.strictEqual(open?.review?.status, 'pass', 'the retry, which passed, is kept');
      assert.strictEqual(readProvenance(fs.readFileSync(path.join(root().fsPath, dir, 'img/kite.png')))?.review?.status, 'pass');
      const all = await requests();
      const reviews = all.filter((r) => r.body?.generationConfig?.responseSchema);
      assert.strictEqual(reviews.length, 3, 'two reviews and the retry\'s');
      const retry = all.filter((r) => r.url.includes(':generateContent') && !r.body?.generationConfig?.responseSchema).map((r) => r.body.contents[0].parts[0].text ?? '');
      assert.strictEqual(retry.length, 3, 'two pictures and one made again');
      assert.ok(retry.some((t) => /Avoid what an earlier picture/.test(t)), retry.join('\n---\n'));
      assert.strictEqual(fs.readFileSync(path.join(root().fsPath, dir, 'page.md'), 'utf8'), page);
    } finally {
      await config.update('review', was, vscode.ConfigurationTarget.Global);
    }
  });

  describe('a single picture that fails its review', () => {
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('illustrate');
    let was: unknown;
    before(async () => {
      was = config().inspect('review')?.globalValue;
      await config().update('review', 'report', vscode.ConfigurationTarget.Global);
    });
    after(() => config().update('review', was, vscode.ConfigurationTarget.Global));

    /** A page with one image link, open, the cursor in the link; the picture's path on disk. */
    async function pageWith(prefix: string, alt: string): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor; text: string; dir: string; file: string }> {
      const text = `# Signs\n\n![${alt}](img/sign.png)\n`;
      const dir = docsTree(prefix, { 'page.md': text });
      const doc = await vscode.workspace.openTextDocument(uri(`${dir}/page.md`));
      const editor = await vscode.window.showTextDocument(doc);
      const at = doc.positionAt(text.indexOf('sign.png'));
      editor.selection = new vscode.Selection(at, at);
      return { doc, editor, text, dir, file: path.join(root().fsPath, dir, 'img/sign.png') };
    }
    const failedReview = (s: Shown): boolean => s.message.startsWith('The review of sign.png found problems');
    const images = (all: Awaited<ReturnType<typeof requests>>): string[] => all.filter((r) => r.url.includes(':generateContent') && !r.body?.generationConfig?.responseSchema).map((r) => r.body.contents[0].parts[0].text ?? '');
    const reviews = (all: Awaited<ReturnType<typeof requests>>): number => all.filter((r) => r.body?.generationConfig?.responseSchema).length;

    it('Generate from Alt Text: the notification says why and offers Regenerate and Keep; Keep leaves the file with its failed verdict and the link as written', async () => {
      const watch = watchNotifications((s) => (failedReview(s) ? 'Keep' : undefined));
      try {
        const { doc, text, file } = await pageWith('reviewkeep', 'a shop sign that reads "Welcome" review:fail');
        const made = await run('illustrate.generateFromAltText');
        assert.ok(made.ok, made.message);
        const [warning] = await waitUntil('the failed review\'s notification', () => watch.shown.filter(failedReview), (w) => w.length === 1);
        assert.strictEqual(warning.severity, 'warning');
        assert.match(warning.message, /^The review of sign\.png found problems: review failed: .*Welcom/);
        assert.deepStrictEqual(warning.items, ['Regenerate', 'Keep']);
        const kept = fs.readFileSync(file);
        const record = readProvenance(kept);
        assert.strictEqual(record?.review?.status, 'fail', 'the verdict is in the file');
        assert.match(record?.review?.problems.map((p) => p.reason).join(' ') ?? '', /Welcom/);
        // Keep: nothing more is sent, the file stays as it is, the page's link as written.
        await new Promise((r) => setTimeout(r, 1000));
        const all = await requests();
        assert.deepStrictEqual([images(all).length, reviews(all)], [1, 1]);
        assert.ok(fs.readFileSync(file).equals(kept));
        assert.strictEqual(doc.getText(), text);
        assert.strictEqual(watch.shown.filter(failedReview).length, 1);
      } finally {
        await watch.restore();
      }
    });

    it('Regenerate: made again with the reviewer\'s reasons in the request, reviewed again, over the same file; the one replaced goes to the history', async () => {
      const watch = watchNotifications((s) => (failedReview(s) ? 'Regenerate' : undefined));
      try {
        const alt = 'a door sign that reads "Open" review:failonce';
        const { doc, text, dir, file } = await pageWith('reviewagain', alt);
        const made = await run('illustrate.generateFromAltText');
        assert.ok(made.ok, made.message);
        await waitUntil('the failed review\'s notification', () => watch.shown.filter(failedReview).length, (n) => n === 1);
        // The file is replaced through a WorkspaceEdit: for a moment it may not be there.
        const verdictOnDisk = (): string | undefined => {
          try {
            return readProvenance(fs.readFileSync(file))?.review?.status;
          } catch {
            return undefined;
          }
        };
        const again = await waitUntil('the picture made again, its review passed', verdictOnDisk, (s) => s === 'pass');
        assert.strictEqual(again, 'pass');
        const all = await requests();
        const sent = images(all);
        assert.strictEqual(sent.length, 2, sent.join('\n---\n'));
        assert.strictEqual(sent[0], alt);
        assert.ok(sent[1].startsWith(`${alt}\n\nAvoid what an earlier picture for these words got wrong:\n- `), sent[1]);
        assert.match(sent[1], /Open/);
        assert.strictEqual(reviews(all), 2);
        const record = readProvenance(fs.readFileSync(file));
        assert.strictEqual(record?.prompt, alt, 'the record keeps the words the picture stands for');
        assert.strictEqual(doc.getText(), text, 'the link as written');
        assert.deepStrictEqual(fs.readdirSync(path.dirname(file)), ['sign.png'], 'over the same file');
        const history = await studioHistory();
        assert.ok(history.some((h) => h.images.some((i) => i.savedAs === `${dir}/img/sign.png`)), 'the replaced picture is in the Studio\'s history');
        assert.strictEqual(watch.shown.filter(failedReview).length, 1, 'the second picture passed: no second warning');
      } finally {
        await watch.restore();
      }
    });

    it('Regenerate from the new alt text is reviewed as a generation is: its verdict in the file, the failed review\'s notification', async () => {
      const watch = watchNotifications((s) => (failedReview(s) ? 'Keep' : undefined));
      try {
        await config().update('review', 'off', vscode.ConfigurationTarget.Global);
        const { editor, file } = await pageWith('reviewregen', 'an exit sign');
        assert.ok((await run('illustrate.generateFromAltText')).ok);
        const before = fs.readFileSync(file);
        assert.strictEqual(readProvenance(before)?.review, undefined, 'made with reviews off');
        await config().update('review', 'report', vscode.ConfigurationTarget.Global);
        const text = editor.document.getText();
        const from = text.indexOf('an exit sign');
        await editor.edit((b) => b.replace(new vscode.Range(editor.document.positionAt(from), editor.document.positionAt(from + 'an exit sign'.length)), 'an exit sign that reads "Exit" review:fail'));
        await resetFake();
        const result = await run('illustrate.regenerateImage');
        assert.ok(result.ok, result.message);
        const all = await requests();
        assert.deepStrictEqual([images(all), reviews(all)], [['an exit sign that reads "Exit" review:fail'], 1]);
        const record = readProvenance(fs.readFileSync(file));
        assert.strictEqual(record?.review?.status, 'fail');
        const [warning] = await waitUntil('the failed review\'s notification', () => watch.shown.filter(failedReview), (w) => w.length === 1);
        assert.deepStrictEqual(warning.items, ['Regenerate', 'Keep']);
        assert.ok(watch.shown.some((s) => s.message === 'Replaced sign.png. The old picture is in the Image Studio\'s history.'), 'and the Undo offer, as before');
      } finally {
        await watch.restore();
      }
    });
  });
});


/** A PNG with its text chunks (Illustrate's record) taken out. */
function withoutTextChunks(png: Buffer): Buffer {
  const parts = [png.subarray(0, 8)];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    const end = at + 12 + length;
    if (!['iTXt', 'tEXt', 'zTXt'].includes(type)) {
      parts.push(png.subarray(at, end));
    }
    at = end;
  }
  return Buffer.concat(parts);
}
