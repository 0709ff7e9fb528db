/**
 * The test runner VS Code calls inside the extension host (`extensionTestsPath`), for both the
 * offline code-server runner and @vscode/test-electron. It runs every `*.test.js` here with mocha.
 */
import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';
import { format } from 'util';

/** Marks the runner's lines: the outer runner picks them out of the workbench's console. */
export const LINE_MARK = '[illustrate-test] ';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec', grep: process.env.ILLUSTRATE_TEST_GREP });
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  // Mocha logs through console.log with format strings; format here so each line arrives whole.
  const original = console.log;
  const log = (...args: unknown[]): void => {
    for (const line of format(...args).split('\n')) {
      original(`${LINE_MARK}${line}`);
    }
  };
  console.log = log;
  // The reporters keep their own reference to console.log, taken when mocha was loaded.
  (Mocha.reporters.Base as unknown as { consoleLog: typeof log }).consoleLog = log;
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      console.log = original;
      const resultsFile = process.env.ILLUSTRATE_TEST_RESULTS;
      if (resultsFile) {
        const { passes, failures: failed, pending } = runner.stats ?? { passes: 0, failures, pending: 0 };
        fs.writeFileSync(resultsFile, JSON.stringify({ passed: passes, failed, skipped: pending }));
      }
      // A line the outer runner reads for its summary.
      console.log(`${LINE_MARK}[integration] ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) {
        reject(new Error(`${failures} integration test(s) failed.`));
      } else {
        resolve();
      }
    });
  });
}
