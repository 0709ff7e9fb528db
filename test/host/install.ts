/**
 * The offline VS Code test host: code-server (a full VS Code: workbench and Node extension host)
 * installed from the npm registry into the git-ignored `.test-host/`, with the Debian packages it
 * and the browser need. Installed on first use, reused after. See ../../../shared/TEST-HOST.md.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const CODE_SERVER_VERSION = '4.100.3';
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const HOST_DIR = path.join(ROOT, '.test-host');
export const CODE_SERVER_DIR = path.join(HOST_DIR, `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_BIN = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian packages: code-server's native modules, ripgrep (search), and the browser. */
export const DEBIAN_PACKAGES = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config', 'ripgrep', 'chromium', 'fonts-wqy-microhei', 'build-essential', 'python3'];

function log(line: string): void {
  console.log(`[test-host] ${line}`);
}

/** The Debian packages of DEBIAN_PACKAGES that dpkg does not list as installed. */
export function missingDebianPackages(): string[] {
  return DEBIAN_PACKAGES.filter((name) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

function ensureDebianPackages(): void {
  const missing = missingDebianPackages();
  if (missing.length === 0) {
    return;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`The test host needs these Debian packages: ${missing.join(' ')}\nInstall them with:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

/** @vscode/ripgrep's postinstall downloads rg; it first looks in $TMPDIR for this archive. */
function prepareRipgrepArchive(tmp: string): void {
  const cache = path.join(tmp, 'vscode-ripgrep-cache-1.15.11');
  fs.mkdirSync(cache, { recursive: true });
  const stage = fs.mkdtempSync(path.join(tmp, 'rg-'));
  fs.copyFileSync('/usr/bin/rg', path.join(stage, 'rg'));
  fs.chmodSync(path.join(stage, 'rg'), 0o755);
  for (const name of ['ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz', 'ripgrep-v13.0.0-10-aarch64-unknown-linux-musl.tar.gz']) {
    execFileSync('tar', ['-czf', path.join(cache, name), '-C', stage, 'rg']);
  }
}

export function hostInstalled(): boolean {
  if (!fs.existsSync(path.join(CODE_SERVER_DIR, '.installed')) || !fs.existsSync(CODE_SERVER_BIN)) {
    return false;
  }
  const r = spawnSync(process.execPath, [CODE_SERVER_BIN, '--version'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, HOME: path.join(HOST_DIR, 'home') } });
  return r.status === 0 && r.stdout.includes(CODE_SERVER_VERSION);
}

/** What ensureTestHost would install, in words (empty when everything is there). */
export function installPlan(): string[] {
  const lines: string[] = [];
  const missing = missingDebianPackages();
  if (missing.length > 0) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    lines.push(`Debian packages, with apt-get${isRoot ? ' (as root)' : ' (not root: you would be shown the command to run)'}: ${missing.join(' ')}`);
  }
  if (!hostInstalled()) {
    lines.push(`the offline VS Code: code-server@${CODE_SERVER_VERSION} from the npm registry into ${path.relative(ROOT, CODE_SERVER_DIR)} (about 300 MB, 1-2 minutes)`);
  }
  return lines;
}

export interface Consent {
  /** --yes on the command line, or ILLUSTRATE_INSTALL=yes. */
  readonly yes: boolean;
  /** CI=true: install without asking (CI has no one to ask). */
  readonly ci: boolean;
  /** What to do with no terminal to ask on and neither of the above: `npm test` installs, `npm start` does not. */
  readonly unattended: 'install' | 'refuse';
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
}

/** Says what is about to be installed and whether to: yes only with a flag, in CI, or when the person at the terminal says so. */
export async function consentToInstall(plan: readonly string[], consent: Consent): Promise<boolean> {
  if (plan.length === 0) {
    return true;
  }
  consent.output.write(`The offline VS Code test host needs:\n${plan.map((l) => `  - ${l}\n`).join('')}`);
  if (consent.yes || consent.ci) {
    consent.output.write('Installing (--yes, ILLUSTRATE_INSTALL=yes or CI=true).\n');
    return true;
  }
  if (!consent.input.isTTY) {
    if (consent.unattended === 'install') {
      consent.output.write('Installing (no terminal to ask on).\n');
      return true;
    }
    consent.output.write('Nothing installed: no terminal to ask on. Run again with --yes (or ILLUSTRATE_INSTALL=yes) to install it.\n');
    return false;
  }
  const readline = await import('readline');
  const rl = readline.createInterface({ input: consent.input, output: consent.output });
  const answer = await new Promise<string>((resolve) => {
    rl.question('Install it now? [y/N] ', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  const yes = /^y(es)?$/i.test(answer.trim());
  if (!yes) {
    consent.output.write('Nothing installed. Run again with --yes to install it, or install it yourself (README: The test host).\n');
  }
  return yes;
}

/** The consent of the command line this process was started with. */
export function consentFromArgs(unattended: Consent['unattended']): Consent {
  return {
    yes: process.argv.includes('--yes') || process.env.ILLUSTRATE_INSTALL === 'yes',
    ci: process.env.CI === 'true' || process.env.CI === '1',
    unattended,
    input: process.stdin,
    output: process.stdout,
  };
}

/** Installs what is missing; a no-op (a few dpkg queries) when the cache is there. Callers ask first (consentToInstall). */
export function ensureTestHost(): void {
  ensureDebianPackages();
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}. Install Debian's "chromium" package or set CHROMIUM_PATH.`);
  }
  if (hostInstalled()) {
    log(`reusing code-server ${CODE_SERVER_VERSION} in ${path.relative(ROOT, CODE_SERVER_DIR)}`);
    return;
  }
  log(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(ROOT, CODE_SERVER_DIR)} (first run only, about 2 minutes)`);
  fs.rmSync(CODE_SERVER_DIR, { recursive: true, force: true });
  fs.mkdirSync(CODE_SERVER_DIR, { recursive: true });
  fs.writeFileSync(path.join(CODE_SERVER_DIR, 'package.json'), JSON.stringify({ name: 'illustrate-test-host', private: true }, null, 2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-host-'));
  prepareRipgrepArchive(tmp);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: tmp,
    // code-server's postinstall runs a nested npm install and node-gyp; as root and without a terminal.
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  if (fs.existsSync('/usr/include/node/node.h') && !env.npm_config_nodedir) {
    env.npm_config_nodedir = '/usr'; // node-gyp builds against the installed headers: nothing is downloaded
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], { cwd: CODE_SERVER_DIR, env, stdio: 'inherit' });
  fs.rmSync(tmp, { recursive: true, force: true });
  if (r.status !== 0) {
    throw new Error(`Installing code-server failed (exit ${r.status}). See the npm output above.`);
  }
  fs.writeFileSync(path.join(CODE_SERVER_DIR, '.installed'), `${CODE_SERVER_VERSION}\n`);
  if (!hostInstalled()) {
    throw new Error('code-server was installed but does not start. See the output above.');
  }
  log('code-server installed');
}

if (require.main === module) {
  void (async () => {
    try {
      if (!(await consentToInstall(installPlan(), consentFromArgs('install')))) {
        process.exit(1);
      }
      ensureTestHost();
    } catch (e: unknown) {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    }
  })();
}
