import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GUIDE, PAGE } from '../fixtures/docsTree';
import { closeAll, docsTree, fake, fillWithApi, KEY, list, requests, resetFake, root, run, script } from './helpers';

interface FillResult {
  planned: number;
  made: string[];
  failed: string[];
  cancelled: string[];
  skipped: { target: string; reason: string }[];
  existing: number;
}

const tree = (files: Record<string, string>): string => docsTree('fill', files);

function read(rel: string): string {
  return fs.readFileSync(path.join(root().fsPath, rel), 'utf8');
}

function fill(dir: string): Promise<FillResult> {
  return fillWithApi(dir) as Promise<FillResult>;
}

describe('Fill Missing Images, in a real extension host', function () {
  this.timeout(120_000);
  before(() => run('illustrate.setApiKey', KEY));
  beforeEach(() => resetFake());
  afterEach(() => closeAll());

  it('fills every missing image of a docs tree once, in the format each link names, leaves the rest with reasons, and changes no link', async () => {
    const guide = GUIDE;
    const page = PAGE;
    const dir = tree({
      'guide.md': guide,
      'nested/deeper/page.md': page,
      'notes.mdx': '![an mdx image](images/mdx.png)\n',
      'images/existing.png': 'x',
    });
    const outside = path.join(path.dirname(root().fsPath), `fill-outside-${Date.now().toString(36)}`);
    fs.mkdirSync(outside, { recursive: true });
    fs.symlinkSync(outside, path.join(root().fsPath, dir, 'linked'));

    const result = await fill(dir);
    assert.ok(result, 'the command ran');
    assert.deepStrictEqual(result.failed, []);
    assert.deepStrictEqual([...result.made].sort(), [
      `${dir}/images/build.png`,
      `${dir}/images/html.png`,
      `${dir}/images/mdx.png`,
      `${dir}/images/ref.jpg`,
      `${dir}/my images/flow chart.png`,
      `${dir}/nested/deeper/pics/jpeg.png`,
      `${dir}/nested/pics/nested.png`,
    ]);
    assert.deepStrictEqual(
      result.skipped.map((s) => `${s.target.replace(`${dir}/`, '')} — ${s.reason}`),
      [
        'guide.md: images/fenced.png — inside code',
        'guide.md: images/inline.png — inside code',
        'guide.md: https://example.com/a.png — a remote URL',
        'guide.md: images/logo.svg — a format Illustrate cannot make (.svg, .gif)',
        'guide.md: images/no-alt.png — no alt text to use as the prompt',
        'guide.md: ../../outside.png — outside the workspace folder',
        'guide.md: linked/escape.png — through a symbolic link that leads outside the workspace',
      ],
    );
    assert.strictEqual(result.existing, 1);
    // The files on disk, their formats from the bytes.
    assert.deepStrictEqual(await list(`${dir}/images`), ['build.png', 'existing.png', 'html.png', 'mdx.png', 'ref.jpg']);
    assert.strictEqual(fs.readFileSync(path.join(root().fsPath, dir, 'images/ref.jpg')).readUInt16BE(0), 0xffd8, 'the PNG answer, written as the JPEG the link names');
    assert.strictEqual(fs.readFileSync(path.join(root().fsPath, dir, 'nested/deeper/pics/jpeg.png')).subarray(1, 4).toString('latin1'), 'PNG', 'the JPEG answer, written as the PNG the link names');
    assert.deepStrictEqual(fs.readdirSync(outside), [], 'nothing written outside');
    assert.ok(!fs.existsSync(path.join(root().fsPath, 'outside.png')));
    // The documents: every link as written.
    assert.strictEqual(read(`${dir}/guide.md`), guide);
    assert.strictEqual(read(`${dir}/nested/deeper/page.md`), page);
    assert.strictEqual(read(`${dir}/notes.mdx`), '![an mdx image](images/mdx.png)\n');
    const requests = (await fake('/_fake/requests')) as { model: string; status: number }[];
    assert.strictEqual(requests.filter((r) => r.status === 200).length, 7, 'the duplicate target is made once');

    const again = await fill(dir);
    assert.strictEqual(again.planned, 0, 'a second run has nothing left to do');
  });

  it('a refused key stops the run: nothing more is sent and the rest is not started, the same rule as the command line', async () => {
    const dir = tree({ 'doc.md': '![one](1.png)\n\n![two](2.png)\n\n![three](3.png)\n' });
    await script('badKey');
    const result = await fill(dir);
    assert.strictEqual((await requests()).filter((r) => r.url.includes(':generateContent')).length, 1, 'one request, then the run stopped');
    assert.deepStrictEqual(result.made, []);
    assert.strictEqual(result.failed.length, 1);
    assert.match(result.failed[0], /API key was rejected/);
    assert.strictEqual(result.cancelled.length, 2, 'the other two were not started');
    assert.deepStrictEqual(fs.readdirSync(path.join(root().fsPath, dir)), ['doc.md'], 'nothing written');
  });

  it('at a rate-limited gateway: every image made, no request over the limit after the first 429, back up to the limit after it', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) {
      files[`doc${i}.md`] = `![picture ${i} [fake:slow:250]](img/p${i}.png)\n`.replace('[fake', '\\[fake').replace(':250]', ':250\\]');
    }
    const dir = tree(files);
    await fake('/_fake/concurrency', { limit: 2 });
    const result = await fill(dir);
    const load = (await fake('/_fake/load')) as { most: number; limited: number; overAfterLimited: number; mostAfterLimited: number };
    assert.strictEqual(result.made.length, 10, JSON.stringify(result.failed));
    assert.ok(load.limited >= 1, 'the limit was reached');
    assert.strictEqual(load.overAfterLimited, 0, JSON.stringify(load));
    assert.strictEqual(load.mostAfterLimited, 2, 'concurrency came back up to the limit');
    assert.deepStrictEqual((await list(`${dir}/img`)).length, 10);
  });
});
