/**
 * Reviews in the editor, in a real extension host against the stand-in: Review Images… over a
 * folder (each verdict in the image's record, failures first), and the hover's last verdict.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { readProvenance } from '../../src/core/images/metadata';
import { closeAll, docsTree, fillWithApi, KEY, requests, resetFake, root, run, uri } from './helpers';

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
