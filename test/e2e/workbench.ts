/** Driving the real VS Code UI (code-server in headless Chromium) as a user would. */
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { FAKE_KEY, FakeGemini } from '../fake-gemini/server';
import { copyWorkspace, VsCodeHost } from '../host/codeServer';
import { ROOT } from '../host/install';

export const RESULTS = path.join(ROOT, 'test-results');

export class Workbench {
  constructor(readonly page: Page) {}

  async ready(): Promise<void> {
    await this.page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
    await this.page.waitForSelector('.explorer-folders-view, .monaco-workbench .part.sidebar', { timeout: 60_000 });
    // Let the extension host finish starting.
    await this.page.waitForTimeout(1500);
  }

  /**
   * Command palette → a command by its title → Enter. Right after start the extension's commands
   * may not be known yet, so the palette is asked again until they are (up to 60 s).
   */
  async command(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first();
    const end = Date.now() + 60_000;
    for (;;) {
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${title}`);
      try {
        await row.waitFor({ state: 'visible', timeout: 3000 });
        break;
      } catch (e: unknown) {
        if (Date.now() > end) {
          await this.screenshot('failed-command');
          throw e;
        }
        await this.page.keyboard.press('Escape');
        await this.page.waitForTimeout(1000);
      }
    }
    await this.page.waitForTimeout(200);
    // Click the row with this exact title: the palette's first (focused) row may be another command.
    await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { has: this.page.getByText(title, { exact: true }) }).first().click();
  }

  /** Types into the open quick input (an input box or a quick pick) and presses Enter. */
  async answer(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(text);
    await this.page.waitForTimeout(200);
    await input.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** In an open quick pick: filters by `text`, waits for a row with it, Enter. */
  async pick(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(text);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { has: this.page.getByText(text, { exact: true }) }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /** Clicks an open editor's tab. */
  async focusTab(name: string): Promise<void> {
    await this.page.locator('.tabs-container .tab', { hasText: name }).first().click();
    await this.page.waitForTimeout(300);
  }

  /** Quick Open → file name → Enter, then waits for its editor tab. */
  async open(relPath: string): Promise<void> {
    await this.command('Go to File...');
    await this.answerPick(relPath, path.basename(relPath));
    await this.page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: path.basename(relPath) }).waitFor({ timeout: 15_000 });
    await this.page.locator('.editor-group-container.active .monaco-editor textarea').focus();
  }

  private async answerPick(text: string, expect: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(text);
    await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: expect }).first().waitFor({ timeout: 15_000 });
    await input.press('Enter');
  }

  async keys(...keys: string[]): Promise<void> {
    for (const k of keys) {
      await this.page.keyboard.press(k);
    }
  }

  /** Ctrl+S, then waits until the active tab has no unsaved changes. (VS Code in a browser also auto-saves after a delay.) */
  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
  }

  /** Waits until no Illustrate progress notification is showing. */
  async progressDone(timeout = 60_000): Promise<void> {
    const progress = this.page.locator('.notification-toast', { hasText: 'Illustrate: generating image' });
    await progress.waitFor({ state: 'detached', timeout });
  }

  async notificationText(hasText: string | RegExp, timeout = 30_000): Promise<string> {
    const toast = this.page.locator('.notification-toast', { hasText }).first();
    await toast.waitFor({ timeout });
    return (await toast.innerText()).trim();
  }

  /** The Image Studio's content (the one webview open): its webview's outer frame, then its active inner frame. */
  studio(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  /** Illustrate: Open Image Studio, then `text` typed into its prompt field once it is there; returns that field. */
  async openStudio(text: string): Promise<Locator> {
    await this.command('Illustrate: Open Image Studio');
    // The prompt field is named "Prompt" for screen readers (its web component names it once upgraded).
    const prompt = this.studio().locator('#prompt textarea[aria-label="Prompt"]');
    await prompt.waitFor({ timeout: 30_000 });
    await prompt.fill(text);
    return prompt;
  }

  /** The markdown preview's content (the last webview opened, then its active inner frame). */
  preview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready >> nth=-1').frameLocator('iframe#active-frame');
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(RESULTS, { recursive: true });
    const file = path.join(RESULTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** A screenshot into test-results/, and into media/ as `media` when ILLUSTRATE_UPDATE_SCREENSHOTS is set (the README's pictures). */
  async readmeScreenshot(name: string, media: string): Promise<string> {
    const shot = await this.screenshot(name);
    if (process.env.ILLUSTRATE_UPDATE_SCREENSHOTS) {
      fs.copyFileSync(shot, path.join(ROOT, 'media', media));
    }
    return shot;
  }
}

/** Polls a file on disk until it holds `expected`; returns what it holds at the end. */
export async function waitForText(file: string, expected: string, timeout = 10_000): Promise<string> {
  const end = Date.now() + timeout;
  let text = '';
  while (Date.now() < end) {
    text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (text === expected) {
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return text;
}

export async function waitForFile(file: string, timeout = 60_000): Promise<Buffer> {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    // VS Code creates the file, then writes its bytes: wait until the image is whole.
    const bytes = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    if (bytes && isWholeImage(bytes)) {
      return bytes;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${file} was not written within ${timeout / 1000} s`);
}

/** What an <img> in a webview shows: whether it finished loading, and its decoded width (0 if it failed). */
export interface ImageState {
  readonly complete: boolean;
  readonly naturalWidth: number;
}

/**
 * Waits until an <img> has loaded (its pixels decoded), as a user would wait to see it: a webview
 * fetches its resources through a service worker after the element is in the page, so the element
 * appears before its picture. Returns the last state seen, loaded or not.
 */
export async function waitForImage(img: Locator, timeout = 30_000): Promise<ImageState> {
  const end = Date.now() + timeout;
  let state: ImageState = { complete: false, naturalWidth: 0 };
  while (Date.now() < end) {
    state = await img.evaluate((el: { complete: boolean; naturalWidth: number }) => ({ complete: el.complete, naturalWidth: el.naturalWidth }));
    if (state.complete && state.naturalWidth > 0) {
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return state;
}

/** A PNG that ends with its IEND chunk, or a JPEG that ends with its EOI marker. */
function isWholeImage(b: Buffer): boolean {
  const png = b.length > 12 && b[0] === 0x89 && b.subarray(-8, -4).toString('latin1') === 'IEND';
  const jpeg = b.length > 4 && b[0] === 0xff && b[1] === 0xd8 && b[b.length - 2] === 0xff && b[b.length - 1] === 0xd9;
  return png || jpeg;
}

/** The packaged extension that `npm run package` made. */
export function vsixPath(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const file = path.join(ROOT, `illustrate-${pkg.version}.vsix`);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: npm run package makes it (npm run test:e2e does).`);
  }
  return file;
}

/** One e2e run: the stand-in API, a fresh workspace with `docs` in e2e/, the .vsix in code-server, a browser. */
export class E2ESession {
  readonly fake = new FakeGemini();
  host: VsCodeHost | undefined;
  wb!: Workbench;
  workspace = '';

  async start(docs: Record<string, string>, settings: Record<string, unknown> = {}, locale?: string): Promise<void> {
    const url = await this.fake.start();
    this.workspace = copyWorkspace(path.join(ROOT, 'test', 'fixtures', 'workspace'));
    fs.mkdirSync(path.join(this.workspace, 'e2e'), { recursive: true });
    for (const [name, text] of Object.entries(docs)) {
      fs.mkdirSync(path.dirname(path.join(this.workspace, 'e2e', name)), { recursive: true });
      fs.writeFileSync(path.join(this.workspace, 'e2e', name), text);
    }
    this.host = new VsCodeHost({
      workspace: this.workspace,
      // Reviews off unless a suite asks for them: the suites count the stand-in's requests.
      settings: { 'illustrate.baseUrl': url, 'illustrate.review': 'off', ...settings },
      vsix: vsixPath(),
      // Batch jobs are polled every second here, not every 30 s.
      env: { ILLUSTRATE_BATCH_POLL_MS: '1000' },
      locale,
    });
    await this.host.startServer();
    this.wb = new Workbench(await this.host.openBrowser());
    await this.wb.ready();
  }

  /** A screenshot of the moment a test failed, into test-results/. */
  async afterTest(test: { state?: string; title: string } | undefined): Promise<void> {
    if (test?.state === 'failed' && this.wb) {
      await this.wb.screenshot(`failed-${test.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`);
    }
  }

  /** Stores the stand-in's key through the real Set API Key command. */
  async setKey(): Promise<void> {
    await this.wb.command('Illustrate: Set API Key');
    await this.wb.answer(FAKE_KEY);
  }

  /** The suite's hooks: a screenshot of each failed test, and everything stopped at the end. */
  hooks(): void {
    const afterTest = (test: Mocha.Test | undefined): Promise<void> => this.afterTest(test);
    afterEach(function () {
      return afterTest(this.currentTest);
    });
    after(() => this.stop());
  }

  async stop(): Promise<void> {
    await this.host?.stop();
    await this.fake.stop();
    if (this.workspace) {
      fs.rmSync(path.dirname(this.workspace), { recursive: true, force: true });
    }
  }
}
