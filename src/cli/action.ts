/**
 * The GitHub Action's steps (action.yml), bundled as packages/cli/dist/action.js and started by
 * scripts/action.js: `fill`, `commit`, `fill-summary`, `check`. Each runs the `illustrate` command
 * (its --json), takes its inputs from INPUT_* variables, writes outputs to $GITHUB_OUTPUT and the
 * job summary to $GITHUB_STEP_SUMMARY, every outside text through its sink in core/escape.ts.
 */
import * as l10n from '@vscode/l10n';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { actionsAnnotation, markdownCode, markdownText, printable, tableCode, urlInMarkup } from '../core/escape';
import { thumbnail } from '../core/fill/fill';
import { madeReviewFromJson, retrySaid, verdictLine } from '../core/review/made';
import { useLocale } from './locale';

/** The artifact the images a fill made are uploaded as (action.yml's upload step). */
export const ARTIFACT = 'illustrate-images';
const KINDS: Readonly<Record<string, readonly string[]>> = { missing: ['missing'], stale: ['stale'], alt: ['genericAlt', 'missingAlt'], review: ['reviewFailed'] };
const BOT = ['-c', 'user.name=illustrate[bot]', '-c', 'user.email=illustrate-bot@users.noreply.github.com'];

/** Ends the step with one annotation saying what to do, and its exit code. */
class StepStop extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

type Env = NodeJS.ProcessEnv;

function input(env: Env, name: string, fallback = ''): string {
  const v = env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`];
  return v === undefined || v.trim() === '' ? fallback : v.trim();
}

/** The paths input: one per line or separated by spaces. */
function paths(env: Env): string[] {
  return input(env, 'paths', '.').split(/\s+/).filter(Boolean);
}

/** Appends to one of the runner's files ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY). */
function append(env: Env, variable: 'GITHUB_OUTPUT' | 'GITHUB_STEP_SUMMARY', text: string): void {
  const file = env[variable];
  if (file) {
    fs.appendFileSync(file, text);
  }
}

/** A step output; a value with newlines as a heredoc. */
function output(env: Env, name: string, value: string | number): void {
  const v = String(value);
  append(env, 'GITHUB_OUTPUT', v.includes('\n') ? `${name}<<ILLUSTRATE_EOF\n${v}\nILLUSTRATE_EOF\n` : `${name}=${v}\n`);
}

/** The last line the command wrote to stderr, without its `illustrate: ` prefix. */
function lastError(stderr: string, fallback: string): string {
  const line = stderr.trim().split('\n').pop()?.replace(/^illustrate: /, '') ?? '';
  return line || fallback;
}

/** Runs `illustrate` (the CLI bundle beside this one) in the workspace; its stderr goes to the log. */
function illustrate(env: Env, args: string[]): { code: number; stdout: string } {
  // An input left empty reaches us as an empty variable: unset it, so the command's default applies.
  const vars = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const r = spawnSync(process.execPath, [path.join(__dirname, 'illustrate.js'), ...args], { cwd: env.GITHUB_WORKSPACE || process.cwd(), env: vars, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) {
    throw new StepStop(l10n.t('illustrate could not start: {0}', r.error.message), 2);
  }
  process.stderr.write(r.stderr);
  const code = r.status ?? 1;
  if (code !== 0 && code !== 1) {
    throw new StepStop(lastError(r.stderr, l10n.t('illustrate {0} failed (exit {1})', args[0], code)), code);
  }
  return { code, stdout: r.stdout };
}

/** The command's --json answer, or the step stops with what it said. */
function json(stdout: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(stdout);
    if (typeof value === 'object' && value !== null) {
      return value as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw new StepStop(l10n.t('illustrate {0} gave no result: see its lines above.', what), 1);
}

/** A link to the repository at a commit (`blob` page or `raw` file) when the runner says where that is; path segments encoded. */
function repoUrl(env: Env, kind: 'blob' | 'raw' | 'commit', sha: string | undefined, file = ''): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo } = env;
  if (!server || !repo || !sha) {
    return undefined;
  }
  const tail = file ? `/${file.split('/').map(encodeURIComponent).join('/')}` : '';
  return `${server}/${repo}/${kind}/${encodeURIComponent(sha)}${tail}`;
}

/** `illustrate fill --yes --json` with the key from the secret: its result kept for the later steps, the counts as outputs. */
function fill(env: Env): number {
  if (!env.ILLUSTRATE_API_KEY && !env.GEMINI_API_KEY) {
    throw new StepStop(l10n.t('fill: true needs a key: pass api-key: {0} (forks get no secrets: run the fill only for branches of the repository).', '${{ secrets.ILLUSTRATE_API_KEY }}'), 3);
  }
  const review = input(env, 'review');
  if (review && !['off', 'report', 'retry'].includes(review)) {
    throw new StepStop(l10n.t('review takes off, report or retry (not {0}).', review), 2);
  }
  const images = input(env, 'fill-images', 'artifact');
  if (!['artifact', 'commit'].includes(images)) {
    throw new StepStop(l10n.t('fill-images takes artifact or commit (not {0}).', images), 2);
  }
  const result = json(illustrate(env, ['fill', ...paths(env), '--yes', '--json', ...(review ? ['--review', review] : [])]).stdout, 'fill');
  const made = Array.isArray(result.made) ? (result.made as Record<string, unknown>[]) : [];
  const failed = Array.isArray(result.failed) ? (result.failed as Record<string, unknown>[]) : [];
  // The result for the commit and summary steps, in a file of this run's own (too big for an output).
  const dir = fs.mkdtempSync(path.join(env.RUNNER_TEMP || os.tmpdir(), 'illustrate-fill-'));
  const state = path.join(dir, 'fill.json');
  fs.writeFileSync(state, JSON.stringify(result));
  output(env, 'state', state);
  output(env, 'filled', made.length);
  output(env, 'fill-failed', failed.length);
  output(env, 'files', made.map((m) => String(m.file)).join('\n'));
  output(env, 'cost', (typeof result.cost === 'number' ? result.cost : 0).toFixed(3));
  for (const f of failed) {
    console.log(actionsAnnotation('error', { title: 'Illustrate: fill' }, `${String(f.file)}: ${String(f.message)}`));
  }
  for (const m of made) {
    const review = madeReviewFromJson(m.review);
    if (review && review.verdict.status === 'fail') {
      console.log(actionsAnnotation('warning', { file: String(m.file), title: 'Illustrate: review' }, verdictLine(review.verdict)));
    }
  }
  return 0;
}

/** The fill's result, as the fill step kept it. */
function fillResult(env: Env): Record<string, unknown> {
  const state = env.FILL_STATE;
  if (!state || !fs.existsSync(state)) {
    throw new StepStop(l10n.t('The fill step left no result: it did not run or failed (see its lines above).'), 1);
  }
  return json(fs.readFileSync(state, 'utf8'), 'fill');
}

function git(env: Env, args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync('git', args, { cwd: env.GITHUB_WORKSPACE || process.cwd(), env, encoding: 'utf8' });
  return { ok: r.status === 0, out: (r.stdout ?? '').trim(), err: (r.stderr ?? '').trim() || (r.error?.message ?? '') };
}

/** `fill-images: commit`: the images made, committed on the checked-out branch and pushed; the commit as the `sha` output. */
function commit(env: Env): number {
  const files = (fillResult(env).made as Record<string, unknown>[] | undefined)?.map((m) => String(m.file)) ?? [];
  if (!files.length) {
    return 0;
  }
  if (!git(env, ['symbolic-ref', '-q', 'HEAD']).ok) {
    throw new StepStop(l10n.t('fill-images: commit needs the pull request\'s branch checked out, not its merge commit: give actions/checkout {0}.', 'ref: ${{ github.head_ref }}'), 1);
  }
  const steps: [string, string[]][] = [
    ['add', ['add', '--', ...files]],
    ['commit', [...BOT, 'commit', '-m', 'docs: generate missing images', '--', ...files]],
    // To the branch of the same name (actions/checkout with a ref sets no upstream to push to).
    ['push', ['push', 'origin', 'HEAD']],
  ];
  for (const [name, args] of steps) {
    const r = git(env, args);
    if (!r.ok) {
      throw new StepStop(l10n.t('Committing the images made failed at git {0}: {1}', name, printable(r.err.split('\n').pop() ?? '')), 1);
    }
  }
  const sha = git(env, ['rev-parse', 'HEAD']).out;
  output(env, 'sha', sha);
  console.log(l10n.t('illustrate: committed {0} images in {1} and pushed', files.length, sha));
  return 0;
}

/**
 * The job summary of the fill: each image made with its review's verdict; committed, a thumbnail
 * of it at the pushed commit; in the artifact, no picture (the summary cannot show the runner's files).
 */
function fillSummary(env: Env): number {
  const result = fillResult(env);
  const made = Array.isArray(result.made) ? (result.made as Record<string, unknown>[]) : [];
  const failed = Array.isArray(result.failed) ? (result.failed as Record<string, unknown>[]) : [];
  const cost = typeof result.cost === 'number' ? result.cost : 0;
  const sha = env.COMMIT_SHA || undefined;
  const lines = [`### ${l10n.t('Illustrate fill')}`, '', l10n.t('{0} images made, {1} failed, ≈ ${2}.', made.length, failed.length, cost.toFixed(3))];
  const reviews = made.map((m) => madeReviewFromJson(m.review));
  if (reviews.some(Boolean)) {
    const count = (status: string): number => reviews.filter((r) => r?.verdict.status === status).length;
    lines.push('', l10n.t('Reviewed: {0} passed · {1} failed · {2} not reviewed.', count('pass'), count('fail'), count('unreviewed')));
  }
  lines.push('');
  if (made.length) {
    const commitUrl = repoUrl(env, 'commit', sha);
    const artifactUrl = env.ARTIFACT_URL ? `[${markdownText(ARTIFACT)}](${urlInMarkup(env.ARTIFACT_URL)})` : markdownCode(ARTIFACT);
    lines.push(
      sha
        ? l10n.t('Committed to the branch in {0}:', commitUrl ? `[${markdownCode(sha.slice(0, 7))}](${urlInMarkup(commitUrl)})` : markdownCode(sha.slice(0, 7)))
        : l10n.t('In the artifact {0} of this run (not shown here: a job summary cannot show the runner\'s files):', artifactUrl),
      '',
    );
  }
  made.forEach((m, i) => {
    const file = String(m.file);
    const raw = repoUrl(env, 'raw', sha, file);
    const page = repoUrl(env, 'blob', sha, file);
    const name = page ? `[${markdownCode(file)}](${urlInMarkup(page)})` : markdownCode(file);
    const review = reviews[i];
    const verdict = review ? ` — ${review.verdict.status === 'fail' ? '**' : ''}${markdownText(verdictLine(review.verdict))}${review.verdict.status === 'fail' ? '**' : ''}` : '';
    const size = `${Number(m.width)}×${Number(m.height)} ${markdownText(String(m.format).toUpperCase())}`;
    lines.push(`- ${raw ? `${thumbnail(raw, String(m.prompt ?? file))} ` : ''}${name} (${size})${verdict}`);
    const retry = review && retrySaid(review);
    if (retry) {
      lines.push(`  - ${markdownText(retry)}`);
    }
    if (review?.note) {
      lines.push(`  - ${markdownText(review.note)}`);
    }
  });
  for (const f of failed) {
    lines.push(`- ${markdownCode(String(f.file))} — ${markdownText(l10n.t('not made: {0}', String(f.message)))}`);
  }
  append(env, 'GITHUB_STEP_SUMMARY', `${lines.join('\n')}\n\n`);
  return 0;
}

/** What fails the job: `any` finding (default), `none`, or some of missing, stale, alt, review. */
function failingKinds(env: Env): Set<string> {
  const raw = input(env, 'fail-on', 'any');
  if (raw === 'any') {
    return new Set(Object.values(KINDS).flat());
  }
  if (raw === 'none') {
    return new Set();
  }
  const names = raw.split(/[\s,]+/).filter(Boolean);
  const unknown = names.filter((n) => !(n in KINDS));
  if (unknown.length) {
    throw new StepStop(l10n.t('fail-on takes any, none, or a comma-separated list of missing, stale, alt and review (not {0}).', unknown.join(', ')), 2);
  }
  return new Set(names.flatMap((n) => KINDS[n]));
}

/** `illustrate check`: annotations (its --format github), outputs with the counts, the findings table, the exit status. */
function check(env: Env): number {
  const failOn = failingKinds(env);
  const only = input(env, 'only') ? ['--only', input(env, 'only')] : [];
  process.stdout.write(illustrate(env, ['check', ...paths(env), '--format', 'github', ...only]).stdout);
  const result = json(illustrate(env, ['check', ...paths(env), '--json', ...only]).stdout, 'check');
  const findings = Array.isArray(result.findings) ? (result.findings as Record<string, unknown>[]) : [];
  const count = (kinds: readonly string[]): number => findings.filter((f) => kinds.includes(String(f.kind))).length;
  const counts = { documents: Number(result.documents) || 0, findings: findings.length, missing: count(KINDS.missing), stale: count(KINDS.stale), alt: count(KINDS.alt), review: count(KINDS.review) };
  for (const [name, value] of Object.entries(counts)) {
    output(env, name, value);
  }
  const lines = [
    `### ${l10n.t('Illustrate check')}`,
    '',
    l10n.t('{0} documents · {1} missing · {2} stale · {3} alt text', counts.documents, counts.missing, counts.stale, counts.alt) + (counts.review ? ` · ${l10n.t('{0} failed review', counts.review)}` : ''),
    '',
  ];
  if (findings.length) {
    lines.push(`| ${l10n.t('Where')} | ${l10n.t('Finding')} | ${l10n.t('Link')} | ${l10n.t('Fix')} |`, '| --- | --- | --- | --- |');
    for (const f of findings) {
      const at = `${String(f.document)}:${Number(f.line)}`;
      const page = repoUrl(env, 'blob', env.GITHUB_SHA, String(f.document));
      const where = page ? `[${tableCode(at)}](${urlInMarkup(`${page}#L${Number(f.line)}`)})` : tableCode(at);
      lines.push(`| ${where} | ${markdownText(String(f.message))} | ${tableCode(String(f.link))} | ${tableCode(String(f.fix))} |`);
    }
  } else {
    lines.push(l10n.t('No findings.'));
  }
  append(env, 'GITHUB_STEP_SUMMARY', `${lines.join('\n')}\n\n`);
  const failing = findings.filter((f) => failOn.has(String(f.kind))).length;
  if (failing) {
    console.log(actionsAnnotation('error', { title: 'Illustrate' }, l10n.t('{0} images need attention (see the job summary)', failing)));
  }
  return failing ? 1 : 0;
}

const STEPS: Readonly<Record<string, (env: Env) => number>> = { fill, commit, 'fill-summary': fillSummary, check };

/** Runs one step; its exit code. */
export function runStep(step: string, env: Env): number {
  useLocale(env);
  try {
    const run = STEPS[step];
    if (!run) {
      throw new StepStop(l10n.t('Usage: node scripts/action.js setup|fill|commit|fill-summary|check'), 2);
    }
    return run(env);
  } catch (e: unknown) {
    if (e instanceof StepStop) {
      console.log(actionsAnnotation('error', { title: 'Illustrate' }, e.message));
      return e.code;
    }
    console.log(actionsAnnotation('error', { title: 'Illustrate' }, printable(e instanceof Error ? e.message : String(e))));
    return 1;
  }
}
