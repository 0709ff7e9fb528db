#!/usr/bin/env node
// The GitHub Action's steps (action.yml): `node scripts/action.js setup|fill|check`.
// Inputs come as INPUT_* variables (action.yml passes them), outputs go to $GITHUB_OUTPUT, the
// findings table to $GITHUB_STEP_SUMMARY, annotations are `illustrate check --format github`'s.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'packages', 'cli', 'bin', 'illustrate.js');
const BUNDLE = path.join(ROOT, 'packages', 'cli', 'dist', 'illustrate.js');
const KINDS = { missing: ['missing'], stale: ['stale'], alt: ['genericAlt', 'missingAlt'], review: ['reviewFailed'] };

function input(name, fallback = '') {
  const v = process.env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`];
  return v === undefined || v.trim() === '' ? fallback : v.trim();
}

/** The paths input: one per line or separated by spaces. */
function paths() {
  return input('paths', '.').split(/\s+/).filter(Boolean);
}

/** Stops the job with one annotation saying what to do. */
function fail(message, code = 2) {
  console.log(`::error title=Illustrate::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}`);
  process.exit(code);
}

function illustrate(args, env = {}) {
  // An input left empty reaches us as an empty variable: unset it, so the command's default applies.
  const vars = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== ''));
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: process.env.GITHUB_WORKSPACE || process.cwd(), env: vars, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) {
    fail(`illustrate could not start: ${r.error.message}`);
  }
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Appends to one of the runner's files ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY); a value with newlines as a heredoc. */
function append(variable, text) {
  const file = process.env[variable];
  if (file) {
    fs.appendFileSync(file, text);
  }
}
function output(name, value) {
  const v = String(value);
  append('GITHUB_OUTPUT', v.includes('\n') ? `${name}<<ILLUSTRATE_EOF\n${v}\nILLUSTRATE_EOF\n` : `${name}=${v}\n`);
}

/** A markdown table cell: one line, pipes escaped. */
function cell(text) {
  return String(text).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** `document:line`, linked to the file at this commit when the runner says where that is. */
function where(document, line) {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = process.env;
  const label = `\`${document}:${line}\``;
  return server && repo && sha ? `[${label}](${server}/${repo}/blob/${sha}/${encodeURI(document)}#L${line})` : label;
}

/** Builds the command from the action's own source on first use (the bundle is not committed). */
function setup() {
  if (fs.existsSync(BUNDLE)) {
    console.log('illustrate: using the built command');
    return;
  }
  console.log('illustrate: building the command from the action\'s source (npm ci, then esbuild)');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0 || !fs.existsSync(BUNDLE)) {
    fail('Building the illustrate command failed: see the npm output above.');
  }
}

/** `illustrate fill --yes` with the key from the secret; outputs how many images it made and which. */
function fill() {
  if (!process.env.ILLUSTRATE_API_KEY && !process.env.GEMINI_API_KEY) {
    fail('fill: true needs a key: pass api-key: ${{ secrets.ILLUSTRATE_API_KEY }} (forks get no secrets: run the fill only for branches of the repository).', 3);
  }
  const r = illustrate(['fill', ...paths(), '--yes', '--json']);
  process.stderr.write(r.stderr);
  let result;
  try {
    result = JSON.parse(r.stdout);
  } catch {
    fail(r.stderr.trim().split('\n').pop() || `illustrate fill failed (exit ${r.code})`, r.code || 1);
  }
  const made = (result.made || []).map((m) => m.file);
  const failed = result.failed || [];
  output('filled', made.length);
  output('fill-failed', failed.length);
  output('files', made.join('\n'));
  output('cost', (result.cost || 0).toFixed(3));
  const lines = ['### Illustrate fill', '', `${made.length} images made, ${failed.length} failed, ≈ $${(result.cost || 0).toFixed(3)}.`, ''];
  if (made.length || failed.length) {
    lines.push('| Image | Result |', '| --- | --- |');
    for (const m of result.made || []) {
      lines.push(`| \`${cell(m.file)}\` | made, ${m.width}×${m.height} ${cell(m.format)} |`);
    }
    for (const f of failed) {
      lines.push(`| \`${cell(f.file)}\` | failed: ${cell(f.message)} |`);
    }
    lines.push('');
  }
  append('GITHUB_STEP_SUMMARY', `${lines.join('\n')}\n`);
  for (const f of failed) {
    console.log(`::error title=Illustrate: fill::${f.file}: ${f.message}`);
  }
  if (r.code !== 0 && r.code !== 1) {
    fail(r.stderr.trim().split('\n').pop() || `illustrate fill failed (exit ${r.code})`, r.code);
  }
  process.exit(failed.length && input('fail-on', 'any') !== 'none' ? 1 : 0);
}

/** What fails the job: `any` finding (default), `none`, or some of missing, stale, alt, review. */
function failingKinds() {
  const raw = input('fail-on', 'any');
  if (raw === 'any') {
    return new Set(Object.values(KINDS).flat());
  }
  if (raw === 'none') {
    return new Set();
  }
  const names = raw.split(/[\s,]+/).filter(Boolean);
  const unknown = names.filter((n) => !(n in KINDS));
  if (unknown.length) {
    fail(`fail-on takes any, none, or a comma-separated list of missing, stale, alt and review (not ${unknown.join(', ')}).`);
  }
  return new Set(names.flatMap((n) => KINDS[n]));
}

/** `illustrate check`: annotations (its --format github), outputs with the counts, the findings table, the exit status. */
function check() {
  const failOn = failingKinds();
  const only = input('only') ? ['--only', input('only')] : [];
  const annotations = illustrate(['check', ...paths(), '--format', 'github', ...only]);
  if (annotations.code !== 0 && annotations.code !== 1) {
    fail(annotations.stderr.trim().split('\n').pop() || `illustrate check failed (exit ${annotations.code})`, annotations.code);
  }
  process.stdout.write(annotations.stdout);
  process.stderr.write(annotations.stderr);
  const r = illustrate(['check', ...paths(), '--json', ...only]);
  let result;
  try {
    result = JSON.parse(r.stdout);
  } catch {
    fail(r.stderr.trim().split('\n').pop() || `illustrate check failed (exit ${r.code})`, r.code || 2);
  }
  const count = (kinds) => result.findings.filter((f) => kinds.includes(f.kind)).length;
  const counts = { documents: result.documents, findings: result.findings.length, missing: count(KINDS.missing), stale: count(KINDS.stale), alt: count(KINDS.alt), review: count(KINDS.review) };
  for (const [name, value] of Object.entries(counts)) {
    output(name, value);
  }
  const lines = ['### Illustrate check', '', `${counts.documents} documents · ${counts.missing} missing · ${counts.stale} stale · ${counts.alt} alt text${counts.review ? ` · ${counts.review} failed review` : ''}`, ''];
  if (result.findings.length) {
    lines.push('| Where | Finding | Link | Fix |', '| --- | --- | --- | --- |');
    for (const f of result.findings) {
      lines.push(`| ${where(f.document, f.line)} | ${cell(f.message)} | \`${cell(f.link)}\` | \`${cell(f.fix)}\` |`);
    }
  } else {
    lines.push('No findings.');
  }
  append('GITHUB_STEP_SUMMARY', `${lines.join('\n')}\n\n`);
  const failing = result.findings.filter((f) => failOn.has(f.kind)).length;
  if (failing) {
    console.log(`::error title=Illustrate::${failing} images need attention (see the job summary)`);
  }
  process.exit(failing ? 1 : 0);
}

const command = process.argv[2];
if (command === 'setup') {
  setup();
} else if (command === 'fill') {
  fill();
} else if (command === 'check') {
  check();
} else {
  fail('Usage: node scripts/action.js setup|fill|check', 2);
}
