#!/usr/bin/env node
// Runs the tests: `node scripts/test.js [unit|cli|integration|e2e|electron]...` (default: unit, cli, integration, e2e).
// Builds first, installs the offline VS Code test host on first use, and leaves no process behind.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'out');
const suites = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const wanted = suites.length > 0 ? suites : ['unit', 'cli', 'integration', 'e2e'];
const grep = (process.argv.find((a) => a.startsWith('--grep=')) || '').slice('--grep='.length) || undefined;
const summary = [];
const children = new Set();

function killAll(signal = 'SIGKILL') {
  for (const child of children) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // gone
    }
  }
}
process.on('exit', () => killAll());
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    // Children run in their own process groups (so they can be killed whole): pass the signal on,
    // let them stop their code-server and browser, then make sure.
    console.log(`\n${signal}: stopping the test processes…`);
    killAll('SIGTERM');
    setTimeout(() => {
      killAll();
      process.exit(130);
    }, 3000).unref();
    const check = setInterval(() => {
      if (children.size === 0) {
        clearInterval(check);
        process.exit(130);
      }
    }, 100);
  });
}

function step(title, command, args, options = {}) {
  console.log(`\n> ${title}`);
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (r.status !== 0) {
    throw new Error(`${title} failed (exit ${r.status ?? r.signal})`);
  }
}

/** Runs a child in its own process group and returns its exit code and output. */
function runChild(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.add(child);
    let output = '';
    child.stdout.on('data', (b) => {
      output += b;
      process.stdout.write(b);
    });
    child.stderr.on('data', (b) => {
      output += b;
      process.stderr.write(b);
    });
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code: code ?? (signal ? 1 : 0), output });
    });
  });
}

const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const mocha = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');

const eslint = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

function build() {
  step('lint (eslint: layers and rules)', process.execPath, [eslint, 'src', 'test', 'bench']);
  step('type check (tsc --noEmit)', process.execPath, [tsc, '--noEmit', '-p', '.']);
  step('type check the Studio webview', process.execPath, [tsc, '--noEmit', '-p', 'src/webview']);
  step('l10n bundle (@vscode/l10n-dev export)', 'npm', ['run', '--silent', 'l10n']);
  step('bundle (esbuild)', process.execPath, ['esbuild.js']);
  fs.rmSync(OUT, { recursive: true, force: true });
  step('compile tests', process.execPath, [tsc, '-p', 'tsconfig.test.json']);
}

function countMocha(output) {
  const passing = /(\d+) passing/.exec(output);
  const failing = /(\d+) failing/.exec(output);
  const pending = /(\d+) pending/.exec(output);
  return { passed: passing ? Number(passing[1]) : 0, failed: failing ? Number(failing[1]) : 0, skipped: pending ? Number(pending[1]) : 0 };
}

/** `parallel`: two files at a time (npm test's budget is 2 cores); each file starts its own stand-in servers on ports of their own. */
async function mochaSuite(name, spec, timeout, parallel = false) {
  const args = [mocha, '--no-config', '--reporter', 'spec', '--spec', spec, '--timeout', String(timeout), '--exit', ...(parallel ? ['--parallel', '--jobs', '2'] : [])];
  if (grep) {
    args.push('--grep', grep);
  }
  const { code, output } = await runChild(process.execPath, args);
  const counts = countMocha(output);
  summary.push({ name, ...counts, ok: code === 0 && counts.failed === 0 && counts.passed > 0 });
}

/** The offline VS Code test host: says what it installs first; asks on a terminal unless --yes or CI=true; without a terminal (CI) it installs. */
async function testHost() {
  const host = require(path.join(OUT, 'test', 'host', 'install.js'));
  if (!(await host.consentToInstall(host.installPlan(), host.consentFromArgs('install')))) {
    throw new Error('The integration and e2e suites need the test host, which is not installed (see above).');
  }
  host.ensureTestHost();
}

async function integration() {
  const { runIntegration } = require(path.join(OUT, 'test', 'host', 'runIntegration.js'));
  const result = await runIntegration({ grep });
  summary.push({ name: 'integration', ...result, ok: result.ok });
}

async function electron() {
  const { runWithElectron } = require(path.join(OUT, 'test', 'host', 'runElectron.js'));
  const result = await runWithElectron({ grep });
  summary.push({ name: 'electron', ...result });
}

/**
 * The .vsix the e2e suite installs: vsce must not warn, it must hold the icon, the localized manifests
 * and the image codec (its worker and .wasm files), and stay under 1 MB (the codecs' WebAssembly is
 * about 1 MB before compression, about 450 KB in the .vsix).
 */
function packageVsix() {
  console.log('\n> package (.vsix)');
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, encoding: 'utf8' });
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  const output = `${r.stdout}\n${r.stderr}`;
  const problems = [];
  if (r.status !== 0) {
    problems.push(`exit ${r.status ?? r.signal}`);
  }
  if (/WARNING/i.test(output)) {
    problems.push('vsce printed a warning');
  }
  // vsce lists a folder of many files by its name and count (`wasm/ (5 files)`).
  for (const file of ['media/icon.png', 'package.nls.zh-cn.json', 'l10n/bundle.l10n.zh-cn.json', 'dist/codecWorker.js', 'dist/wasm/']) {
    if (!output.includes(path.basename(file) + (file.endsWith('/') ? '/' : ''))) {
      problems.push(`${file} is not in the .vsix`);
    }
  }
  const vsix = path.join(ROOT, `illustrate-${require(path.join(ROOT, 'package.json')).version}.vsix`);
  if (fs.existsSync(vsix) && fs.statSync(vsix).size > 1024 * 1024) {
    problems.push(`the .vsix is ${Math.round(fs.statSync(vsix).size / 1024)} KB (over 1 MB)`);
  }
  if (problems.length) {
    throw new Error(`package (.vsix): ${problems.join('; ')}`);
  }
}

async function main() {
  const started = Date.now();
  build();
  for (const suite of wanted) {
    console.log(`\n=== ${suite} tests ===`);
    const suiteStarted = Date.now();
    const reported = summary.length;
    if (suite === 'unit') {
      await mochaSuite('unit', 'out/test/unit/**/*.test.js', 20000, true);
    } else if (suite === 'cli') {
      await mochaSuite('cli', 'out/test/cli/**/*.test.js', 20000, true);
    } else if (suite === 'integration') {
      await testHost();
      await integration();
    } else if (suite === 'e2e') {
      await testHost();
      packageVsix();
      await mochaSuite('e2e', 'out/test/e2e/**/*.test.js', 120000);
    } else if (suite === 'electron') {
      await electron();
    } else {
      throw new Error(`Unknown suite "${suite}". Use unit, cli, integration, e2e or electron.`);
    }
    summary.slice(reported).forEach((s) => (s.seconds = Math.round((Date.now() - suiteStarted) / 1000)));
  }
  console.log('\n=== summary ===');
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const s of summary) {
    console.log(`${s.name}: ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''} (${s.seconds} s)${s.ok ? '' : '  <- FAILED'}`);
    passed += s.passed;
    failed += s.failed + (s.ok ? 0 : s.failed === 0 ? 1 : 0);
    skipped += s.skipped;
  }
  console.log(`(${Math.round((Date.now() - started) / 1000)} s)`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exitCode = summary.every((s) => s.ok) ? 0 : 1;
}

main().catch((e) => {
  console.error(`\n${e instanceof Error ? e.message : String(e)}`);
  console.log('0 passed, 1 failed');
  killAll();
  process.exit(1);
});
