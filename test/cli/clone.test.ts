/**
 * A clone that tests anywhere: without ../shared (the reference material kept beside the
 * repository) the suites that read it say, one line each, that they are skipped and why; the
 * README's command-line usage and Debian packages say what `illustrate --help` and the installer do;
 * the test host's installer says what it installs and asks first.
 */
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { consentToInstall, DEBIAN_PACKAGES } from '../host/install';
import { cliEnv, illustrate } from '../fixtures/cli';

const ROOT = path.resolve(__dirname, '../../..');
const MOCHA = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
/** The compiled suites that read ../shared. */
const SHARED_SUITES = ['out/test/unit/contract.test.js', 'out/test/cli/contract.test.js', 'out/test/cli/realDocs.test.js', 'out/test/cli/altText.test.js'];

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, args, { cwd: ROOT, env, timeout: 110_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, output: `${stdout}\n${stderr}` });
    });
    child.stdin?.end();
  });
}

/** Every .ts file under `dir`, relative to ROOT. */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      out.push(...sources(rel));
    } else if (e.name.endsWith('.ts')) {
      out.push(rel);
    }
  }
  return out;
}

/** The flags of each command in a usage text (`-o`, `--json`…). */
function flags(usage: string): string[] {
  return [...new Set([...usage.matchAll(/(?:^|[\s[|])(--?[a-z][a-z0-9-]*)/g)].map((m) => m[1]))].sort();
}

describe('a clone that tests anywhere', function () {
  this.timeout(120_000);

  it('without ../shared, the suites that read it pass and say in one line each that they are skipped, and why', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-no-shared-'));
    const r = await run([MOCHA, '--no-config', '--reporter', 'spec', '--timeout', '60000', '--exit', ...SHARED_SUITES], { ...process.env, ILLUSTRATE_SHARED_DIR: empty });
    assert.strictEqual(r.code, 0, r.output);
    const skipped = r.output.split('\n').filter((l) => /skipped: needs \.\.\/shared\//.test(l));
    assert.deepStrictEqual(
      skipped.map((l) => l.trim()),
      [
        '- skipped: needs ../shared/real-responses, the reference material kept beside the repository (not in a clone)',
        '- skipped: needs ../shared/real-responses, the reference material kept beside the repository (not in a clone)',
        '- skipped: needs ../shared/real-docs, the reference material kept beside the repository (not in a clone)',
        '- skipped: needs ../shared/real-docs, the reference material kept beside the repository (not in a clone)',
      ],
      r.output,
    );
    assert.match(r.output, /4 pending/);
  });

  it('no test reads ../shared but through test/fixtures/shared.ts (so the skip covers every one)', () => {
    const readers = [...sources('test'), ...sources('bench')].filter((f) => f !== 'test/fixtures/shared.ts' && /(?:resolve|join)\([^)]*['"`](?:\.\.\/)+shared\b|\/work\/shared/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    assert.deepStrictEqual(readers, []);
  });

  it("the README's command-line usage lines list the flags illustrate --help lists, command by command", async () => {
    const r = await illustrate(ROOT, ['--help'], cliEnv({}));
    assert.strictEqual(r.code, 0, r.stderr);
    const usage = r.stdout.split('\nUsage:\n')[1].split('\n\n')[0];
    const helpFlags = new Map<string, string[]>();
    for (const block of usage.split(/\n(?= {2}illustrate )/)) {
      const m = /^ {2}illustrate (\w+)([\s\S]*)$/.exec(block);
      assert.ok(m, block);
      helpFlags.set(m[1], flags(m[2]));
    }
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.split('### The `illustrate` command\n')[1].split('\n### ')[0];
    const readmeFlags = new Map<string, string[]>();
    for (const m of section.matchAll(/^- `(\w+)( [^`]*)?`:/gm)) {
      readmeFlags.set(m[1], flags(m[2] ?? ''));
    }
    assert.deepStrictEqual([...readmeFlags.keys()].sort(), [...helpFlags.keys()].sort(), 'the same commands');
    for (const [command, want] of helpFlags) {
      assert.deepStrictEqual(readmeFlags.get(command), want, `README's ${command} line`);
    }
  });

  it("the README's Debian packages are the installer's", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const m = /the Debian packages\s+`([^`]+)` with `apt-get`/.exec(readme);
    assert.ok(m, 'the README names the Debian packages');
    assert.deepStrictEqual(m[1].split(/\s+/).sort(), [...DEBIAN_PACKAGES].sort());
  });

  describe('the test host installer (npm start, npm test) asks before installing', () => {
    const plan = ['Debian packages, with apt-get (as root): chromium', 'the offline VS Code: code-server@4.100.3 (about 300 MB, 1-2 minutes)'];
    const ask = async (answer: string | undefined, opts: { yes?: boolean; ci?: boolean; tty?: boolean; unattended?: 'install' | 'refuse' }): Promise<{ ok: boolean; said: string }> => {
      const input = new PassThrough() as PassThrough & { isTTY?: boolean };
      input.isTTY = opts.tty ?? false;
      const output = new PassThrough();
      let said = '';
      output.on('data', (b: Buffer) => {
        said += String(b);
        if (answer !== undefined && said.includes('[y/N]')) {
          input.write(`${answer}\n`);
        }
      });
      const ok = await consentToInstall(plan, { yes: opts.yes ?? false, ci: opts.ci ?? false, unattended: opts.unattended ?? 'refuse', input, output });
      return { ok, said };
    };

    it('npm start without a terminal and without --yes installs nothing and says how to', async () => {
      const { ok, said } = await ask(undefined, {});
      assert.strictEqual(ok, false);
      assert.ok(said.includes('  - Debian packages, with apt-get (as root): chromium\n  - the offline VS Code: code-server@4.100.3 (about 300 MB, 1-2 minutes)\n'), said);
      assert.match(said, /Nothing installed: no terminal to ask on\. Run again with --yes/);
    });

    it('on a terminal it asks: "n" (or Enter) installs nothing, "y" installs', async () => {
      assert.strictEqual((await ask('n', { tty: true })).ok, false);
      assert.strictEqual((await ask('', { tty: true })).ok, false);
      const yes = await ask('y', { tty: true });
      assert.strictEqual(yes.ok, true);
      assert.match(yes.said, /code-server@4\.100\.3[\s\S]*Install it now\? \[y\/N\] /);
    });

    it('--yes and CI=true install without asking; npm test without a terminal installs (CI has no stdin)', async () => {
      assert.strictEqual((await ask(undefined, { yes: true, tty: true })).ok, true);
      assert.strictEqual((await ask(undefined, { ci: true, tty: true })).ok, true);
      assert.strictEqual((await ask(undefined, { unattended: 'install' })).ok, true);
    });

    it('nothing to install: no question', async () => {
      const output = new PassThrough();
      let said = '';
      output.on('data', (b: Buffer) => (said += String(b)));
      assert.strictEqual(await consentToInstall([], { yes: false, ci: false, unattended: 'refuse', input: new PassThrough(), output }), true);
      assert.strictEqual(said, '');
    });
  });
});
