import * as assert from 'assert';
import { ClientConfig, generateImage, HttpFetch, MAX_ANSWER_BYTES } from '../../src/core/api/client';
import { IllustrateError } from '../../src/core/errors';
import { pixelSize } from '../../src/core/images/imageFormat';
import { GenerationOptions } from '../../src/core/api/models';
import { nodeFetch } from '../../src/node/http';
import { FAKE_KEY, FakeGemini, Mode, Step } from '../fake-gemini/server';

const OPTIONS: GenerationOptions = { model: 'gemini-3.1-flash-image', aspectRatio: '16:9', imageSize: '1K', thinkingLevel: 'minimal', includeText: false };

describe('client against hostile or broken servers', function () {
  this.timeout(30_000);
  const fake = new FakeGemini();
  // A second server: where a redirect points. It must never hear from the client.
  const elsewhere = new FakeGemini();
  let baseUrl = '';

  before(async () => {
    baseUrl = await fake.start();
    await elsewhere.start();
  });
  after(async () => {
    await fake.stop();
    await elsewhere.stop();
  });
  beforeEach(() => {
    fake.reset();
    elsewhere.reset();
  });

  async function run(cfg: Partial<ClientConfig> = {}, fetch: HttpFetch = nodeFetch) {
    return generateImage(
      { baseUrl, authHeader: 'auto', apiKey: FAKE_KEY, timeoutMs: 20_000, ...cfg },
      { prompt: 'a lighthouse at dusk', options: OPTIONS },
      new AbortController().signal,
      { fetch, sleep: () => Promise.resolve() },
    );
  }

  async function failure(steps: (Mode | Step)[], cfg: Partial<ClientConfig> = {}, fetch?: HttpFetch): Promise<IllustrateError> {
    fake.script(...steps);
    try {
      await run(cfg, fetch);
    } catch (e: unknown) {
      assert.ok(e instanceof IllustrateError, `expected an IllustrateError, got ${String(e)}`);
      assert.ok(!e.message.includes(FAKE_KEY), 'the key is never in a message');
      assert.ok(!/[<>{}]/.test(e.message), `no markup or JSON in: ${e.message}`);
      return e;
    }
    assert.fail('expected a failure');
  }

  describe('redirects are never followed', () => {
    for (const [status, auth] of [
      [307, 'x-goog-api-key'],
      [308, 'bearer'],
      [301, 'x-goog-api-key'],
      [302, 'bearer'],
    ] as const) {
      it(`${status} to another server (${auth} auth): nothing is re-sent, the message names where it pointed`, async () => {
        fake.redirectTo = `${elsewhere.url.replace('127.0.0.1', 'localhost')}/v1beta/models/gemini-3.1-flash-image:generateContent`;
        const e = await failure([{ mode: 'redirect', arg: status }], { authHeader: auth });
        assert.strictEqual(e.kind, 'redirect');
        assert.match(e.message, new RegExp(`HTTP ${status}\\) to localhost:\\d+`));
        assert.match(e.message, /illustrate\.baseUrl/);
        assert.strictEqual(elsewhere.requests.length, 0, 'the other server received nothing: no key, no prompt');
        assert.strictEqual(fake.requests.length, 1, 'a redirect is not retried');
      });
    }
  });

  describe('plain http', () => {
    it('refuses an http:// base URL that is not this machine, before sending anything', async () => {
      let called = 0;
      const counting: HttpFetch = (url, init) => {
        called++;
        return nodeFetch(url, init);
      };
      for (const url of ['http://api.apiyi.com', 'http://10.0.0.5:8080', 'http://127.0.0.1.example.com']) {
        const e = await failure([], { baseUrl: url }, counting);
        assert.strictEqual(e.kind, 'options');
        assert.match(e.message, /unencrypted/);
      }
      assert.strictEqual(called, 0, 'no request was made');
    });

    it('allows http on loopback (local proxies, tests)', async () => {
      const out = await run({ baseUrl: baseUrl.replace('127.0.0.1', 'localhost') });
      assert.strictEqual(out.answer.format, 'png');
    });
  });

  describe('size caps', () => {
    it(`a gzip bomb stops at ${MAX_ANSWER_BYTES / 1048576} MB after decompression with a clear message`, async () => {
      const e = await failure([{ mode: 'gzipBomb', arg: 100 * 1024 * 1024 }]);
      assert.strictEqual(e.kind, 'tooLarge');
      assert.match(e.message, /larger than 64 MB/);
      assert.strictEqual(fake.requests.length, 1, 'not retried');
    });

    it('an oversized answer is cut off while streaming: the connection is closed, not read to the end', async () => {
      const e = await failure([{ mode: 'oversized', arg: 200 * 1024 * 1024 }], { maxAnswerBytes: 4 * 1024 * 1024 });
      assert.strictEqual(e.kind, 'tooLarge');
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(fake.lastStreamed.closedEarly, 'the server saw the connection close');
      assert.ok(fake.lastStreamed.written < 64 * 1024 * 1024, `only part was sent: ${fake.lastStreamed.written}`);
    });

    it('a huge error page is read only up to its cap, then the connection is closed', async () => {
      const e = await failure([{ mode: 'hugeError', arg: 200 * 1024 * 1024 }, { mode: 'hugeError', arg: 200 * 1024 * 1024 }, { mode: 'hugeError', arg: 200 * 1024 * 1024 }]);
      assert.strictEqual(e.kind, 'server');
      assert.match(e.message, /HTTP 500/);
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(fake.lastStreamed.closedEarly, 'the server saw the connection close');
      assert.ok(fake.lastStreamed.written < 32 * 1024 * 1024, `only part was sent: ${fake.lastStreamed.written}`);
    });
    it('a body that never ends after a whole answer: the image is saved, and the connection is cut off within seconds', async () => {
      fake.script('trailingForever');
      const out = await run();
      assert.deepStrictEqual(pixelSize(Buffer.concat(out.answer.image.chunks)), { width: 1376, height: 768 });
      assert.strictEqual(fake.abandoned, 0, 'the answer is used before the body ends');
      for (let waited = 0; fake.abandoned === 0 && waited < 15_000; waited += 100) {
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.strictEqual(fake.abandoned, 1, 'the server saw the connection close: nothing is left reading for ever');
    });
  });

  describe('the answer must be the image it claims to be', () => {
    it('accepts a data:image/…;base64, prefix some gateways send', async () => {
      fake.script('dataUrl');
      const out = await run();
      assert.deepStrictEqual(pixelSize(Buffer.concat(out.answer.image.chunks)), { width: 1376, height: 768 });
    });

    it('two padded base64 pieces joined are invalid, not a 31-byte PNG', async () => {
      const e = await failure(['joinedPadding']);
      assert.strictEqual(e.kind, 'malformed');
      assert.match(e.message, /not valid base64/);
    });

    it('stray characters inside the base64 are invalid', async () => {
      const e = await failure(['strayBase64']);
      assert.strictEqual(e.kind, 'malformed');
      assert.match(e.message, /not valid base64/);
    });

    it('a PNG without its IEND chunk arrived incomplete', async () => {
      const e = await failure(['noIend']);
      assert.strictEqual(e.kind, 'malformed');
      assert.match(e.message, /PNG image arrived incomplete/);
    });

    it('an image echoed at the top level does not count: the blocked candidate wins', async () => {
      const e = await failure(['echoedImage']);
      assert.strictEqual(e.kind, 'blocked');
      assert.match(e.message, /IMAGE_SAFETY/);
    });

    it('a candidate that says IMAGE_SAFETY is blocked even if it carries an image', async () => {
      const e = await failure(['blockedWithImage']);
      assert.strictEqual(e.kind, 'blocked');
    });
  });

  describe('bugs are not network failures', () => {
    it('an unexpected exception is not retried and not shown as "Could not reach"', async () => {
      let calls = 0;
      const broken: HttpFetch = () => {
        calls++;
        throw new TypeError("Cannot read properties of undefined (reading 'x')");
      };
      const e = await failure([], {}, broken);
      assert.strictEqual(e.kind, 'unexpected');
      assert.strictEqual(calls, 1);
      assert.match(e.message, /unexpected error — see the Illustrate output/);
      assert.ok(!/reach/.test(e.message));
      assert.ok(e.bug instanceof TypeError, 'the bug is kept for the log');
    });
  });
});
