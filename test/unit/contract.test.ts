/**
 * Contract tests: every answer recorded from the real Gemini API and real gateways
 * (../shared/real-responses) replayed by a loopback server to the client (to the `illustrate`
 * command: test/cli/contract.test.ts). Each gives what a user needs: a whole image file, or one
 * clear message and nothing written.
 */
import * as assert from 'assert';
import { generateImage } from '../../src/core/api/client';
import { IllustrateError } from '../../src/core/errors';
import { nodeFetch } from '../../src/node/http';
import { interactions, Replay } from '../fake-gemini/replay';
import { EXPECTED, recorded } from '../fixtures/contract';
import { skipWithoutShared } from '../fixtures/shared';

const options = { model: 'gemini-3-pro-image', aspectRatio: '', imageSize: '', thinkingLevel: 'minimal' as const, includeText: false };

describe('contract: the answers recorded from the real API and gateways', function () {
  this.timeout(60_000);
  if (skipWithoutShared('real-responses')) {
    return;
  }

  it('every recorded file has an expected outcome (a new recording needs one)', () => {
    assert.deepStrictEqual(recorded.sort(), Object.keys(EXPECTED).sort());
  });

  for (const file of recorded) {
    it(`the client: ${file}`, async () => {
      const answers = interactions(file);
      const expected = EXPECTED[file];
      assert.strictEqual(answers.length, expected.length, 'one expectation per interaction');
      const replay = new Replay(answers);
      const base = await replay.start();
      try {
        for (const want of expected) {
          let outcome: { format: string; texts: readonly string[]; bytes: number } | IllustrateError;
          try {
            const out = await generateImage({ baseUrl: base, authHeader: 'bearer', apiKey: 'contract-key', timeoutMs: 20_000, maxRetryDelayMs: 100 }, { prompt: 'an axolotl', options }, new AbortController().signal, {
              fetch: nodeFetch,
              sleep: async () => undefined,
            });
            outcome = { format: out.answer.format, texts: out.answer.texts, bytes: out.answer.image.byteLength };
            out.answer.image.release();
          } catch (e: unknown) {
            assert.ok(e instanceof IllustrateError, `one clear message, not ${String(e)}`);
            outcome = e;
          }
          if ('image' in want) {
            assert.ok(!(outcome instanceof IllustrateError), `an image, not: ${outcome instanceof IllustrateError ? outcome.message : ''}`);
            assert.strictEqual(outcome.format, want.image);
            assert.ok(outcome.bytes > 0);
            if (want.text) {
              assert.match(outcome.texts.join(' '), want.text);
            }
          } else {
            assert.ok(outcome instanceof IllustrateError, 'an error');
            assert.strictEqual(outcome.kind, want.error, outcome.message);
            assert.match(outcome.message, want.message);
            assert.ok(!outcome.message.includes('contract-key') && !/[{}]\s*"/.test(outcome.message), `no key, no raw JSON: ${outcome.message}`);
          }
        }
      } finally {
        await replay.stop();
      }
    });
  }
});
