#!/usr/bin/env node
// The GitHub Action's steps (action.yml): `node scripts/action.js setup|fill|commit|fill-summary|check`.
// `setup` builds the command from the action's own source with only what that build needs; the
// other steps are src/cli/action.ts, bundled beside the command (packages/cli/dist/action.js).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'packages', 'cli', 'dist');
const BUILT = ['illustrate.js', 'action.js', 'codecWorker.js'].map((f) => path.join(DIST, f));

/** Stops the step with one annotation (the bundle, which escapes text through core/escape.ts, is not built yet). */
function fail(message) {
  console.log(`::error title=Illustrate::${message}`);
  process.exit(2);
}

/**
 * Installs the illustrate-cli workspace's devDependencies alone (esbuild, the MCP SDK, the image
 * codecs: about 120 packages, 50 MB, at the versions of package-lock.json, no install scripts)
 * rather than the whole repository's (about 700 packages, 400 MB: the editor, its tests and their
 * browsers), then builds the command and the action's steps.
 */
function setup() {
  if (BUILT.every((f) => fs.existsSync(f))) {
    console.log('illustrate: using the built command');
    return;
  }
  const started = Date.now();
  const install = ['ci', '--workspace', 'illustrate-cli', '--include-workspace-root=false', '--ignore-scripts', '--no-audit', '--no-fund'];
  console.log(`illustrate: installing what the command's build needs: npm ${install.join(' ')}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, install, { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    fail('Installing what the illustrate command needs failed: see the npm lines above.');
  }
  const b = spawnSync(process.execPath, ['esbuild.js', '--cli'], { cwd: ROOT, stdio: 'inherit' });
  if (b.status !== 0 || !BUILT.every((f) => fs.existsSync(f))) {
    fail('Building the illustrate command failed: see the lines above.');
  }
  console.log(`illustrate: built the command in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const step = process.argv[2];
if (step === 'setup') {
  setup();
} else {
  if (!fs.existsSync(path.join(DIST, 'action.js'))) {
    fail('The illustrate command is not built: the action\'s setup step runs first.');
  }
  process.exitCode = require(path.join(DIST, 'action.js')).runStep(step, process.env);
}
