import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { runFill, scanForMissing } from '../../src/platform/fill';
import { fingerprint, readProvenance } from '../../src/core/images/metadata';
import { closeAll, docsTree, fake, fillWithApi, KEY, list, pngSize, requests, resetFake, root, run, uri, withSetting } from './helpers';
import { testServices } from './studioHarness';

interface JobSummary {
  name: string;
  label: string;
  state: string;
  images: number;
  report?: { made: string[]; failed: { uri: string; message: string }[]; skipped: { uri: string; reason: string }[]; cost: number; darkTwins?: { made: string[]; failed: string[]; cost: number } };
}

const tree = (files: Record<string, string>): string => docsTree('batch', files);

const read = (rel: string): string => fs.readFileSync(path.join(root().fsPath, rel), 'utf8');
const jobs = async (action = 'list', name?: string): Promise<JobSummary[]> => (await vscode.commands.executeCommand('illustrate.showBatchJobs', { action, name })) as JobSummary[];

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) {
      return v;
    }
    if (Date.now() > end) {
      assert.fail(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Waits for the job to end, then gives its summary. */
const finished = (name: string): Promise<JobSummary> =>
  until(`batch job ${name} to end`, async () => (await jobs()).find((j) => j.name === name && !['pending', 'running'].includes(j.state)));

describe('Fill Missing Images in batch mode (Google Batch API), in a real extension host', function () {
  this.timeout(120_000);
  const config = () => vscode.workspace.getConfiguration('illustrate');
  before(async () => {
    await run('illustrate.setApiKey', KEY);
    // The Batch API is Google's: the stand-in is reached as Google's endpoint is, with its key header.
    await config().update('authHeader', 'x-goog-api-key', vscode.ConfigurationTarget.Global);
  });
  after(() => config().update('authHeader', undefined, vscode.ConfigurationTarget.Global));
  beforeEach(() => resetFake());
  afterEach(() => closeAll());

  const fillBatch = (dir: string) => fillWithApi(dir, { batch: true }) as Promise<{ batch?: string; planned: number }>;

  it('submits one job, keeps it while Google works, then places every image as the interactive fill does', async () => {
    const page = '# Page\n\n![a harbour at dawn](img/harbour.png)\n\n![a JPEG answer \\[fake:jpegAsPng\\]](img/photo.png)\n\nAgain: ![the harbour](img/harbour.png)\n';
    const dir = tree({ 'page.md': page });
    await fake('/_fake/batch', { plan: 'hold' });
    const result = await fillBatch(dir);
    assert.ok(result.batch?.startsWith('batches/'), JSON.stringify(result));
    assert.strictEqual(result.planned, 2, 'the target linked twice is one request');
    // Pending: polled, nothing written yet.
    await until('a few polls', async () => (((await fake('/_fake/batches')) as { polls: number }[])[0]?.polls >= 2 ? true : undefined));
    const pending = (await jobs()).find((j) => j.name === result.batch);
    assert.strictEqual(pending?.state, 'pending');
    assert.deepStrictEqual(await list(`${dir}/img`), []);
    const submitted = (await requests()).filter((r) => r.url.endsWith(':batchGenerateContent'));
    assert.strictEqual(submitted.length, 1);
    assert.ok(submitted[0].keyMatched);
    assert.ok(!(await requests()).some((r) => r.url.includes(':generateContent')), 'no interactive request');

    await fake('/_fake/batch', { plan: 'auto' });
    const done = await finished(result.batch!);
    assert.strictEqual(done.state, 'succeeded');
    assert.strictEqual(done.report?.made.length, 2);
    assert.deepStrictEqual(await list(`${dir}/img`), ['harbour.png', 'photo.png']);
    assert.deepStrictEqual(pngSize(fs.readFileSync(path.join(root().fsPath, dir, 'img/harbour.png'))), { width: 1376, height: 768 });
    // The JPEG answer is written as the PNG its link names: no link is rewritten.
    assert.deepStrictEqual(pngSize(fs.readFileSync(path.join(root().fsPath, dir, 'img/photo.png'))), { width: 1376, height: 768 });
    assert.strictEqual(read(`${dir}/page.md`), page);
    assert.ok(done.report!.cost > 0 && done.report!.cost < 0.1, `half price: ${done.report!.cost}`);
  });

  it('with illustrate.variants.dark, each picture the job places gets its dark twin (an ordinary image edit) and its link switches; the report lists the twins', async () => {
    const page = '# Page\n\n![a harbour at dawn](img/harbour.png)\n';
    const dir = tree({ 'page.md': page });
    await withSetting('variants.dark', true, async () => {
      const { batch } = await fillBatch(dir);
      const done = await finished(batch!);
      assert.strictEqual(done.state, 'succeeded');
      assert.deepStrictEqual(await list(`${dir}/img`), ['harbour.dark.png', 'harbour.png']);
      // The switch is an edit of the page, as Fill's twins are: in the document, one undo takes it back.
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith(`${dir}/page.md`));
      assert.strictEqual(doc?.getText(), '# Page\n\n<picture><source media="(prefers-color-scheme: dark)" srcset="img/harbour.dark.png">![a harbour at dawn](img/harbour.png)</picture>\n');
      const twin = readProvenance(fs.readFileSync(path.join(root().fsPath, dir, 'img/harbour.dark.png')));
      assert.strictEqual(twin?.twinOf?.source, fingerprint(fs.readFileSync(path.join(root().fsPath, dir, 'img/harbour.png'))));
      assert.deepStrictEqual(done.report?.darkTwins?.made, [`${dir}/img/harbour.dark.png`]);
      assert.ok((done.report?.darkTwins?.cost ?? 0) > 0);
      const edits = (await requests()).filter((r) => r.url.includes(':generateContent'));
      assert.strictEqual(edits.length, 1, 'the twin is the one interactive request: an edit of the placed picture');
    });
  });

  it('a job that succeeds only partly reports each image; an expired job reports every image as not made', async () => {
    const page = '![fine](img/fine.png)\n![broken \\[fake:batchError\\]](img/broken.png)\n![unsafe \\[fake:blocked\\]](img/unsafe.png)\n';
    const dir = tree({ 'page.md': page });
    const partial = await finished((await fillBatch(dir)).batch!);
    assert.strictEqual(partial.state, 'partial');
    assert.deepStrictEqual(await list(`${dir}/img`), ['fine.png']);
    const messages = Object.fromEntries(partial.report!.failed.map((f) => [path.basename(vscode.Uri.parse(f.uri).path), f.message]));
    assert.match(messages['broken.png'], /Google's batch could not make this image: "Internal error encountered/);
    assert.match(messages['unsafe.png'], /blocked because the image was flagged by the safety filter/);
    assert.strictEqual(read(`${dir}/page.md`), page);

    await resetFake();
    await fake('/_fake/batch', { plan: 'expire' });
    const expired = await finished((await fillBatch(dir)).batch!);
    assert.strictEqual(expired.state, 'expired');
    assert.deepStrictEqual(
      expired.report!.failed.map((f) => [path.basename(vscode.Uri.parse(f.uri).path), f.message]),
      [
        ['broken.png', 'not made: the batch job expired before Google ran it'],
        ['unsafe.png', 'not made: the batch job expired before Google ran it'],
      ],
    );
    assert.deepStrictEqual(await list(`${dir}/img`), ['fine.png']);
  });

  it('Cancel stops a running job: nothing is written, and the list says so', async () => {
    const dir = tree({ 'page.md': '![one](img/one.png)\n![two](img/two.png)\n' });
    await fake('/_fake/batch', { plan: 'hold' });
    const { batch } = await fillBatch(dir);
    await jobs('cancel', batch);
    const done = await finished(batch!);
    assert.strictEqual(done.state, 'cancelled');
    assert.deepStrictEqual(await list(`${dir}/img`), []);
    await jobs('remove', batch);
    assert.ok(!(await jobs()).some((j) => j.name === batch));
  });
});

describe('Fill Missing Images: cancel mid-run and the workspace style, in a real extension host', function () {
  this.timeout(120_000);
  before(() => run('illustrate.setApiKey', KEY));
  beforeEach(() => resetFake());
  afterEach(() => closeAll());

  it('cancel mid-run: finished files stay, no partial file is left, and a second run makes only the rest', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 4; i++) {
      files[`doc${i}.md`] = `![picture ${i} \\[fake:slowBody:${i === 0 ? 100 : 4000}\\]](img/p${i}.png)\n`;
    }
    const dir = tree(files);
    const services = await testServices();
    const plan = await scanForMissing(uri(dir), new vscode.CancellationTokenSource().token);
    assert.strictEqual(plan.targets.length, 4);
    const controller = new AbortController();
    const running = runFill(services, plan.targets, controller.signal, () => undefined);
    // Once the first image is on disk and the next is half-way through its answer, cancel.
    await until('the first image', async () => ((await list(`${dir}/img`)).length === 1 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1000));
    controller.abort();
    const outcome = await running;
    assert.strictEqual(outcome.made.length, 1);
    assert.strictEqual(outcome.failed.length, 0, JSON.stringify(outcome.failed));
    assert.strictEqual(outcome.cancelled.length, 3);
    assert.deepStrictEqual(await list(`${dir}/img`), ['p0.png'], 'no partial file');
    pngSize(fs.readFileSync(path.join(root().fsPath, dir, 'img/p0.png')));

    await resetFake();
    const again = (await fillWithApi(dir)) as { planned: number; made: string[] };
    assert.strictEqual(again.planned, 3, 'only what is still missing');
    assert.strictEqual(again.made.length, 3);
    assert.deepStrictEqual(await list(`${dir}/img`), ['p0.png', 'p1.png', 'p2.png', 'p3.png']);
  });

  it('illustrate.style and illustrate.styleReferences go with every fill request; a reference outside the workspace is refused', async () => {
    const config = vscode.workspace.getConfiguration('illustrate');
    const dir = tree({ 'page.md': '![a lighthouse](img/lighthouse.png)\n', 'style/look.png': '' });
    // A real PNG as the style reference.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    fs.writeFileSync(path.join(root().fsPath, dir, 'style/look.png'), png);
    await config.update('style', 'flat vector, brand blue', vscode.ConfigurationTarget.Workspace);
    await config.update('styleReferences', [`${dir}/style/look.png`], vscode.ConfigurationTarget.Workspace);
    try {
      const made = (await fillWithApi(dir)) as { made: string[] };
      assert.strictEqual(made.made.length, 1);
      const sent = (await requests()).find((r) => r.url.includes(':generateContent'))!;
      const parts = sent.body.contents[0].parts;
      assert.strictEqual(parts[0].text, 'a lighthouse\n\nStyle: flat vector, brand blue');
      assert.deepStrictEqual(parts.slice(1).map((p) => [p.inlineData?.mimeType, p.inlineData?.data]), [['image/png', png.toString('base64')]]);

      await resetFake();
      fs.writeFileSync(path.join(root().fsPath, dir, 'page.md'), '![a harbour](img/harbour.png)\n');
      await config.update('styleReferences', ['../outside.png'], vscode.ConfigurationTarget.Workspace);
      const refused = (await fillWithApi(dir)) as { failed: string[] };
      assert.strictEqual(refused.failed.length, 1);
      assert.match(refused.failed[0], /The style reference "\.\.\/outside\.png" is outside the workspace folder/);
      assert.strictEqual((await requests()).length, 0, 'nothing was sent');
    } finally {
      await config.update('style', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('styleReferences', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
