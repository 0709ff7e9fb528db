/**
 * Contract tests: every answer recorded from the real Gemini API and real gateways
 * (../shared/real-responses) replayed by a loopback server to the client and to the `illustrate`
 * command. Each gives what a user needs: a whole image file, or one clear message and nothing written.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { generateImage } from '../../src/core/api/client';
import { IllustrateError } from '../../src/core/errors';
import { nodeFetch } from '../../src/node/http';
import { interactions, RECORDED, Replay } from '../fake-gemini/replay';
import { cliEnv, files, illustrate, tree } from '../fixtures/cli';

/** `cli`: the command's line where it differs (the command routes models: a 404 is retried under the model's alias first). */
type Expected = { readonly image: 'png' | 'jpeg'; readonly text?: RegExp } | { readonly error: string; readonly message: RegExp; readonly cli?: RegExp };

/** What each recorded answer must give, interaction by interaction. */
const EXPECTED: Readonly<Record<string, readonly Expected[]>> = {
  'gateway-302ai-native-url-part-3pro-preview.json': [{ error: 'malformed', message: /answered with a link to the image \(file\.302\.ai\) instead of the image itself/ }],
  'gateway-apiyi-native-IMAGE_SAFETY-3pro-preview.json': [{ error: 'blocked', message: /flagged by the safety filter \(IMAGE_SAFETY\)\. The model said: "Unable to show the generated image/ }],
  'gateway-dmxapi-native-image-as-text-dataurl-3pro-preview.json': [{ image: 'png' }],
  'gateway-dmxapi-native-image-emptysig-3pro-preview.json': [{ error: 'malformed', message: /^The JPEG image arrived incomplete/ }],
  'gateway-openrouter-openai-images-dataurl-2.5flash.json': [{ error: 'malformed', message: /answered in OpenAI's chat format.*Gemini-native address/ }],
  'gateway-yunwu-openai-markdown-dataurl-3pro-preview.json': [{ error: 'malformed', message: /answered in OpenAI's chat format/ }],
  'google-error-400-api-key-invalid.firebase.txt': [{ error: 'badKey', message: /^The API key was rejected \(HTTP 400\)\. Run "Illustrate: Set API Key"/ }],
  'google-error-404-model-not-found-image-model.chatwise-issue.json': [
    { error: 'modelNotFound', message: /was not found \(HTTP 404\)/, cli: /^The model gemini-3-pro-image is not available at 127\.0\.0\.1:\d+ \(tried gemini-3-pro-image and gemini-3-pro-image-preview\)/ },
  ],
  'google-error-429-quota-retryinfo-2.5flash-preview-image.json': [{ error: 'quota', message: /^This key has no quota for .* \(HTTP 429, limit 0\): Google's free tier does not include image models/ }],
  'google-image-grounding-3pro-preview.pydantic-cassette.yaml': [{ image: 'jpeg' }],
  'google-image-only-3pro-ga.pydantic-cassette.yaml': [{ image: 'jpeg' }],
  'google-image-only-thoughtsig-3.1flash-ga.vercel-redacted.json': [{ error: 'malformed', message: /not valid base64/ }],
  'google-no-image-NO_IMAGE-3.1flash-preview.vercel.json': [{ error: 'blocked', message: /produced no image \(NO_IMAGE\)/ }],
  'google-prompt-blocked-PROHIBITED_CONTENT-3.1flash-preview.vercel.json': [{ error: 'blocked', message: /^The prompt was blocked because it asks for prohibited content \(PROHIBITED_CONTENT\)/ }],
  'google-stream-sse-image-thoughtsig-3pro-preview.vercel-sanitized.chunks.txt': [{ error: 'malformed', message: /incomplete or malformed answer/ }],
  'google-text-image-2.5flash.pydantic-cassette.yaml': [{ image: 'png', text: /axolotl named Pip/ }],
  'google-text-image-thoughtsig-3pro-preview.pydantic-cassette.yaml': [{ image: 'jpeg', text: /axolotl named Archie/ }],
  'google-text-only-answer-then-image-2.5flash.pydantic-cassette.yaml': [
    { error: 'textOnly', message: /^The model answered with text instead of an image: "In a hidden cave/ },
    { image: 'png', text: /Here's an image of an axolotl/ },
  ],
  'vertex-stream-thought-text-3pro-preview.octollm.json': [{ error: 'malformed', message: /not a generateContent response/ }],
};

const recorded = fs.readdirSync(RECORDED).filter((f) => !f.endsWith('.md'));
const options = { model: 'gemini-3-pro-image', aspectRatio: '', imageSize: '', thinkingLevel: 'minimal' as const, includeText: false };

describe('contract: the answers recorded from the real API and gateways', function () {
  this.timeout(60_000);

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
