/**
 * The real `illustrate` command (the built bundle, through its bin launcher), spawned against the
 * stand-in API server over HTTP, on docs trees in a temporary folder.
 */
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makePng } from '../fake-gemini/images';
import { FAKE_KEY, FakeGemini } from '../fake-gemini/server';
import { BIN, cliEnv, files, fillTree, illustrate, imageCall, Ran, standIn, tree } from '../fixtures/cli';
import { GUIDE, PAGE } from '../fixtures/docsTree';

function read(dir: string, rel: string): string {
  return fs.readFileSync(path.join(dir, rel), 'utf8');
}

function isPng(file: string): boolean {
  return fs.readFileSync(file).subarray(1, 4).toString('latin1') === 'PNG';
}

function noKey(r: Ran): void {
  assert.ok(!r.stdout.includes(FAKE_KEY) && !r.stderr.includes(FAKE_KEY), 'the key is never printed');
  assert.ok(!/\n\s+at .*\(.*:\d+:\d+\)/.test(r.stderr), `no stack trace: ${r.stderr}`);
}

describe('the illustrate command-line tool, spawned against the stand-in server', function () {
  this.timeout(60_000);
  const { fake, url, env } = standIn();
  const generated = () => fake.requests.filter((r) => imageCall(r) && r.status === 200);

  before(() => {
    assert.ok(fs.existsSync(path.resolve(path.dirname(BIN), '../dist/illustrate.js')), 'the CLI is built (node esbuild.js)');
  });

  it('--help shows the commands (exit 0); a mistake is a usage error with one line (exit 2)', async () => {
    const dir = tree({});
    const help = await illustrate(dir, ['--help'], env());
    assert.strictEqual(help.code, 0);
    assert.match(help.stdout, /illustrate generate "PROMPT"/);
    assert.match(help.stdout, /illustrate fill \[PATH\.\.\.\]/);
    assert.match(help.stdout, /illustrate mcp/);
    for (const args of [['paint'], ['generate'], ['fill', '--concurrency', 'many'], ['generate', 'x', '--frobnicate'], ['fill', '--auth-header', 'cookie']]) {
      const r = await illustrate(dir, args, env());
      assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.strictEqual(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^illustrate: /);
      noKey(r);
    }
    assert.strictEqual(fake.requests.length, 0);
  });

  it('generate -o: writes the PNG inside the project and prints its path and link', async () => {
    const dir = tree({});
    const r = await illustrate(dir, ['generate', 'a lighthouse at dusk', '-o', 'art/lighthouse.png', '--aspect', '1:1'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual(r.stdout.trim().split('\n'), ['art/lighthouse.png', '![a lighthouse at dusk](art/lighthouse.png)']);
    assert.ok(isPng(path.join(dir, 'art/lighthouse.png')));
    assert.deepStrictEqual(files(dir), ['art/lighthouse.png']);
    const sent = generated()[0].body as { generationConfig: { imageConfig: { aspectRatio: string } } };
    assert.strictEqual(sent.generationConfig.imageConfig.aspectRatio, '1:1');
    noKey(r);
  });

  it('generate --into DOC:LINE inserts the link at that line; --into DOC fills a matching missing link in the format it names', async () => {
    const dir = tree({ 'docs/a.md': '# A\n\nFirst.\n\nSecond.\n', 'docs/b.md': '# B\n\n![a harbour \\[fake:jpegAsPng\\]](img/harbour.png)\n' });
    const r = await illustrate(dir, ['generate', 'a red kite', '--into', 'docs/a.md:3'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(read(dir, 'docs/a.md'), '# A\n\n![a red kite](images/a-red-kite.png)\n\nFirst.\n\nSecond.\n');
    assert.ok(isPng(path.join(dir, 'docs/images/a-red-kite.png')));

    const m = await illustrate(dir, ['generate', 'a harbour [fake:jpegAsPng]', '--into', 'docs/b.md'], env());
    assert.strictEqual(m.code, 0, m.stderr);
    // The JPEG answer is written as the PNG the link names: the link stays as written.
    assert.strictEqual(read(dir, 'docs/b.md'), '# B\n\n![a harbour \\[fake:jpegAsPng\\]](img/harbour.png)\n');
    assert.ok(isPng(path.join(dir, 'docs/img/harbour.png')));
    assert.ok(!fs.existsSync(path.join(dir, 'docs/img/harbour.jpg')));
  });

  it('takes destination, file name and style from .vscode/settings.json, but never the endpoint', async () => {
    const other = new FakeGemini();
    const elsewhere = await other.start();
    try {
      const settings = `{
        // comments and trailing commas, as VS Code writes them
        "illustrate.destination": "assets/\${documentBaseName}/",
        "illustrate.fileName": "fig-\${promptSlug}",
        "illustrate.style": "flat vector, brand blue",
        "illustrate.baseUrl": "${elsewhere}",
        "illustrate.authHeader": "x-goog-api-key",
      }`;
      const dir = tree({ '.vscode/settings.json': settings, 'guide.md': '# Guide\n' });
      const r = await illustrate(dir, ['generate', 'a compass', '--into', 'guide.md'], env());
      assert.strictEqual(r.code, 0, r.stderr);
      assert.strictEqual(read(dir, 'guide.md'), '# Guide\n\n![a compass](assets/guide/fig-a-compass.png)\n');
      assert.ok(isPng(path.join(dir, 'assets/guide/fig-a-compass.png')));
      assert.strictEqual(other.requests.length, 0, 'a project file cannot send the key elsewhere');
      const sent = generated()[0];
      assert.strictEqual(sent.auth, 'bearer', 'nor change how it is sent');
      const prompt = (sent.body as { contents: { parts: { text?: string }[] }[] }).contents[0].parts[0].text;
      assert.strictEqual(prompt, 'a compass\n\nStyle: flat vector, brand blue');
    } finally {
      await other.stop();
    }
  });

  it('exit 3 without a key or with a refused one, exit 4 when nothing answers; the documents stay as they were', async () => {
    const dir = tree({ 'doc.md': '# Doc\n' });
    const none = await illustrate(dir, ['generate', 'a cat', '--into', 'doc.md'], cliEnv({ ILLUSTRATE_BASE_URL: url() }));
    assert.strictEqual(none.code, 3, none.stderr);
    assert.match(none.stderr, /ILLUSTRATE_API_KEY/);
    const chinese = await illustrate(dir, ['generate', 'a cat'], cliEnv({ ILLUSTRATE_BASE_URL: url(), LANG: 'zh_CN.UTF-8' }));
    assert.strictEqual(chinese.code, 3);
    assert.strictEqual(chinese.stderr.trim(), 'illustrate：没有 API 密钥：请在环境变量中设置 ILLUSTRATE_API_KEY（或 GEMINI_API_KEY），或用 --api-key-file 指定项目之外的文件。'.replace('illustrate：', 'illustrate: '));
    const bad = await illustrate(dir, ['generate', 'a cat', '--into', 'doc.md'], env({ ILLUSTRATE_API_KEY: 'wrong-key-000000000' }));
    assert.strictEqual(bad.code, 3, bad.stderr);
    assert.ok(!bad.stderr.includes('wrong-key-000000000'));
    const down = await illustrate(dir, ['generate', 'a cat', '--into', 'doc.md'], env({ ILLUSTRATE_BASE_URL: 'http://127.0.0.1:9' }));
    assert.strictEqual(down.code, 4, down.stderr);
    for (const r of [none, bad, down]) {
      assert.strictEqual(r.stderr.trim().split('\n').length, 1, r.stderr);
      noKey(r);
    }
    const blocked = await illustrate(dir, ['generate', 'a cat [fake:blocked]', '--into', 'doc.md'], env());
    assert.strictEqual(blocked.code, 1, blocked.stderr);
    assert.match(blocked.stderr, /^illustrate: .*(block|safety)/i);
    assert.deepStrictEqual(files(dir), ['doc.md']);
    assert.strictEqual(read(dir, 'doc.md'), '# Doc\n');
  });

  it('never writes outside the project: -o, --into and a link out are refused before anything is sent', async () => {
    const dir = tree({ 'doc.md': '# Doc\n' });
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-outside-')));
    fs.symlinkSync(outside, path.join(dir, 'out'));
    for (const args of [
      ['generate', 'x', '-o', '../escape.png'],
      ['generate', 'x', '-o', 'out/escape.png'],
      ['generate', 'x', '--into', '../other.md'],
    ]) {
      const r = await illustrate(dir, args, env());
      assert.notStrictEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr, /outside|link/i);
      noKey(r);
    }
    assert.deepStrictEqual(fs.readdirSync(outside), []);
    assert.strictEqual(generated().length, 0, 'nothing was sent');
    const keyFile = path.join(dir, 'key.txt');
    fs.writeFileSync(keyFile, FAKE_KEY);
    const inRepo = await illustrate(dir, ['models', '--api-key-file', 'key.txt'], cliEnv({ ILLUSTRATE_BASE_URL: url() }));
    assert.strictEqual(inRepo.code, 2);
    assert.match(inRepo.stderr, /inside the project/);
  });

  it('fill --dry-run --json: the plan with the same skip rules as the editor, nothing spent', async () => {
    const { dir } = fillTree();
    const r = await illustrate(dir, ['fill', '--dry-run', '--json'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { ran: boolean; plan: { documents: number; existing: number; targets: { file: string }[]; skipped: { document: string; target: string; reason: string }[]; estimatedCost: number } };
    assert.strictEqual(out.ran, false);
    assert.strictEqual(out.plan.documents, 3, 'node_modules is not scanned');
    assert.deepStrictEqual(out.plan.targets.map((t) => t.file).sort(), [
      'docs/images/build.png',
      'docs/images/html.png',
      'docs/images/mdx.png',
      'docs/images/ref.jpg',
      'docs/my images/flow chart.png',
      'docs/nested/deeper/pics/jpeg.png',
      'docs/nested/pics/nested.png',
    ]);
    assert.deepStrictEqual(
      out.plan.skipped.map((s) => `${s.target} — ${s.reason}`),
      [
        'images/fenced.png — inside code',
        'images/inline.png — inside code',
        'https://example.com/a.png — a remote URL',
        'images/logo.svg — a format Illustrate cannot make (.svg, .gif)',
        'images/no-alt.png — no alt text to use as the prompt',
        '../../outside.png — outside the workspace folder',
        'linked/escape.png — through a symbolic link that leads outside the workspace',
      ],
    );
    assert.strictEqual(out.plan.existing, 1);
    assert.ok(out.plan.estimatedCost > 0);
    assert.strictEqual(fake.requests.length, 0);
  });

  it('fill without --yes and without a terminal prints the plan and spends nothing (exit 0)', async () => {
    const { dir } = fillTree();
    const r = await illustrate(dir, ['fill', 'docs'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /^7 missing images in 3 documents · gemini-3\.1-flash-image 1K · ≈ \$/);
    assert.match(r.stdout, /\+ docs\/images\/build\.png — the build pipeline/);
    assert.match(r.stderr, /--yes/);
    assert.strictEqual(fake.requests.length, 0);
    assert.ok(!fs.existsSync(path.join(dir, 'docs/images/build.png')));
  });

  it('fill --yes --json: every missing image made once, only changed links retargeted, nothing outside; a second run has nothing to do', async () => {
    const { dir, outside } = fillTree();
    const r = await illustrate(dir, ['fill', '--yes', '--json', '--concurrency', '3'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    noKey(r);
    const out = JSON.parse(r.stdout) as { made: { file: string; format: string }[]; failed: unknown[]; cost: number };
    assert.deepStrictEqual(out.failed, []);
    assert.deepStrictEqual(out.made.map((m) => m.file).sort(), [
      'docs/images/build.png',
      'docs/images/html.png',
      'docs/images/mdx.png',
      'docs/images/ref.jpg',
      'docs/my images/flow chart.png',
      'docs/nested/deeper/pics/jpeg.png',
      'docs/nested/pics/nested.png',
    ]);
    assert.ok(out.cost > 0);
    assert.strictEqual(generated().length, 7, 'the duplicate target is made once');
    assert.ok(isPng(path.join(dir, 'docs/images/build.png')));
    assert.ok(isPng(path.join(dir, 'docs/nested/deeper/pics/jpeg.png')), 'the JPEG answer, written as the PNG its link names');
    assert.strictEqual(fs.readFileSync(path.join(dir, 'docs/images/ref.jpg')).readUInt16BE(0), 0xffd8, 'the PNG answer, written as the JPEG its link names');
    assert.strictEqual(read(dir, 'docs/guide.md'), GUIDE, 'no link rewritten');
    assert.strictEqual(read(dir, 'docs/nested/deeper/page.md'), PAGE);
    assert.strictEqual(read(dir, 'docs/notes.mdx'), '![an mdx image](images/mdx.png)\n');
    assert.deepStrictEqual(fs.readdirSync(outside), [], 'nothing written outside');

    fake.reset();
    const again = await illustrate(dir, ['fill', '--yes'], env());
    assert.strictEqual(again.code, 0, again.stderr);
    assert.match(again.stdout, /^0 missing images/);
    assert.strictEqual(fake.requests.length, 0);
  });

  it('fill on a terminal shows the plan and cost and asks: "n" spends nothing, "y" makes them with a progress bar', async function () {
    if (process.platform === 'win32') {
      this.skip();
    }
    const dir = tree({ 'doc.md': '![a fox](a.png)\n![an owl](b.png)\n' });
    // `script` gives the CLI a real terminal (a pseudo-tty); what is typed goes to its stdin.
    const onTerminal = (answer: string): Promise<Ran> =>
      new Promise((resolve) => {
        const command = `'${process.execPath}' '${BIN}' fill --concurrency 1`;
        const child = execFile('script', ['-qec', command, '/dev/null'], { cwd: dir, env: env(), timeout: 60_000 }, (e, stdout, stderr) =>
          resolve({ code: e ? Number(e.code) : 0, stdout: String(stdout), stderr: String(stderr) }),
        );
        setTimeout(() => child.stdin?.write(`${answer}\n`), 1500);
      });
    const no = await onTerminal('n');
    assert.strictEqual(no.code, 0, no.stdout);
    assert.match(no.stdout, /2 missing images in 1 document · gemini-3\.1-flash-image 1K · ≈ \$/);
    assert.match(no.stdout, /Generate 2 images for ≈ \$0\.\d+\? \[y\/N\]/);
    assert.match(no.stdout, /nothing was generated/);
    assert.strictEqual(fake.requests.length, 0);
    const yes = await onTerminal('y');
    assert.strictEqual(yes.code, 0, yes.stdout);
    assert.match(yes.stdout, /\[#{12}\.{12}\] 1\/2/, 'a progress bar');
    assert.match(yes.stdout, /Filled 2 of 2/);
    assert.ok(isPng(path.join(dir, 'a.png')) && isPng(path.join(dir, 'b.png')));
  });

  it('fill: plain lines without a terminal; exit 1 when some images fail, with each reason; exit 3 stops at a refused key', async () => {
    const dir = tree({ 'doc.md': '![a fox](a.png)\n![a blocked thing \\[fake:blocked\\]](b.png)\n![an owl](c.png)\n' });
    const r = await illustrate(dir, ['fill', '--yes', '--concurrency', '1', '--report', 'report.md'], env());
    assert.strictEqual(r.code, 1, r.stderr);
    const report = read(dir, 'report.md');
    assert.match(report, /^# Illustrate: Fill Missing Images\n\n2 generated, 1 failed, 0 not started \(cancelled\)/);
    assert.match(report, /## Failed\n\n- `b\.png` — .*(block|safety)/i);
    assert.match(report, /- <img src="a\.png" width="160" alt="a fox"> `a\.png` — a fox \(1376×768 PNG\) · linked from `doc\.md:1`/, 'each image, its thumbnail, where it is linked');
    const lines = r.stdout.trim().split('\n');
    assert.deepStrictEqual(lines.filter((l) => l.startsWith('made ')).sort(), ['made a.png (1376×768 PNG)', 'made c.png (1376×768 PNG)']);
    assert.match(lines.find((l) => l.startsWith('failed ')) ?? '', /^failed b\.png: .*(block|safety)/i);
    assert.match(r.stderr, /Filled 2 of 3 · 1 failed/);
    assert.ok(!r.stderr.includes('\r'), 'no progress bar without a terminal');

    const refused = tree({ 'doc.md': '![one](1.png)\n![two](2.png)\n![three](3.png)\n' });
    fake.reset();
    const bad = await illustrate(refused, ['fill', '--yes', '--concurrency', '1'], env({ ILLUSTRATE_API_KEY: 'wrong-key-000000000' }));
    assert.strictEqual(bad.code, 3, bad.stderr);
    assert.strictEqual(fake.requests.length, 1, 'the run stops at the first refusal');
    assert.match(bad.stderr, /stopped: /);
    assert.ok(!bad.stdout.includes('wrong-key') && !bad.stderr.includes('wrong-key'));
    assert.deepStrictEqual(files(refused), ['doc.md']);

    const down = await illustrate(refused, ['fill', '--yes'], env({ ILLUSTRATE_BASE_URL: 'http://127.0.0.1:9' }));
    assert.strictEqual(down.code, 4, down.stderr);
  });

  it('a fill reads its style references once: every image of the run gets the same ones, even if the file goes away meanwhile', async () => {
    const reference = makePng(64, 48);
    const dir = tree({
      '.vscode/settings.json': '{ "illustrate.styleReferences": ["brand/look.png"] }',
      'brand/look.png': reference,
      'doc.md': '![a fox \\[fake:slow:1500\\]](a.png)\n![an owl](b.png)\n',
    });
    const running = illustrate(dir, ['fill', '--yes', '--concurrency', '1'], env());
    const until = Date.now() + 10_000;
    while (fake.load.inFlight === 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.strictEqual(fake.load.inFlight, 1, 'the first request is on its way');
    fs.rmSync(path.join(dir, 'brand/look.png'));
    const r = await running;
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual(files(dir), ['.vscode/settings.json', 'a.png', 'b.png', 'doc.md']);
    const sent = generated().map((g) => (g.body as { contents: { parts: { inlineData?: { data: string } }[] }[] }).contents[0].parts.filter((p) => p.inlineData).map((p) => p.inlineData?.data));
    assert.deepStrictEqual(sent, [[reference.toString('base64')], [reference.toString('base64')]]);
  });

  it('fill --batch: one Batch API job at half price, results placed when it ends', async () => {
    const dir = tree({ 'doc.md': '![a fox](a.png)\n![an owl \\[fake:jpegAsPng\\]](b.png)\n' });
    const r = await illustrate(dir, ['fill', '--yes', '--batch', '--json', '--auth-header', 'x-goog-api-key'], env({ ILLUSTRATE_BATCH_POLL_MS: '200' }));
    assert.strictEqual(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { made: { file: string; cost: number }[] };
    assert.deepStrictEqual(out.made.map((m) => m.file).sort(), ['a.png', 'b.png']);
    assert.strictEqual(read(dir, 'doc.md'), '![a fox](a.png)\n![an owl \\[fake:jpegAsPng\\]](b.png)\n');
    assert.ok(isPng(path.join(dir, 'a.png')));
    assert.strictEqual(generated().length, 0, 'no interactive request');
    assert.ok(fake.requests.some((r) => r.url.includes(':batchGenerateContent')));
  });

  it('fill --batch --no-wait names the job and exits; fill --job picks it up later and places what the docs still need', async () => {
    const dir = tree({ 'doc.md': '![a fox](a.png)\n![an owl \\[fake:jpegAsPng\\]](b.png)\n![a hare](c.png)\n' });
    const google = ['--auth-header', 'x-goog-api-key'];
    fake.batches.plan = 'hold';
    const sent = await illustrate(dir, ['fill', '--yes', '--batch', '--no-wait', ...google], env());
    assert.strictEqual(sent.code, 0, sent.stderr);
    const job = sent.stdout.trim();
    assert.match(job, /^batches\/[A-Za-z0-9_-]+$/);
    assert.ok(sent.stderr.includes(`illustrate fill --job ${job}`), sent.stderr);
    assert.deepStrictEqual(files(dir), ['doc.md'], 'nothing is written when the job is sent');

    const early = await illustrate(dir, ['fill', '--job', job, '--no-wait', '--json', ...google], env());
    assert.strictEqual(early.code, 0, early.stderr);
    assert.deepStrictEqual(JSON.parse(early.stdout), { job, state: 'pending', ran: false });
    assert.deepStrictEqual(files(dir), ['doc.md']);
    const notYet = await illustrate(dir, ['fill', '--job', job, '--no-wait', ...google], env());
    assert.match(notYet.stderr, /batch job batches\/\S+ is still pending; nothing was placed/);

    // Meanwhile someone drew the fox by hand and dropped the hare.
    fs.writeFileSync(path.join(dir, 'a.png'), 'drawn by hand');
    fs.writeFileSync(path.join(dir, 'doc.md'), '![a fox](a.png)\n![an owl \\[fake:jpegAsPng\\]](b.png)\n');
    fake.batches.plan = 'auto';
    const picked = await illustrate(dir, ['fill', '--job', job, '--json', ...google], env({ ILLUSTRATE_BATCH_POLL_MS: '200' }));
    assert.strictEqual(picked.code, 0, picked.stderr);
    const out = JSON.parse(picked.stdout) as { job: string; unplaced: number; made: { file: string }[]; plan: { targets: { file: string }[] } };
    assert.strictEqual(out.job, job);
    assert.deepStrictEqual(out.made.map((m) => m.file), ['b.png']);
    assert.deepStrictEqual(out.plan.targets.map((t) => t.file), ['b.png'], 'the report is about the images the job answered');
    assert.strictEqual(out.unplaced, 2);
    assert.strictEqual(read(dir, 'doc.md'), '![a fox](a.png)\n![an owl \\[fake:jpegAsPng\\]](b.png)\n');
    assert.strictEqual(read(dir, 'a.png'), 'drawn by hand', 'an image made meanwhile is not overwritten');
    assert.deepStrictEqual(files(dir), ['a.png', 'b.png', 'doc.md']);
    assert.strictEqual(generated().length, 0, 'no interactive request');

    const again = await illustrate(dir, ['fill', '--job', job, ...google], env());
    assert.strictEqual(again.code, 0, again.stderr);
    assert.match(again.stderr, /3 images of the job had no missing link to go to/);
    assert.deepStrictEqual(files(dir), ['a.png', 'b.png', 'doc.md'], 'picking the job up twice writes nothing more');

    for (const args of [['--no-wait'], ['--job', job, '--batch'], ['--job', job, '--dry-run']]) {
      const r = await illustrate(dir, ['fill', ...args, ...google], env());
      assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.strictEqual(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    const notAJob = await illustrate(dir, ['fill', '--job', 'operations/../x', ...google], env());
    assert.strictEqual(notAJob.code, 2, notAJob.stderr);
    assert.match(notAJob.stderr, /not a batch job name/);
    const unknown = await illustrate(dir, ['fill', '--job', 'batches/nothere', ...google], env());
    assert.strictEqual(unknown.code, 2, unknown.stderr);
    assert.strictEqual(unknown.stderr.trim(), 'illustrate: The API no longer knows the batch job batches/nothere (HTTP 404): it may have been deleted, or it was sent with another key or endpoint.');
  });

  it('the packed package installs on its own (npm install -g of the tarball) and runs', async () => {
    const dir = tree({});
    const npm = (args: string[]): Promise<string> =>
      new Promise((resolve, reject) =>
        execFile(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd: path.resolve(path.dirname(BIN), '../../..'), timeout: 60_000 }, (e, stdout) => (e ? reject(e) : resolve(String(stdout)))),
      );
    await npm(['pack', './packages/cli', '--pack-destination', dir, '--silent']);
    const tarball = fs.readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack made a tarball');
    await npm(['install', '-g', '--offline', '--prefix', path.join(dir, 'prefix'), path.join(dir, tarball)]);
    const installed = path.join(dir, 'prefix', process.platform === 'win32' ? 'illustrate.cmd' : 'bin/illustrate');
    const r = await new Promise<Ran>((resolve) =>
      execFile(installed, ['generate', 'a kite', '-o', 'kite.png'], { cwd: dir, env: env() }, (e, stdout, stderr) => resolve({ code: e ? Number(e.code) : 0, stdout: String(stdout), stderr: String(stderr) })),
    );
    assert.strictEqual(r.code, 0, r.stderr);
    assert.ok(isPng(path.join(dir, 'kite.png')));
  });

  it('models: the endpoint\'s image models with prices', async () => {
    const dir = tree({});
    const r = await illustrate(dir, ['models', '--json'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { fromEndpoint: boolean; models: { id: string; pricePerImage: number | null }[] };
    assert.ok(out.fromEndpoint);
    const flash = out.models.find((m) => m.id === 'gemini-3.1-flash-image');
    assert.ok(flash && flash.pricePerImage !== null && flash.pricePerImage > 0);
    const text = await illustrate(dir, ['models'], env());
    assert.match(text.stdout, /gemini-3-pro-image +.* per image at 1K/);
  });
});
