/**
 * The GitHub Action (action.yml): its steps run as the runner runs a composite action (each `run`
 * in bash with the GITHUB_* variables, its own GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, `if:`
 * and `${{ }}` evaluated, the first failing step failing the action) on a docs tree with findings.
 */
import * as assert from 'assert';
import { spawn } from 'child_process';
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
async function runAction(workspace: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<Ran> {
  const action = load(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;
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
  const ran: Ran = { code: 0, stdout: '', summary: '', outputs: {}, steps: [] };
  for (const [i, step] of action.runs.steps.entries()) {
    if (!holds(step.if)) {
      continue;
    }
    if (step.uses) {
      ran.steps.push({ name: step.name, uses: step.uses, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(v)])) });
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
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'docs-team/handbook',
      GITHUB_SHA: 'abc123',
      ...files,
      ...extraEnv,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v)])),
    };
    const r = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (b: Buffer) => (stdout += String(b)));
      child.stderr.resume();
      child.on('close', (status) => resolve({ status, stdout }));
    });
    ran.stdout += r.stdout;
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
    assert.deepStrictEqual(r.outputs, { documents: '2', findings: '3', missing: '1', stale: '0', alt: '2', review: '0', filled: '' });
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
    assert.deepStrictEqual(r.outputs, { documents: '2', findings: '2', missing: '0', stale: '0', alt: '2', review: '0', filled: '' });
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

  it('a wrong fail-on stops the job with one error saying what it takes', async () => {
    const r = await runAction(tree(DOCS), { paths: 'docs', 'fail-on': 'everything' });
    assert.strictEqual(r.code, 2);
    assert.match(r.stdout, /^::error title=Illustrate::fail-on takes any, none, or a comma-separated list of missing, stale, alt and review \(not everything\)\.$/m);
  });

  describe('with fill: true and the key from a secret', () => {
    const site = standIn();

    it('makes the missing image, lists it for the artifact upload, counts it, and the check then finds only the alt text', async () => {
      const dir = tree(DOCS);
      const r = await runAction(dir, { paths: 'docs', fill: 'true', 'api-key': FAKE_KEY, 'base-url': site.url(), 'fail-on': 'missing' });
      assert.strictEqual(r.code, 0, r.stdout + r.summary);
      assert.ok(fs.existsSync(path.join(dir, 'docs/images/flow.png')));
      assert.deepStrictEqual(r.outputs, { documents: '2', findings: '2', missing: '0', stale: '0', alt: '2', review: '0', filled: '1' });
      assert.deepStrictEqual(r.steps[2], { name: 'Upload the images made', uses: 'actions/upload-artifact@v4', with: { name: 'illustrate-images', path: 'docs/images/flow.png' } });
      assert.match(r.summary, /^### Illustrate fill\n\n1 images made, 0 failed, ≈ \$[\d.]+\.\n\n\| Image \| Result \|\n\| --- \| --- \|\n\| `docs\/images\/flow\.png` \| made, \d+×\d+ \w+ \|$/m);
    });

    it('without a key, fill: true stops with one error saying where the key comes from, and spends nothing', async () => {
      const r = await runAction(tree(DOCS), { paths: 'docs', fill: 'true', 'base-url': site.url() });
      assert.strictEqual(r.code, 3);
      assert.match(r.stdout, /^::error title=Illustrate::fill: true needs a key: pass api-key: \$\{\{ secrets\.ILLUSTRATE_API_KEY \}\}/m);
      assert.strictEqual(site.fake.requests.length, 0);
    });
  });
});
