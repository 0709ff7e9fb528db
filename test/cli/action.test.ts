/**
 * The GitHub Action (action.yml): its steps run as the runner runs a composite action (each `run`
 * in bash with the GITHUB_* variables, its own GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, `if:`
 * and `${{ }}` evaluated, the first failing step failing the action) on a docs tree with findings.
 */
import * as assert from 'assert';
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { load } from 'js-yaml';
import { FAKE_KEY } from '../fake-gemini/server';
import { standIn, tree } from '../fixtures/cli';

const ROOT = path.resolve(__dirname, '../../..');

interface Step {
  name: string;
  id?: string;
  if?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  /** Each step the runner ran (or would hand to another action), with its `with:` evaluated. */
  steps: { name: string; uses?: string; with?: Record<string, string> }[];
}

/** The `name=value` and `name<<EOF` lines the runner reads back from GITHUB_OUTPUT. */
function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([\w-]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (/^[\w-]+=/.test(lines[i])) {
      const at = lines[i].indexOf('=');
      out[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return out;
}

/** Async: the stand-in API answers from this process meanwhile. */
/** `uses`: what each step handed to another action answers, by its id (the runner's upload-artifact gives its artifact-url). */
async function runAction(workspace: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}, uses: Record<string, Record<string, string>> = {}, actionPath = ROOT): Promise<Ran> {
  const action = load(fs.readFileSync(path.join(actionPath, 'action.yml'), 'utf8')) as Action;
  assert.strictEqual(action.runs.using, 'composite');
  const given = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, inputs[k] ?? v.default ?? '']));
  const stepOutputs: Record<string, Record<string, string>> = {};
  const value = (e: string): string => {
    const t = e.trim();
    const quoted = /^'(.*)'$/.exec(t);
    if (quoted) {
      return quoted[1];
    }
    let m = /^inputs\.([\w-]+)$/.exec(t);
    if (m) {
      assert.ok(m[1] in given, `input ${m[1]} is declared`);
      return given[m[1]];
    }
    m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(t);
    if (m) {
      return stepOutputs[m[1]]?.[m[2]] ?? '';
    }
    assert.fail(`an expression this runner does not know: ${t}`);
  };
  const expand = (text: string): string => text.replace(/\$\{\{([^}]*)\}\}/g, (_, e: string) => value(e));
  const holds = (condition: string | undefined): boolean =>
    condition === undefined ||
    condition.split('&&').every((part) => {
      const m = /^(.*?)\s*(==|!=)\s*(.*)$/.exec(part.trim());
      assert.ok(m, `a condition this runner does not know: ${part}`);
      return (value(m[1]) === value(m[3])) === (m[2] === '==');
    });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-runner-'));
  const ran: Ran = { code: 0, stdout: '', stderr: '', summary: '', outputs: {}, steps: [] };
  for (const [i, step] of action.runs.steps.entries()) {
    if (!holds(step.if)) {
      continue;
    }
    if (step.uses) {
      ran.steps.push({ name: step.name, uses: step.uses, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(v)])) });
      if (step.id) {
        stepOutputs[step.id] = uses[step.id] ?? {};
      }
      continue;
    }
    ran.steps.push({ name: step.name });
    const files = { GITHUB_OUTPUT: path.join(tmp, `output-${i}`), GITHUB_STEP_SUMMARY: path.join(tmp, `summary-${i}`) };
    const script = path.join(tmp, `step-${i}.sh`);
    fs.writeFileSync(script, expand(step.run ?? ''));
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: tmp,
      LANG: 'C',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_ACTION_PATH: actionPath,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'docs-team/handbook',
      GITHUB_SHA: 'abc123',
      RUNNER_TEMP: tmp,
      ...files,
      ...extraEnv,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v)])),
    };
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += String(b)));
      child.stderr.on('data', (b: Buffer) => (stderr += String(b)));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    ran.stdout += r.stdout;
    ran.stderr += r.stderr;
    ran.summary += fs.existsSync(files.GITHUB_STEP_SUMMARY) ? fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') : '';
    if (step.id) {
      stepOutputs[step.id] = readOutputs(files.GITHUB_OUTPUT);
    }
    if (r.status !== 0) {
      ran.code = r.status ?? 1;
      break;
    }
  }
  ran.outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, expand(v.value)]));
  return ran;
}

/** Three findings: a missing image, an image without alt text, one with a file name for alt text. */
const DOCS = {
  'docs/guide.md': '# Guide\n\n![the request flow](images/flow.png)\n\n![](images/there.png)\n',
  'docs/images/there.png': 'x',
  'docs/ref/page.md': '# Page\n\n![screenshot.png](../images/there.png)\n',
};

describe('the GitHub Action (action.yml), run as the runner runs it', function () {
  this.timeout(60_000);

  it('on findings: annotations on the lines, a summary table with document:line, the counts as outputs, and the job fails', async () => {
    const r = await runAction(tree(DOCS), { paths: 'docs' });
    assert.strictEqual(r.code, 1, r.stdout);
    assert.match(r.stdout, /^::warning file=docs\/guide\.md,line=3,title=Illustrate%3A missing::!\[the request flow\]\(images\/flow\.png\) — /m);
    assert.match(r.stdout, /^::warning file=docs\/guide\.md,line=5,title=Illustrate%3A missingAlt::/m);
    assert.match(r.stdout, /^::warning file=docs\/ref\/page\.md,line=3,title=Illustrate%3A genericAlt::/m);
    assert.match(r.stdout, /^::error title=Illustrate::3 images need attention \(see the job summary\)$/m);
    assert.deepStrictEqual(r.outputs, { documents: '2', findings: '3', missing: '1', stale: '0', alt: '2', review: '0', filled: '', commit: '' });
    assert.ok(r.summary.startsWith('### Illustrate check\n\n2 documents · 1 missing · 0 stale · 2 alt text\n\n| Where | Finding | Link | Fix |\n| --- | --- | --- | --- |\n'), r.summary);
    assert.match(r.summary, /^\| \[`docs\/guide\.md:3`\]\(https:\/\/github\.com\/docs-team\/handbook\/blob\/abc123\/docs\/guide\.md#L3\) \| [^|]+ \| `!\[the request flow\]\(images\/flow\.png\)` \| `illustrate fill[^`]*` \|$/m);
    assert.match(r.summary, /^\| \[`docs\/ref\/page\.md:3`\]/m);
    assert.deepStrictEqual(
      r.steps.map((s) => s.name),
      ['Build the illustrate command', 'Check the images'],
      'no fill, no upload, no commit without fill: true',
    );
  });

  it('only and fail-on: the alt findings alone, reported but not failing the job when only missing images fail it', async () => {
    const r = await runAction(tree(DOCS), { paths: 'docs', only: 'alt', 'fail-on': 'missing' });
    assert.strictEqual(r.code, 0, r.stdout);
    assert.deepStrictEqual(r.outputs, { documents: '2', findings: '2', missing: '0', stale: '0', alt: '2', review: '0', filled: '', commit: '' });
    assert.ok(!r.stdout.includes('title=Illustrate%3A missing::'), r.stdout);
    assert.strictEqual((r.stdout.match(/^::warning /gm) ?? []).length, 2);
  });

  it('fail-on: none reports and passes; a clean tree passes with "No findings."', async () => {
    assert.strictEqual((await runAction(tree(DOCS), { paths: 'docs', 'fail-on': 'none' })).code, 0);
    const clean = await runAction(tree({ 'docs/a.md': '# A\n\n![the request flow](images/flow.png)\n', 'docs/images/flow.png': 'x' }), { paths: 'docs' });
    assert.strictEqual(clean.code, 0, clean.stdout);
    assert.match(clean.summary, /^No findings\.$/m);
    assert.strictEqual(clean.outputs.findings, '0');
  });

  it('names from the repository cannot break the summary\'s table or add markup: pipes, backticks and tags are escaped for each cell', async () => {
    const r = await runAction(tree({ 'docs/a|b.md': '# A\n\n![x `|` <img src=x onerror=alert(1)>](images/a|b`c.png)\n' }), { paths: 'docs', 'fail-on': 'none' });
    assert.strictEqual(r.code, 0, r.stdout);
    const row = r.summary.split('\n').find((l) => l.startsWith('| [`'));
    assert.ok(row, r.summary);
    assert.strictEqual(
      row,
      '| [`docs/a\\|b.md:3`](https://github.com/docs-team/handbook/blob/abc123/docs/a%7Cb.md#L3) | the image a\\|b\\`c.png does not exist | ``![x `\\|` <img src=x onerror=alert(1)>](images/a\\|b`c.png)`` | `illustrate fill` |',
    );
    assert.strictEqual(row.split(/(?<!\\)\|/).length, 6, 'four cells');
  });

  it('a wrong fail-on stops the job with one error saying what it takes', async () => {
    const r = await runAction(tree(DOCS), { paths: 'docs', 'fail-on': 'everything' });
    assert.strictEqual(r.code, 2);
    assert.match(r.stdout, /^::error title=Illustrate::fail-on takes any, none, or a comma-separated list of missing, stale, alt and review \(not everything\)\.$/m);
  });

  it('on a fresh checkout of the action, setup installs only what the command\'s build needs (no editor, no test tools), builds it, and the check runs', async function () {
    this.timeout(300_000);
    // The action's files as the runner checks them out: the repository's files (tracked, or new and not ignored), nothing built or installed.
    const checkout = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-action-')));
    for (const file of execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean)) {
      if (fs.existsSync(path.join(ROOT, file))) {
        fs.mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, file), path.join(checkout, file));
      }
    }
    // npm's own cache (the runner's HOME here is a fresh folder), preferred to the registry when it holds the package.
    const npm = { npm_config_cache: execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim(), npm_config_prefer_offline: 'true' };
    try {
      const r = await runAction(tree(DOCS), { paths: 'docs' }, npm, {}, checkout);
      if (r.steps.length === 1 && /E(NOTFOUND|AI_AGAIN|CONNREFUSED|TIMEDOUT|NETUNREACH)|network/.test(r.stderr)) {
        console.log('      skipped: the npm registry cannot be reached from here, and the setup installs from it');
        this.skip();
      }
      assert.strictEqual(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /^illustrate: installing what the command's build needs: npm ci --workspace illustrate-cli --include-workspace-root=false --ignore-scripts/m);
      assert.match(r.stdout, /^illustrate: built the command in \d+ s$/m);
      assert.deepStrictEqual(r.outputs, { documents: '2', findings: '3', missing: '1', stale: '0', alt: '2', review: '0', filled: '', commit: '' });
      const installed = fs.readdirSync(path.join(checkout, 'node_modules'));
      for (const heavy of ['typescript', 'mocha', 'eslint', 'playwright-core', 'sharp', '@vscode/test-electron', '@vscode/vsce']) {
        assert.ok(!fs.existsSync(path.join(checkout, 'node_modules', heavy)), `${heavy} is not installed`);
      }
      assert.ok(installed.length < 150, `${installed.length} packages`);
      assert.ok(!fs.existsSync(path.join(checkout, 'dist')), 'the editor\'s bundles are not built');
    } finally {
      // Its node_modules (about 50 MB) goes once the test is done.
      fs.rmSync(checkout, { recursive: true, force: true });
    }
  });

  it('the packages setup installs (the illustrate-cli workspace\'s devDependencies) are the repository\'s own, at the same versions', () => {
    const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const cli = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages/cli/package.json'), 'utf8'));
    for (const [name, range] of Object.entries(cli.devDependencies)) {
      assert.strictEqual(range, root.devDependencies[name] ?? root.dependencies[name], name);
    }
  });

  describe('with fill: true and the key from a secret', () => {
    const site = standIn();

    it('makes the missing image, uploads it as the artifact, lists it in the summary with its review and no picture, and the check then finds only the alt text', async () => {
      const dir = tree(DOCS);
      const r = await runAction(dir, { paths: 'docs', fill: 'true', 'api-key': FAKE_KEY, 'base-url': site.url(), 'fail-on': 'missing' }, {}, { upload: { 'artifact-url': 'https://github.com/docs-team/handbook/actions/runs/7/artifacts/9' } });
      assert.strictEqual(r.code, 0, r.stdout + r.summary);
      assert.ok(fs.existsSync(path.join(dir, 'docs/images/flow.png')));
      assert.deepStrictEqual(r.outputs, { documents: '2', findings: '2', missing: '0', stale: '0', alt: '2', review: '0', filled: '1', commit: '' });
      assert.deepStrictEqual(r.steps[2], { name: 'Upload the images made', uses: 'actions/upload-artifact@v4', with: { name: 'illustrate-images', path: 'docs/images/flow.png' } });
      assert.ok(
        r.summary.startsWith(
          '### Illustrate fill\n\n1 images made, 0 failed, ≈ $0.067.\n\nReviewed: 1 passed · 0 failed · 0 not reviewed.\n\n' +
            "In the artifact [illustrate-images](https://github.com/docs-team/handbook/actions/runs/7/artifacts/9) of this run (not shown here: a job summary cannot show the runner's files):\n\n" +
            '- `docs/images/flow.png` (1376×768 PNG) — review passed\n\n### Illustrate check\n',
        ),
        r.summary,
      );
      assert.ok(!r.summary.includes('<img'), 'no picture the summary cannot show');
      assert.deepStrictEqual(
        site.fake.requests.filter((q) => q.url.includes(':generateContent')).map((q) => (JSON.stringify(q.body).includes('responseSchema') ? 'review' : 'image')),
        ['image', 'review'],
        'the fill reviews what it made (the project\'s illustrate.review, report when unset)',
      );
    });

    it('fill-images: commit pushes the images to the branch and shows each at that commit with its verdict; a failed review fails the check', async () => {
      const docs = { ...DOCS, 'docs/ref/login.md': '# Login\n\n![the login button labelled "Sign in" [review:fail]](../images/login.png)\n' };
      const dir = tree(docs);
      const remote = fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-remote-'));
      const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
      git(remote, 'init', '-q', '--bare');
      git(dir, 'init', '-q', '-b', 'docs-update');
      git(dir, 'add', '.');
      git(dir, 'commit', '-q', '-m', 'docs');
      git(dir, 'remote', 'add', 'origin', remote);
      git(dir, 'push', '-q', 'origin', 'docs-update');
      const r = await runAction(dir, { paths: 'docs', fill: 'true', 'fill-images': 'commit', 'api-key': FAKE_KEY, 'base-url': site.url() });
      const sha = git(remote, 'rev-parse', 'docs-update');
      assert.strictEqual(r.outputs.commit, sha, r.stdout);
      assert.deepStrictEqual(git(remote, 'show', '--name-only', '--format=%an %s', 'docs-update').split('\n'), ['illustrate[bot] docs: generate missing images', '', 'docs/images/flow.png', 'docs/images/login.png']);
      assert.ok(execFileSync('git', ['show', `${sha}:docs/images/login.png`], { cwd: remote }).equals(fs.readFileSync(path.join(dir, 'docs/images/login.png'))));
      assert.deepStrictEqual(
        r.steps.map((s) => s.name),
        ['Build the illustrate command', 'Make the missing images', 'Commit the images made', 'Summarize the images made', 'Check the images'],
      );
      const raw = (file: string): string => `https://github.com/docs-team/handbook/raw/${sha}/${file}`;
      assert.ok(r.summary.includes(`Reviewed: 1 passed · 1 failed · 0 not reviewed.\n\nCommitted to the branch in [\`${sha.slice(0, 7)}\`](https://github.com/docs-team/handbook/commit/${sha}):\n\n`), r.summary);
      assert.ok(r.summary.includes(`- <img src="${raw('docs/images/flow.png')}" width="160" alt="the request flow"> [\`docs/images/flow.png\`](https://github.com/docs-team/handbook/blob/${sha}/docs/images/flow.png) (1376×768 PNG) — review passed\n`), r.summary);
      assert.ok(
        r.summary.includes(
          `- <img src="${raw('docs/images/login.png')}" width="160" alt="the login button labelled &quot;Sign in&quot; [review:fail]"> [\`docs/images/login.png\`](https://github.com/docs-team/handbook/blob/${sha}/docs/images/login.png) (1376×768 PNG) — **review failed: The picture reads "Sign i", not "Sign in": the last letter is missing.**\n`,
        ),
        r.summary,
      );
      assert.match(r.stdout, /^::warning file=docs\/images\/login\.png,title=Illustrate%3A review::review failed: The picture reads "Sign i", not "Sign in": the last letter is missing\.$/m);
      // The verdict is kept in the picture, so the check that follows finds it and fails the job.
      assert.strictEqual(r.code, 1);
      assert.strictEqual(r.outputs.review, '1');
    });

    it('fill-images: commit on a pull request\'s merge commit (a detached HEAD) stops with one error saying how to check out the branch, after the fill', async () => {
      const dir = tree(DOCS);
      execFileSync('git', ['init', '-q'], { cwd: dir });
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'merge'], { cwd: dir });
      execFileSync('git', ['checkout', '-q', '--detach'], { cwd: dir });
      const r = await runAction(dir, { paths: 'docs', fill: 'true', 'fill-images': 'commit', 'api-key': FAKE_KEY, 'base-url': site.url() });
      assert.strictEqual(r.code, 1);
      assert.match(r.stdout, /^::error title=Illustrate::fill-images: commit needs the pull request's branch checked out, not its merge commit: give actions\/checkout ref: \$\{\{ github\.head_ref \}\}\.$/m);
      assert.deepStrictEqual(r.steps.at(-1), { name: 'Commit the images made' });
    });

    it('without a key, fill: true stops with one error saying where the key comes from, and spends nothing', async () => {
      const r = await runAction(tree(DOCS), { paths: 'docs', fill: 'true', 'base-url': site.url() });
      assert.strictEqual(r.code, 3);
      assert.match(r.stdout, /^::error title=Illustrate::fill: true needs a key: pass api-key: \$\{\{ secrets\.ILLUSTRATE_API_KEY \}\}/m);
      assert.strictEqual(site.fake.requests.length, 0);
    });
  });
});
