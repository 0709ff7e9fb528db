/**
 * The same integration suites through @vscode/test-electron, for machines that can download
 * VS Code desktop (`npm run test:electron`). Offline, the download fails and this says so.
 */
import { runTests } from '@vscode/test-electron';
import * as path from 'path';
import { FakeGemini } from '../fake-gemini/server';
import { copyWorkspace } from './codeServer';
import * as fs from 'fs';
import * as os from 'os';
import { ROOT } from './install';
import { readResults } from './runIntegration';

export async function runWithElectron(options: { grep?: string } = {}): Promise<{ passed: number; failed: number; skipped: number; ok: boolean }> {
  const fake = new FakeGemini();
  const url = await fake.start();
  const workspace = copyWorkspace(path.join(ROOT, 'test', 'fixtures', 'workspace'));
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-electron-'));
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  const resultsFile = path.join(userData, 'results.json');
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ 'illustrate.baseUrl': url, 'illustrate.review': 'off', 'workbench.startupEditor': 'none' }, null, 2));
  try {
    const code = await runTests({
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(ROOT, 'out', 'test', 'integration', 'index'),
      launchArgs: [workspace, '--user-data-dir', userData, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { ILLUSTRATE_TEST_RESULTS: resultsFile, ...(options.grep ? { ILLUSTRATE_TEST_GREP: options.grep } : {}) },
    });
    const counts = readResults(resultsFile) ?? { passed: 0, failed: 1, skipped: 0 };
    return { ...counts, ok: code === 0 && counts.failed === 0 && counts.passed > 0 };
  } catch (e: unknown) {
    console.error(`@vscode/test-electron could not run VS Code desktop: ${e instanceof Error ? e.message : String(e)}`);
    console.error('It downloads VS Code on first use, which needs internet. Offline, use "npm run test:integration" (code-server).');
    return { passed: 0, failed: 1, skipped: 0, ok: false };
  } finally {
    await fake.stop();
    fs.rmSync(userData, { recursive: true, force: true });
  }
}
