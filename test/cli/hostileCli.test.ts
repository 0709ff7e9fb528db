/**
 * The command line and the MCP server against what a hostile repository, MCP client or alt text
 * can hold: links out, files that are not documents, devices, backtracking patterns, huge
 * documents, faked prices, terminal escapes, a Google key with the default endpoint. The real CLI
 * (the built bundle) is spawned against the stand-in server; nothing reaches the internet.
 */
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { FAKE_KEY, FakeGemini } from '../fake-gemini/server';
import { makePng } from '../fake-gemini/images';
import { BIN, cliEnv, files, illustrate, imageCall, Ran, standIn, tree } from '../fixtures/cli';

const GOOGLE_KEY = `AIza${'Sy0123456789abcdefghijklmnopqrstuvw'}`;

function outside(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-hostile-outside-')));
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of files(dir)) {
    out[f] = fs.readFileSync(path.join(dir, f)).toString('base64');
  }
  return out;
}

function clean(r: Ran): void {
  assert.ok(!r.stdout.includes(FAKE_KEY) && !r.stderr.includes(FAKE_KEY) && !r.stderr.includes(GOOGLE_KEY), 'the key is never printed');
  assert.ok(!/\n\s+at .*\(.*:\d+:\d+\)/.test(r.stderr), `no stack trace: ${r.stderr}`);
}

describe('hostile repositories, clients and alt text: the CLI and the MCP server', function () {
  this.timeout(90_000);
  const { fake, url, env } = standIn();
  const generated = () => fake.requests.filter(imageCall);

  describe('--report', () => {
    it('through a committed link (to a file outside, or dangling) or out of the project is refused before anything is spent', async () => {
      const out = outside();
      fs.writeFileSync(path.join(out, 'victim.pth'), 'original\n');
      const dir = tree({ 'docs/a.md': '![a fox](img/fox.png)\n' });
      fs.symlinkSync(path.join(out, 'victim.pth'), path.join(dir, 'fill-report.md'));
      fs.symlinkSync(path.join(out, 'created.pth'), path.join(dir, 'dangling.md'));
      fs.symlinkSync(out, path.join(dir, 'reports'));
      for (const report of ['fill-report.md', 'dangling.md', 'reports/r.md', '../x.md', path.join(out, 'abs.md'), 'docs']) {
        const r = await illustrate(dir, ['fill', '--yes', '--report', report], env());
        assert.strictEqual(r.code, 2, `${report}: ${r.stderr}`);
        assert.strictEqual(r.stderr.trim().split('\n').length, 1, r.stderr);
        clean(r);
      }
      assert.strictEqual(generated().length, 0, 'nothing bought');
      assert.strictEqual(fs.readFileSync(path.join(out, 'victim.pth'), 'utf8'), 'original\n');
      assert.deepStrictEqual(fs.readdirSync(out).sort(), ['victim.pth']);
      assert.ok(!fs.existsSync(path.join(path.dirname(dir), 'x.md')));
      assert.ok(fs.existsSync(path.join(dir, 'img')) === false, 'no image written either');
    });

    it('is a new regular file inside the project; alt text cannot add lines to it', async () => {
      const dir = tree({ 'docs/a.md': '![a fox\nimport os; os.system("x")\nend](img/fox.png)\n' });
      fs.writeFileSync(path.join(dir, 'fill-report.md'), 'old report\n');
      const r = await illustrate(dir, ['fill', '--yes', '--report', 'fill-report.md'], env());
      assert.strictEqual(r.code, 0, r.stderr);
      assert.ok(fs.lstatSync(path.join(dir, 'fill-report.md')).isFile());
      const report = fs.readFileSync(path.join(dir, 'fill-report.md'), 'utf8');
      assert.ok(report.includes('os.system'), report);
      assert.ok(!report.split('\n').some((l) => l.startsWith('import os') || l.startsWith('end')), report);
      assert.ok(fs.existsSync(path.join(dir, 'docs/img/fox.png')));
    });

    it('an empty --report, -o or --into is a usage error, not ignored', async () => {
      const dir = tree({ 'a.md': '# A\n' });
      for (const args of [['fill', '--report', ''], ['generate', 'x', '-o', ''], ['generate', 'x', '--into', '']]) {
        const r = await illustrate(dir, args, env());
        assert.strictEqual(r.code, 2, `${JSON.stringify(args)}: ${r.stderr}`);
        assert.match(r.stderr, /needs a value/);
      }
      assert.strictEqual(generated().length, 0);
    });
  });

  describe('documents', () => {
    it('--into through a linked document or a linked folder is refused, and the file outside is unchanged', async () => {
      const out = outside();
      fs.writeFileSync(path.join(out, 'notes.md'), '# Outside\n');
      const dir = tree({ 'README.md': '# R\n' });
      fs.symlinkSync(path.join(out, 'notes.md'), path.join(dir, 'linked.md'));
      fs.symlinkSync(out, path.join(dir, 'docs'));
      for (const into of ['linked.md', 'docs/notes.md', 'linked.md:1']) {
        const r = await illustrate(dir, ['generate', 'a fox', '--into', into], env());
        assert.strictEqual(r.code, 2, `${into}: ${r.stderr}`);
        assert.match(r.stderr, /symbolic link/);
        clean(r);
      }
      assert.strictEqual(fs.readFileSync(path.join(out, 'notes.md'), 'utf8'), '# Outside\n');
      assert.deepStrictEqual(fs.readdirSync(out), ['notes.md']);
      assert.strictEqual(generated().length, 0);
    });

    it('a file that is not markdown is never a document: .git/config and package.json stay as they are', async () => {
      const dir = tree({ '.git/config': '[core]\n\tbare = false\n', 'package.json': '{"name":"x"}\n', 'notes.txt': 'text\n' });
      const before = snapshot(dir);
      for (const into of ['.git/config', 'package.json', 'notes.txt:1']) {
        const r = await illustrate(dir, ['generate', 'a fox', '--into', into], env());
        assert.strictEqual(r.code, 2, `${into}: ${r.stderr}`);
        assert.match(r.stderr, /not a markdown file/);
      }
      assert.deepStrictEqual(snapshot(dir), before);
      assert.strictEqual(generated().length, 0);
    });

    it('a path that cannot be written is found before the image is bought: under a file, a 300-character name, a control character', async () => {
      const dir = tree({ 'README.md': '# R\n' });
      for (const output of ['README.md/fox.png', `${'n'.repeat(300)}.png`, `art/${'d'.repeat(300)}/fox.png`, 'art/fo\u0007x.png']) {
        const r = await illustrate(dir, ['generate', 'a fox', '-o', output], env());
        assert.strictEqual(r.code, 2, `${output}: ${r.stderr}`);
        clean(r);
      }
      assert.strictEqual(generated().length, 0, 'nothing bought');
      assert.deepStrictEqual(files(dir), ['README.md']);
    });

    it('an explicit fill path through a linked folder is refused; documents outside are not read', async () => {
      const out = outside();
      fs.writeFileSync(path.join(out, 'secret.md'), '![an outside image](x.png)\n');
      const dir = tree({ 'README.md': '# R\n' });
      fs.symlinkSync(out, path.join(dir, 'docs'));
      const r = await illustrate(dir, ['fill', 'docs', '--dry-run', '--json'], env());
      assert.strictEqual(r.code, 2, r.stderr);
      assert.match(r.stderr, /symbolic link/);
      assert.ok(!r.stdout.includes('outside image'));
    });

    it('/dev/zero linked as the .gitignore, the settings and a document costs nothing and hangs nothing', async function () {
      if (process.platform === 'win32') {
        this.skip();
      }
      const dir = tree({ 'docs/a.md': '![a fox](img/fox.png)\n' });
      fs.symlinkSync('/dev/zero', path.join(dir, '.gitignore'));
      fs.mkdirSync(path.join(dir, '.vscode'));
      fs.symlinkSync('/dev/zero', path.join(dir, '.vscode/settings.json'));
      fs.symlinkSync('/dev/zero', path.join(dir, 'docs/zero.md'));
      const r = await illustrate(dir, ['fill', '--dry-run', '--json'], env());
      assert.strictEqual(r.code, 0, r.stderr);
      const plan = JSON.parse(r.stdout).plan as { targets: { file: string }[] };
      assert.deepStrictEqual(
        plan.targets.map((t) => t.file),
        ['docs/img/fox.png'],
      );
      const into = await illustrate(dir, ['generate', 'x', '--into', 'docs/zero.md'], env());
      assert.strictEqual(into.code, 2, into.stderr);
      assert.strictEqual(generated().length, 0);
    });
  });

  describe('ignore files, globs and documents a scan reads', () => {
    it('a backtracking .gitignore line with a long name, a broken exclude glob and a 1.5 MB .gitignore: the fill runs, with warnings', async () => {
      const longName = `${'a'.repeat(200)}.md`;
      const dir = tree({
        '.gitignore': `a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\n${'#'.repeat(1_500_000)}\nbuild/\n`,
        '.vscode/settings.json': JSON.stringify({ 'files.exclude': { '{oops': true, '**/drafts': true } }),
        [`docs/${longName}`]: '![a long page image](img/long.png)\n',
        'docs/drafts/d.md': '![a draft image](img/draft.png)\n',
        'docs/a.md': '![a fox](img/fox.png)\n',
      });
      const r = await illustrate(dir, ['fill', '--dry-run', '--json'], env());
      assert.strictEqual(r.code, 0, r.stderr);
      const plan = JSON.parse(r.stdout).plan as { targets: { file: string }[] };
      assert.deepStrictEqual(plan.targets.map((t) => t.file).sort(), ['docs/img/fox.png', 'docs/img/long.png']);
      assert.match(r.stderr, /\{oops.*cannot be read; it is skipped/);
      assert.match(r.stderr, /\.gitignore is larger than 256 KB/);
    });

    it('.gitignore files at every level and .git/info/exclude are honoured, negations too', async () => {
      const dir = tree({
        '.gitignore': 'generated/\n*.draft.md\n',
        '.git/info/exclude': 'private/\n',
        'docs/.gitignore': 'api/\n!keep.draft.md\n',
        'docs/api/x.md': '![api](img/api.png)\n',
        'docs/generated/g.md': '![generated](img/g.png)\n',
        'docs/skip.draft.md': '![draft](img/d.png)\n',
        'docs/keep.draft.md': '![kept draft](img/k.png)\n',
        'private/p.md': '![private](img/p.png)\n',
        'docs/a.md': '![a fox](img/fox.png)\n',
      });
      const r = await illustrate(dir, ['fill', '--dry-run', '--json'], env());
      assert.strictEqual(r.code, 0, r.stderr);
      const plan = JSON.parse(r.stdout).plan as { targets: { file: string }[] };
      assert.deepStrictEqual(plan.targets.map((t) => t.file).sort(), ['docs/img/fox.png', 'docs/img/k.png']);
      const sub = await illustrate(dir, ['fill', 'docs', '--dry-run', '--json'], env());
      assert.deepStrictEqual((JSON.parse(sub.stdout).plan as { targets: { file: string }[] }).targets.map((t) => t.file).sort(), ['docs/img/fox.png', 'docs/img/k.png'], 'the root .gitignore applies to a folder given');
    });

    it('4 MB of "<img " and 4 MB of plain lines are scanned (linearly: this would take minutes if not)', async () => {
      const dir = tree({ 'docs/img.md': `${'<img '.repeat(800_000)}\n![a fox](img/fox.png)\n`, 'docs/plain.md': `${'some words on a line\n'.repeat(200_000)}![an owl](img/owl.png)\n` });
      const r = await illustrate(dir, ['fill', '--dry-run', '--json'], env());
      assert.strictEqual(r.code, 0, r.stderr);
      const plan = JSON.parse(r.stdout).plan as { targets: { file: string }[] };
      assert.deepStrictEqual(plan.targets.map((t) => t.file).sort(), ['docs/img/fox.png', 'docs/img/owl.png']);
    });
  });

  describe('costs, the terminal, the key', () => {
    it("the repository's illustrate.prices does not change the cost shown", async () => {
      const fake0 = { 'gemini-3-pro-image-preview': { inputPerMillion: 0, outputPerMillion: 0 }, 'gemini-3-pro-image': { inputPerMillion: 0, outputPerMillion: 0 } };
      const links = Array.from({ length: 40 }, (_, i) => `![a chart of quarter ${i}](img/p${i}.png)`).join('\n');
      const settings = { 'illustrate.model': 'gemini-3-pro-image-preview', 'illustrate.imageSize': '4K' };
      const honest = tree({ 'a.md': links, '.vscode/settings.json': JSON.stringify(settings) });
      const faked = tree({ 'a.md': links, '.vscode/settings.json': JSON.stringify({ ...settings, 'illustrate.prices': fake0 }) });
      const costOf = async (dir: string): Promise<number> => (JSON.parse((await illustrate(dir, ['fill', '--dry-run', '--json'], env())).stdout).plan as { estimatedCost: number }).estimatedCost;
      const list = await costOf(honest);
      assert.ok(list > 9, `40 4K Pro images cost about $9.60: ${list}`);
      assert.strictEqual(await costOf(faked), list);
    });

    it("the repository's illustrate.describeModel does not choose what alt text buys; the user's flag or environment does", async () => {
      const dir = tree({ 'a.md': '# Flow\n\n![](img/flow.png)\n', 'img/flow.png': makePng(320, 200), '.vscode/settings.json': JSON.stringify({ 'illustrate.describeModel': 'gemini-3-pro-image' }) });
      const planOf = async (args: string[], extra: Record<string, string> = {}): Promise<{ model: string; cost: number | null }> => {
        const r = await illustrate(dir, ['alt', '--dry-run', '--json', ...args], env(extra));
        assert.strictEqual(r.code, 0, r.stderr);
        return JSON.parse(r.stdout).plan as { model: string; cost: number | null };
      };
      const plan = await planOf([]);
      assert.strictEqual(plan.model, 'gemini-3.1-flash-lite', 'the endpoint\'s cheapest Flash-Lite, not the repository\'s image model');
      assert.ok(plan.cost !== null && plan.cost > 0, 'a known price');
      assert.strictEqual((await planOf([], { ILLUSTRATE_DESCRIBE_MODEL: 'gemini-3.8-flash' })).model, 'gemini-3.8-flash');
      assert.strictEqual((await planOf(['--describe-model', 'gemini-3.5-flash-lite'], { ILLUSTRATE_DESCRIBE_MODEL: 'gemini-3.8-flash' })).model, 'gemini-3.5-flash-lite', 'the flag first');
      const ran = await illustrate(dir, ['alt', '--yes'], env());
      assert.strictEqual(ran.code, 0, ran.stderr);
      assert.deepStrictEqual(generated().map((r) => r.model), ['gemini-3.1-flash-lite']);
    });

    it('escape sequences in alt text are shown as text in the plan, never sent to the terminal', async () => {
      const dir = tree({ 'a.md': '![a fox\u001b\\[2K\u001b\\[1A\r\u0008\u0008\u001b\\[8mhidden\u0007](img/fox.png)\n' });
      const r = await illustrate(dir, ['fill'], env());
      assert.strictEqual(r.code, 0, r.stderr);
      assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(r.stdout + r.stderr), JSON.stringify(r.stdout));
      assert.match(r.stdout, /1 missing image/);
      assert.ok(r.stdout.includes('a fox\\x1b[2K\\x1b[1A\\r\\x08\\x08\\x1b[8mhidden\\x07'), r.stdout);
    });

    it('a Google key with the endpoint left at its default goes to Google, said once; a chosen endpoint is respected', async () => {
      const dir = tree({ 'a.md': '![a fox](img/fox.png)\n' });
      const google = await illustrate(dir, ['fill', '--dry-run', '--json'], cliEnv({ ILLUSTRATE_API_KEY: GOOGLE_KEY }));
      assert.strictEqual(google.code, 0, google.stderr);
      assert.strictEqual(JSON.parse(google.stdout).plan.endpoint, 'https://generativelanguage.googleapis.com');
      assert.strictEqual(google.stderr.match(/Google AI Studio key/g)?.length, 1, google.stderr);
      clean(google);
      const other = await illustrate(dir, ['fill', '--dry-run', '--json'], cliEnv({ ILLUSTRATE_API_KEY: 'sk-gateway-key-0123456789' }));
      assert.strictEqual(JSON.parse(other.stdout).plan.endpoint, 'https://api.apiyi.com');
      const keyFile = path.join(outside(), 'key');
      fs.writeFileSync(keyFile, GOOGLE_KEY);
      const fromFile = await illustrate(dir, ['fill', '--dry-run', '--json', '--api-key-file', keyFile], cliEnv({}));
      assert.strictEqual(JSON.parse(fromFile.stdout).plan.endpoint, 'https://generativelanguage.googleapis.com');
      // Chosen: the stand-in gets the Google-shaped key, and nothing is said about it.
      fake.validKey = GOOGLE_KEY;
      const chosen = await illustrate(dir, ['generate', 'a fox', '-o', 'fox.png'], cliEnv({ ILLUSTRATE_API_KEY: GOOGLE_KEY, ILLUSTRATE_BASE_URL: url() }));
      assert.strictEqual(chosen.code, 0, chosen.stderr);
      assert.ok(!/Google AI Studio key/.test(chosen.stderr));
      assert.strictEqual(generated().length, 1);
      const flag = await illustrate(dir, ['generate', 'an owl', '-o', 'owl.png', '--base-url', url()], cliEnv({ ILLUSTRATE_API_KEY: GOOGLE_KEY }));
      assert.strictEqual(flag.code, 0, flag.stderr);
      assert.strictEqual(generated().length, 2);
      assert.ok(generated().every((q) => q.keyMatched), 'the stand-in got the key');
    });
  });

  describe('the MCP server', () => {
    async function connect(cwd: string, options: { roots?: string[]; rootsDelayMs?: number; args?: string[]; env?: Record<string, string> } = {}) {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp', ...(options.args ?? [])],
        cwd,
        env: (options.env ?? env()) as Record<string, string>,
        stderr: 'pipe',
      });
      let stderr = '';
      transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      const client = new Client({ name: 'hostile-test', version: '1.0.0' }, { capabilities: options.roots ? { roots: { listChanged: true } } : {} });
      const roots = { list: options.roots ?? [] };
      if (options.roots) {
        client.setRequestHandler(ListRootsRequestSchema, async () => {
          await new Promise((r) => setTimeout(r, options.rootsDelayMs ?? 0));
          return { roots: roots.list.map((r) => ({ uri: pathToFileURL(r).href, name: path.basename(r) })) };
        });
      }
      await client.connect(transport);
      return { client, roots, close: () => client.close(), stderr: () => stderr };
    }
    async function call(client: Client, name: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }> {
      const result = (await client.callTool({ name, arguments: args })) as { content: { text?: string }[]; isError?: boolean };
      return { text: result.content.map((c) => c.text ?? '').join('\n'), isError: result.isError === true };
    }

    it('four generate_image calls at once into one page keep every link and all its text', async () => {
      const page = '# Page\n\nIntro paragraph.\n\n## Section\n\nMore text here.\n';
      const dir = tree({ 'page.md': page });
      fake.latencyMs = 150;
      const { client, close } = await connect(dir);
      try {
        const results = await Promise.all(['a fox', 'an owl', 'a boat', 'a kite'].map((prompt) => call(client, 'generate_image', { prompt, document: 'page.md' })));
        results.forEach((r) => assert.strictEqual(r.isError, false, r.text));
        const text = fs.readFileSync(path.join(dir, 'page.md'), 'utf8');
        for (const prompt of ['a fox', 'an owl', 'a boat', 'a kite']) {
          assert.ok(text.includes(`![${prompt}](images/${prompt.replace(/ /g, '-')}.png)`), text);
        }
        assert.ok(text.startsWith(page.trimEnd()), text);
        assert.strictEqual(text.slice(page.trimEnd().length).replace(/!\[[^\]]+\]\([^)]+\)/g, 'L'), '\n\nL\n\nL\n\nL\n\nL\n', 'the page text is all there, each link its own paragraph');
        assert.deepStrictEqual(
          fs.readdirSync(dir).filter((f) => f.startsWith('.')),
          [],
          'no temporary file is left',
        );
      } finally {
        await close();
      }
    });

    it('generate_image into .git/config or through a linked document is an error; nothing changes', async () => {
      const out = outside();
      fs.writeFileSync(path.join(out, 'o.md'), '# O\n');
      const dir = tree({ '.git/config': '[core]\n', 'package.json': '{}\n' });
      fs.symlinkSync(path.join(out, 'o.md'), path.join(dir, 'o.md'));
      const before = snapshot(dir);
      const { client, close } = await connect(dir);
      try {
        for (const document of ['.git/config', 'package.json', 'o.md']) {
          const r = await call(client, 'generate_image', { prompt: 'a fox', document });
          assert.strictEqual(r.isError, true, `${document}: ${r.text}`);
        }
        const { tools } = await client.listTools();
        assert.strictEqual(tools.find((t) => t.name === 'generate_image')?.annotations?.destructiveHint, true);
      } finally {
        await close();
      }
      assert.deepStrictEqual(snapshot(dir), before);
      assert.strictEqual(fs.readFileSync(path.join(out, 'o.md'), 'utf8'), '# O\n');
      assert.strictEqual(generated().length, 0);
    });

    it('fill_missing_images reports its cost and honours max_cost', async () => {
      const dir = tree({ 'a.md': '![a fox](img/fox.png)\n![an owl](img/owl.png)\n' });
      const { client, close } = await connect(dir);
      try {
        const refused = await call(client, 'fill_missing_images', { max_cost: 0.01 });
        assert.strictEqual(refused.isError, true);
        assert.match(refused.text, /^Nothing was generated: the plan is estimated at ≈ \$0\.\d+, above max_cost \(\$0\.01\)/);
        assert.strictEqual(generated().length, 0);
        const ran = await call(client, 'fill_missing_images', { max_cost: 1 });
        assert.strictEqual(ran.isError, false, ran.text);
        assert.match(ran.text, /^Filled 2 of 2 · 0 failed · 0 not started · cost ≈ \$0\.\d+ \(estimated ≈ \$0\.\d+ before the run(, its reviews included)?\)/);
      } finally {
        await close();
      }
    });

    it('waits for the client’s roots before the first call, and reads them again when they change', async () => {
      const cwd = tree({});
      const first = tree({});
      const second = tree({});
      const { client, roots, close } = await connect(cwd, { roots: [first], rootsDelayMs: 500 });
      try {
        const early = await call(client, 'generate_image', { prompt: 'a kite', path: 'kite.png' });
        assert.strictEqual(early.isError, false, early.text);
        assert.ok(fs.existsSync(path.join(first, 'kite.png')), 'the call waited for the roots');
        assert.deepStrictEqual(fs.readdirSync(cwd), [], 'never the working directory');
        roots.list = [second];
        await client.sendRootsListChanged();
        let moved = false;
        for (let i = 0; i < 40 && !moved; i++) {
          await new Promise((r) => setTimeout(r, 50));
          const r = await call(client, 'generate_image', { prompt: 'a boat', path: path.join(second, `boat${i}.png`) });
          moved = !r.isError;
        }
        assert.ok(moved, 'the new root is used');
        const old = await call(client, 'generate_image', { prompt: 'a boat', path: path.join(first, 'boat.png') });
        assert.strictEqual(old.isError, true, 'the old root is no longer one');
      } finally {
        await close();
      }
    });

    it('mcp --base-url serves with that endpoint and says so; an unknown option exits 2', async () => {
      const other = new FakeGemini();
      const otherBase = await other.start();
      try {
        const dir = tree({});
        const { client, close, stderr } = await connect(dir, { args: ['--base-url', otherBase], env: env() as Record<string, string> });
        try {
          const r = await call(client, 'generate_image', { prompt: 'a kite', path: 'kite.png' });
          assert.strictEqual(r.isError, false, r.text);
          assert.strictEqual(other.requests.filter(imageCall).length, 1);
          assert.strictEqual(generated().length, 0, 'the environment endpoint is not used');
          assert.ok(stderr().includes(`endpoint ${new URL(otherBase).origin}`), stderr());
        } finally {
          await close();
        }
      } finally {
        await other.stop();
      }
      for (const args of [['mcp', '--frobnicate'], ['mcp', 'extra'], ['models', '--into', 'x'], ['generate', 'x', '--dry-run'], ['fill', '--output', 'x']]) {
        const r = await illustrate(tree({}), args, env());
        assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.strictEqual(r.stderr.trim().split('\n').length, 1, r.stderr);
      }
    });
  });
});

describe('Ctrl+C during illustrate fill (gateways bill what the client abandons)', function () {
  this.timeout(60_000);
  const { fake, env } = standIn();

  /** A fill of six images, two at a time, each answered after 1.5 s; SIGINT sent `count` times once two requests arrived. */
  async function interrupted(count: number): Promise<{ code: number | null; stdout: string; stderr: string; dir: string; arrived: number }> {
    const links = Array.from({ length: 6 }, (_, i) => `![a lighthouse number ${i + 1}](img/l${i + 1}.png)`).join('\n\n');
    const dir = tree({ 'docs/a.md': `${links}\n`, '.vscode/settings.json': JSON.stringify({ 'illustrate.fillConcurrency': 2 }) });
    fake.latencyMs = 1500;
    const child = spawn(process.execPath, [BIN, 'fill', '--yes', '--json'], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 200 && fake.requests.filter(imageCall).length < 2; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    const arrived = fake.requests.filter(imageCall).length;
    for (let i = 0; i < count; i++) {
      child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 150));
    }
    return { code: await exited, stdout, stderr, dir, arrived };
  }

  it('one Ctrl+C starts nothing new: the requests in flight finish and are placed, none is abandoned (exit 130)', async () => {
    const r = await interrupted(1);
    assert.strictEqual(r.code, 130, r.stderr);
    const out = JSON.parse(r.stdout) as { made: { file: string }[]; notStarted: string[] };
    const started = fake.requests.filter(imageCall).length;
    assert.ok(started >= 2 && started < 6, `${started} started`);
    assert.strictEqual(out.made.length, started, 'every request that had started was finished and placed');
    assert.strictEqual(out.notStarted.length, 6 - started);
    for (const m of out.made) {
      assert.strictEqual(fs.readFileSync(path.join(r.dir, m.file)).subarray(1, 4).toString('latin1'), 'PNG');
    }
    assert.ok(started <= r.arrived + 1, 'nothing new was started after the Ctrl+C');
    assert.strictEqual(fake.abandoned, 0, 'no request was abandoned');
    assert.match(r.stderr, /no new image is started; the requests in flight finish/);
    assert.match(r.stderr, new RegExp(`interrupted: no new image was started, and every request in flight finished \\(${started} made, ${6 - started} not started\\)`));
  });

  it('a second Ctrl+C aborts the requests in flight: nothing is written (exit 130)', async () => {
    const r = await interrupted(2);
    assert.strictEqual(r.code, 130, r.stderr);
    const out = JSON.parse(r.stdout) as { made: { file: string }[] };
    // What had finished before the first Ctrl+C stays; the rest in flight were aborted, and nothing of theirs is written.
    // Every request that had started (a Ctrl+C may land just after one more began) and is not among the made ones.
    const inFlight = fake.requests.filter(imageCall).length - out.made.length;
    assert.ok(inFlight >= 1, r.stdout);
    for (let i = 0; i < 100 && fake.abandoned < inFlight; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.strictEqual(fake.abandoned, inFlight, 'the requests in flight were aborted');
    const written = fs.existsSync(path.join(r.dir, 'docs/img')) ? fs.readdirSync(path.join(r.dir, 'docs/img')) : [];
    assert.deepStrictEqual(written.sort(), out.made.map((m) => path.basename(m.file)).sort());
    assert.match(r.stderr, new RegExp(`interrupted: the requests in flight were aborted; ${out.made.length} made, ${6 - out.made.length} not made`));
  });
});
