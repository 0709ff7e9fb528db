/**
 * The offline integration runner: the stand-in API server, a fresh copy of the fixture workspace,
 * code-server with this extension as Extension Development Host, and headless Chromium to open it.
 * The mocha suites in test/integration run inside the real extension host; their output is printed
 * here and the exit code comes back through `codeAutomationExit`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FakeGemini } from '../fake-gemini/server';
import { copyWorkspace, VsCodeHost } from './codeServer';
import { ROOT } from './install';

export interface SuiteResult {
  passed: number;
  failed: number;
  skipped: number;
  ok: boolean;
}

const LINE_MARK = '[illustrate-test] ';

/** The test runner's own lines, out of the workbench's console (which forwards the extension host's). */
export function extensionHostLine(text: string): string | undefined {
  const at = text.indexOf(LINE_MARK);
  return at < 0 ? undefined : text.slice(at + LINE_MARK.length).replace(/\s+$/, '');
}

export function countResults(lines: readonly string[]): { passed: number; failed: number; skipped: number } {
  const text = lines.join('\n');
  const n = (re: RegExp): number => Number(re.exec(text)?.[1] ?? 0);
  return { passed: n(/(\d+) passing/), failed: n(/(\d+) failing/), skipped: n(/(\d+) pending/) };
}

export function readResults(file: string): { passed: number; failed: number; skipped: number } | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as { passed: number; failed: number; skipped: number };
  } catch {
    return undefined;
  }
}

export async function runIntegration(options: { grep?: string; timeoutMs?: number } = {}): Promise<SuiteResult> {
  const fake = new FakeGemini();
  const url = await fake.start();
  const workspace = copyWorkspace(path.join(ROOT, 'test', 'fixtures', 'workspace'));
  const resultsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-results-')), 'results.json');
  const host = new VsCodeHost({
    workspace,
    // Reviews off by default: the suites count the stand-in's requests; the review tests turn them on.
    settings: { 'illustrate.baseUrl': url, 'illustrate.review': 'off' },
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'out', 'test', 'integration', 'index'),
    // Batch jobs are polled every few hundred milliseconds here, not every 30 s.
    env: { ILLUSTRATE_BATCH_POLL_MS: '300', ILLUSTRATE_TEST_RESULTS: resultsFile, ...(options.grep ? { ILLUSTRATE_TEST_GREP: options.grep } : {}) },
  });
  const lines: string[] = [];
  try {
    await host.startServer();
    const exitCode = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The integration tests did not finish within ${(options.timeoutMs ?? 300_000) / 1000} s.`)), options.timeoutMs ?? 300_000);
      host
        .openBrowser(
          (text) => {
            if (process.env.ILLUSTRATE_DEBUG_CONSOLE) { console.log(`RAW ${JSON.stringify(text).slice(0, 300)}`); }
            const line = extensionHostLine(text);
            if (line !== undefined) {
              lines.push(line);
              console.log(line);
            }
          },
          (code) => {
            clearTimeout(timer);
            resolve(code);
          },
        )
        .catch(reject);
    });
    const counts = readResults(resultsFile) ?? countResults(lines);
    return { ...counts, ok: exitCode === 0 && counts.failed === 0 && counts.passed > 0 };
  } catch (e: unknown) {
    console.error(e instanceof Error ? e.message : String(e));
    console.error(host.serverLog.slice(-30).join('\n'));
    const counts = countResults(lines);
    return { ...counts, failed: Math.max(1, counts.failed), ok: false };
  } finally {
    await host.stop();
    await fake.stop();
    fs.rmSync(path.dirname(resultsFile), { recursive: true, force: true });
    fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
  }
}
