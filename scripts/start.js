#!/usr/bin/env node
// `npm start`: builds the extension and opens it in VS Code on sample-docs/.
// With `code` on PATH: VS Code desktop with this folder as Extension Development Host.
// Otherwise: the offline VS Code of the test host (code-server) at a local URL it prints, with the
// local stand-in API so pictures work without internet (`npm start -- --real-api` to use yours).
// The test host is installed on first use: it says what (Debian packages, code-server) and asks on a
// terminal; `npm start -- --yes` (or ILLUSTRATE_INSTALL=yes, or CI=true) installs without asking.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const SAMPLE = path.join(ROOT, 'sample-docs');
const realApi = process.argv.includes('--real-api');
const forceHost = process.argv.includes('--test-host');

function run(title, args) {
  console.log(`> ${title}`);
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    process.exit(r.status ?? 1);
  }
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

async function main() {
  run('bundle', ['esbuild.js']);
  if (!forceHost && onPath('code')) {
    console.log('> opening VS Code desktop with Illustrate as Extension Development Host');
    spawn('code', [`--extensionDevelopmentPath=${ROOT}`, SAMPLE], { stdio: 'inherit', detached: true }).unref();
    return;
  }
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  run('compile the test host', [tsc, '-p', 'tsconfig.test.json']);
  const { ensureTestHost, HOST_DIR, installPlan, consentToInstall, consentFromArgs } = require(path.join(ROOT, 'out', 'test', 'host', 'install.js'));
  const { VsCodeHost } = require(path.join(ROOT, 'out', 'test', 'host', 'codeServer.js'));
  // Nothing is installed (no apt-get) without a yes: on a terminal it asks, elsewhere it needs --yes.
  if (!(await consentToInstall(installPlan(), consentFromArgs('refuse')))) {
    process.exit(1);
  }
  ensureTestHost();
  const settings = {};
  let fake;
  if (!realApi) {
    const { FakeGemini } = require(path.join(ROOT, 'out', 'test', 'fake-gemini', 'server.js'));
    fake = new FakeGemini();
    settings['illustrate.baseUrl'] = await fake.start();
    fake.validKey = undefined;
  }
  const host = new VsCodeHost({ workspace: SAMPLE, settings, extensionDevelopmentPath: ROOT });
  await host.startServer();
  const stop = async () => {
    await host.stop();
    await fake?.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log('');
  console.log(`Illustrate is running in VS Code (code-server ${fs.existsSync(HOST_DIR) ? 'from .test-host/' : ''}) on sample-docs/.`);
  console.log(`Open this URL in a browser: ${host.url}`);
  if (fake) {
    console.log(`Offline demo: images come from the local stand-in API at ${settings['illustrate.baseUrl']}; any API key works.`);
  }
  console.log('Press Ctrl-C to stop.');
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
