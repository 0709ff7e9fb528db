/**
 * Starts the offline VS Code (code-server) and drives it with headless Chromium through
 * playwright-core. Every process started here is killed on stop, on exit, on Ctrl-C and on failure.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, CODE_SERVER_BIN, HOST_DIR } from './install';

const children = new Set<ChildProcess>();

function killGroup(child: ChildProcess): void {
  if (child.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

process.on('exit', () => children.forEach(killGroup));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    children.forEach(killGroup);
    process.exit(130);
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface HostOptions {
  readonly workspace: string;
  /** User settings written before start. */
  readonly settings: Record<string, unknown>;
  /** An extension folder to load as Extension Development Host. */
  readonly extensionDevelopmentPath?: string;
  /** A test runner module, run inside the extension host. */
  readonly extensionTestsPath?: string;
  /** A packaged extension to install before start. */
  readonly vsix?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly colorTheme?: string;
  /** The display language (code-server's `--locale`), e.g. `zh-cn`. */
  readonly locale?: string;
}

export class VsCodeHost {
  private server: ChildProcess | undefined;
  private browser: Browser | undefined;
  page!: Page;
  port = 0;
  readonly dataDir: string;
  readonly extensionsDir: string;
  readonly serverLog: string[] = [];

  constructor(private readonly options: HostOptions) {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-vscode-'));
    this.extensionsDir = path.join(this.dataDir, 'extensions');
  }

  get url(): string {
    const o = this.options;
    const base = `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(o.workspace)}`;
    if (!o.extensionDevelopmentPath) {
      return base;
    }
    const remote = (p: string): string => `vscode-remote://127.0.0.1:${this.port}${p}`;
    const payload: [string, string][] = [['extensionDevelopmentPath', remote(o.extensionDevelopmentPath)]];
    if (o.extensionTestsPath) {
      payload.push(['extensionTestsPath', remote(o.extensionTestsPath)]);
    }
    return `${base}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  }

  private env(): NodeJS.ProcessEnv {
    // code-server keeps its config in $HOME; give it one of its own.
    const home = path.join(HOST_DIR, 'home');
    fs.mkdirSync(home, { recursive: true });
    // Its IPC sockets (vscode-ipc-*.sock) go to XDG_RUNTIME_DIR: inside the data folder, removed on stop, not left in /tmp.
    const runtime = path.join(this.dataDir, 'run');
    fs.mkdirSync(runtime, { recursive: true, mode: 0o700 });
    return { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local', 'share'), XDG_RUNTIME_DIR: runtime, ...this.options.env };
  }

  /**
   * VS Code shows a display language only when a language pack for it is installed, and the
   * Marketplace's packs cannot be downloaded here. A stand-in pack (no translations of VS Code
   * itself, which stays English) registered where VS Code looks for packs switches the display
   * language, so extensions get `vscode.env.language` and their own bundles for it.
   */
  private standInLanguagePack(locale: string): void {
    const translations = path.join(this.dataDir, 'stand-in-language-pack', 'main.i18n.json');
    fs.mkdirSync(path.dirname(translations), { recursive: true });
    fs.writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
    const packs = {
      [locale]: {
        hash: `stand-in-${locale}`,
        extensions: [{ extensionIdentifier: { id: `illustrate-tests.language-pack-${locale}` }, version: '1.0.0' }],
        translations: { vscode: translations },
        label: locale,
      },
    };
    fs.writeFileSync(path.join(this.dataDir, 'languagepacks.json'), JSON.stringify(packs));
  }

  /** Changes user settings while VS Code runs; it picks them up from the file. */
  updateSettings(patch: Record<string, unknown>): void {
    const file = path.join(this.dataDir, 'User', 'settings.json');
    const current = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(file, JSON.stringify({ ...current, ...patch }, null, 2));
  }

  /** Starts code-server and waits until it answers. */
  async startServer(): Promise<void> {
    const userDir = path.join(this.dataDir, 'User');
    fs.mkdirSync(userDir, { recursive: true });
    fs.mkdirSync(this.extensionsDir, { recursive: true });
    fs.writeFileSync(
      path.join(userDir, 'settings.json'),
      JSON.stringify(
        {
          'workbench.startupEditor': 'none',
          'workbench.tips.enabled': false,
          // A walkthrough tab opening on first activation would move the editors the tests drive.
          'workbench.welcomePage.walkthroughs.openOnInstall': false,
          'workbench.enableExperiments': false,
          'workbench.colorTheme': this.options.colorTheme ?? 'Default Dark Modern',
          'telemetry.telemetryLevel': 'off',
          'extensions.autoCheckUpdates': false,
          'extensions.autoUpdate': false,
          'update.mode': 'none',
          'security.workspace.trust.enabled': false,
          'chat.disableAIFeatures': true,
          'git.enabled': false,
          'files.simpleDialog.enable': true,
          'window.commandCenter': false,
          'editor.minimap.enabled': false,
          ...this.options.settings,
        },
        null,
        2,
      ),
    );
    if (this.options.locale && !this.options.locale.startsWith('en')) {
      this.standInLanguagePack(this.options.locale);
    }
    if (this.options.vsix) {
      const r = spawnSync(process.execPath, [CODE_SERVER_BIN, '--user-data-dir', this.dataDir, '--extensions-dir', this.extensionsDir, '--install-extension', this.options.vsix], {
        encoding: 'utf8',
        env: this.env(),
        timeout: 120_000,
      });
      if (r.status !== 0) {
        throw new Error(`Installing ${this.options.vsix} into code-server failed:\n${r.stdout}\n${r.stderr}`);
      }
    }
    this.port = await freePort();
    const args = [
      CODE_SERVER_BIN,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${this.port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      this.dataDir,
      '--extensions-dir',
      this.extensionsDir,
      ...(this.options.locale ? ['--locale', this.options.locale] : []),
      this.options.workspace,
    ];
    const child = spawn(process.execPath, args, { env: this.env(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    child.on('exit', () => children.delete(child));
    this.server = child;
    const collect = (b: Buffer): void => {
      this.serverLog.push(...b.toString('utf8').split('\n').filter(Boolean));
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`code-server exited (${child.exitCode}):\n${this.serverLog.join('\n')}`);
      }
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}/healthz`);
        if (res.ok) {
          return;
        }
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`code-server did not start within 60 s:\n${this.serverLog.join('\n')}`);
  }

  /** Opens the workbench in headless Chromium. */
  async openBrowser(onConsole?: (text: string) => void, onExit?: (code: number) => void): Promise<Page> {
    const { chromium } = await import('playwright-core');
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const context = await this.browser.newContext({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    this.page = page;
    if (onConsole) {
      page.on('console', (m) => onConsole(m.text()));
    }
    if (onExit) {
      await page.exposeFunction('codeAutomationExit', (code: number) => onExit(code));
    }
    await page.goto(this.url, { waitUntil: 'domcontentloaded' });
    return page;
  }

  async stop(): Promise<void> {
    try {
      await this.browser?.close();
    } catch {
      // the browser may already be gone
    }
    this.browser = undefined;
    if (this.server) {
      killGroup(this.server);
      children.delete(this.server);
      this.server = undefined;
    }
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** A fresh copy of a fixture folder, so every run starts from the same files. */
export function copyWorkspace(fixture: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-ws-'));
  const target = path.join(dir, path.basename(fixture));
  fs.cpSync(fixture, target, { recursive: true });
  return target;
}
