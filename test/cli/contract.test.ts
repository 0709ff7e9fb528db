/**
 * Contract tests: every answer recorded from the real Gemini API and real gateways
 * (../shared/real-responses) replayed by a loopback server to the `illustrate` command. Each gives
 * what a user needs: a whole image file, or one clear message and nothing written.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { interactions, Replay } from '../fake-gemini/replay';
import { cliEnv, files, illustrate, tree } from '../fixtures/cli';
import { EXPECTED, recorded } from '../fixtures/contract';
import { skipWithoutShared } from '../fixtures/shared';

describe('contract: the answers recorded from the real API and gateways', function () {
  this.timeout(60_000);
  if (skipWithoutShared('real-responses')) {
    return;
  }

  describe('the illustrate command, on each answer', () => {
    for (const file of recorded) {
      it(file, async () => {
        const expected = EXPECTED[file];
        const replay = new Replay(interactions(file));
        const base = await replay.start();
        try {
          for (const [i, want] of expected.entries()) {
            const dir = tree({});
            const r = await illustrate(dir, ['generate', 'an axolotl', '-o', `art/axolotl-${i}.png`, '--model', 'gemini-3-pro-image', '--size', '1K'], cliEnv({ ILLUSTRATE_API_KEY: 'contract-key', ILLUSTRATE_BASE_URL: base }));
            assert.ok(!r.stdout.includes('contract-key') && !r.stderr.includes('contract-key'));
            if ('image' in want) {
              assert.strictEqual(r.code, 0, r.stderr);
              const written = files(dir);
              assert.strictEqual(written.length, 1);
              const bytes = fs.readFileSync(path.join(dir, written[0]));
              // -o names a .png: a JPEG answer is converted to the PNG asked for.
              assert.strictEqual(written[0], `art/axolotl-${i}.png`);
              assert.strictEqual(bytes.subarray(1, 4).toString('latin1'), 'PNG');
            } else {
              assert.notStrictEqual(r.code, 0);
              assert.strictEqual(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
              assert.match(r.stderr.replace(/^illustrate: /, ''), want.cli ?? want.message);
              assert.deepStrictEqual(files(dir), [], 'nothing written');
            }
          }
        } finally {
          await replay.stop();
        }
      });
    }
  });
});
