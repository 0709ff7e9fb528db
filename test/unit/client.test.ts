import * as assert from 'assert';
import { generateImage, ClientConfig, ProgressEvent } from '../../src/core/api/client';
import { IllustrateError } from '../../src/core/errors';
import { pixelSize } from '../../src/core/images/imageFormat';
import { GenerationOptions } from '../../src/core/api/models';
import { ImageRequest } from '../../src/core/api/request';
import { nodeFetch } from '../../src/node/http';
import { FAKE_KEY, FakeGemini, Mode } from '../fake-gemini/server';

const OPTIONS: GenerationOptions = { model: 'gemini-3.1-flash-image', aspectRatio: '16:9', imageSize: '1K', thinkingLevel: 'minimal', includeText: false };

describe('client, through the stand-in API server', function () {
  this.timeout(20_000);
  const fake = new FakeGemini();
  let baseUrl = '';

  before(async () => {
    baseUrl = await fake.start();
  });
  after(() => fake.stop());
  beforeEach(() => fake.reset());

  function config(extra: Partial<ClientConfig> = {}): ClientConfig {
    return { baseUrl, authHeader: 'auto', apiKey: FAKE_KEY, timeoutMs: 10_000, ...extra };
  }

  async function run(request: Partial<ImageRequest> = {}, cfg: Partial<ClientConfig> = {}, signal = new AbortController().signal, events: ProgressEvent[] = []) {
    return generateImage(config(cfg), { prompt: 'a lighthouse at dusk', options: OPTIONS, ...request }, signal, {
      fetch: nodeFetch,
      onProgress: (e) => events.push(e),
      // Retries wait for real, but briefly: the delays are what the server asked for or backoff/20.
      sleep: (ms, s) => new Promise((resolve, reject) => {
        const t = setTimeout(resolve, Math.min(ms, 300));
        s.addEventListener('abort', () => {
          clearTimeout(t);
          reject(new IllustrateError('cancelled', 'Image generation was cancelled. Nothing was saved.'));
        });
      }),
    });
  }

  async function failure(mode: Mode | Mode[], cfg: Partial<ClientConfig> = {}, request: Partial<ImageRequest> = {}): Promise<IllustrateError> {
    fake.script(...(Array.isArray(mode) ? mode : [mode]));
    try {
      await run(request, cfg);
    } catch (e: unknown) {
      assert.ok(e instanceof IllustrateError, `expected an IllustrateError, got ${String(e)}`);
      assert.ok(!e.message.includes(FAKE_KEY), 'the key must never be in a message');
      assert.ok(!/[<>{}]/.test(e.message), `no markup or JSON in: ${e.message}`);
      return e;
    }
    assert.fail(`expected ${String(mode)} to fail`);
  }

  it('answers the image of the documented pixel size, format from the bytes', async () => {
    const out = await run();
    const bytes = Buffer.concat(out.answer.image.chunks);
    assert.strictEqual(out.answer.format, 'png');
    assert.deepStrictEqual(pixelSize(bytes), { width: 1376, height: 768 });
    assert.strictEqual(out.attempts, 1);
    assert.strictEqual(out.answer.usage.outputTokens, 1120);
  });

  it('sends the body as GEMINI-API.md shows, with Bearer auth for a non-Google host', async () => {
    await run();
    const [req] = fake.requests;
    assert.strictEqual(req.auth, 'bearer');
    assert.strictEqual(req.model, 'gemini-3.1-flash-image');
    assert.deepStrictEqual(req.body, {
      contents: [{ role: 'user', parts: [{ text: 'a lighthouse at dusk' }] }],
      generationConfig: {
        responseModalities: ['IMAGE'],
        imageConfig: { aspectRatio: '16:9', imageSize: '1K' },
        thinkingConfig: { thinkingLevel: 'minimal', includeThoughts: false },
      },
    });
  });

  it('sends x-goog-api-key when the setting says so', async () => {
    await run({}, { authHeader: 'x-goog-api-key' });
    assert.strictEqual(fake.requests[0].auth, 'x-goog-api-key');
    assert.ok(fake.requests[0].keyMatched);
  });

  it('never sends imageSize to gemini-2.5-flash-image (the server would answer 400)', async () => {
    fake.profile = 'allGateway'; // a gateway that still serves it
    const out = await run({ options: { ...OPTIONS, model: 'gemini-2.5-flash-image', imageSize: '2K' } });
    assert.strictEqual(out.answer.format, 'png');
    const body = fake.requests[0].body as { generationConfig: Record<string, unknown> };
    assert.deepStrictEqual(body.generationConfig.imageConfig, { aspectRatio: '16:9' });
    assert.strictEqual(body.generationConfig.thinkingConfig, undefined);
  });

  it('sends an unknown model id as written, with the options unchecked', async () => {
    const out = await run({ options: { ...OPTIONS, model: 'gemini-4-image-experimental', aspectRatio: '8:1', imageSize: '2K' } });
    assert.deepStrictEqual(pixelSize(Buffer.concat(out.answer.image.chunks)), { width: 6144, height: 768 });
    assert.strictEqual(fake.requests[0].model, 'gemini-4-image-experimental');
  });

  it('uses the magic number, not the label: JPEG bytes labelled image/png', async () => {
    fake.script('jpegAsPng');
    const out = await run();
    assert.strictEqual(out.answer.mimeLabel, 'image/png');
    assert.strictEqual(out.answer.format, 'jpeg');
    assert.deepStrictEqual(pixelSize(Buffer.concat(out.answer.image.chunks)), { width: 1376, height: 768 });
  });

  it('skips thought text and thought images; keeps the model text', async () => {
    fake.script('thoughts');
    const out = await run({ options: { ...OPTIONS, includeText: true } });
    assert.deepStrictEqual(pixelSize(Buffer.concat(out.answer.image.chunks)), { width: 1376, height: 768 });
    assert.strictEqual(out.answer.thoughts.length, 1);
    assert.match(out.answer.thoughts[0], /Composing the scene/);
    assert.deepStrictEqual(out.answer.texts, ['Here is the image you asked for: "café — 🍌".']);
  });

  it('falls back to the last image when even the final one is marked as thought', async () => {
    fake.script('finalMarkedThought');
    const out = await run();
    assert.deepStrictEqual(pixelSize(Buffer.concat(out.answer.image.chunks)), { width: 1376, height: 768 });
  });

  it('keeps the thought signature of the final image for the edit loop, and the server accepts it back', async () => {
    const first = await run();
    const finalPart = first.answer.modelParts.find((p) => p.isFinalImage);
    assert.ok(finalPart?.thoughtSignature, 'the final image part carries a signature');
    const data = Buffer.concat(first.answer.image.chunks);
    const second = await run({
      prompt: 'make the sky red',
      history: { prompt: 'a lighthouse at dusk', modelParts: [{ image: { mimeType: 'image/png', data }, thoughtSignature: finalPart.thoughtSignature }] },
    });
    assert.strictEqual(second.answer.format, 'png');
    // Without the signature the service refuses, as the real one does.
    const e = await failure('ok', {}, { prompt: 'make it blue', history: { prompt: 'x', modelParts: [{ image: { mimeType: 'image/png', data } }] } });
    assert.strictEqual(e.kind, 'invalidArgument');
    assert.match(e.message, /thought_signature/);
  });

  it('bad key (400 API_KEY_INVALID) says to set the key again', async () => {
    const e = await failure('ok', { apiKey: 'sk-wrong-key-123456' });
    assert.strictEqual(e.kind, 'badKey');
    assert.match(e.message, /Set API Key/);
    assert.ok(!e.message.includes('sk-wrong-key-123456'));
    assert.strictEqual(fake.requests.length, 1, 'a bad key is not retried');
  });

  it("a gateway's OpenAI-style 401 is a bad key too", async () => {
    const e = await failure('badKeyGateway');
    assert.strictEqual(e.kind, 'badKey');
  });

  it('403 PERMISSION_DENIED is its own message', async () => {
    const e = await failure('permission');
    assert.strictEqual(e.kind, 'permission');
    assert.match(e.message, /leaked|another API key|permission/i);
  });

  it('429 with a short RetryInfo waits and succeeds, showing the wait', async () => {
    const events: ProgressEvent[] = [];
    fake.script({ mode: 'quota', arg: 0.25 }, 'ok');
    const out = await run({}, {}, undefined, events);
    assert.strictEqual(out.attempts, 2);
    assert.ok(events.some((e) => e.kind === 'waiting' && e.reason === 'rateLimited' && e.seconds === 1));
  });

  it('429 asking for more than 60 s stops with the quota message', async () => {
    const e = await failure('quotaLong');
    assert.strictEqual(e.kind, 'quota');
    assert.match(e.message, /75 s/);
    assert.strictEqual(fake.requests.length, 1);
  });

  it('a daily quota is not retried', async () => {
    const e = await failure('dailyQuota');
    assert.strictEqual(e.kind, 'quota');
    assert.match(e.message, /daily|tomorrow|day/i);
    assert.strictEqual(fake.requests.length, 1);
  });

  it('503 then success retries with backoff', async () => {
    fake.script('overloaded', 'ok');
    const out = await run();
    assert.strictEqual(out.attempts, 2);
  });

  it('overloaded three times stops after 3 attempts with the overloaded message', async () => {
    const e = await failure(['overloaded', 'internal', 'deadline']);
    assert.ok(['overloaded', 'server'].includes(e.kind));
    assert.strictEqual(fake.requests.length, 3);
    assert.match(e.message, /try again/i);
  });

  it('404 model not found suggests the GA ids', async () => {
    const e = await failure('ok', {}, { options: { ...OPTIONS, model: 'gemini-9-banana' } });
    assert.strictEqual(e.kind, 'modelNotFound');
    assert.match(e.message, /gemini-3\.1-flash-image/);
    assert.match(e.message, /gemini-3-pro-image/);
  });

  it("400 INVALID_ARGUMENT passes on Google's message", async () => {
    const e = await failure('ok', {}, { options: { ...OPTIONS, model: 'gemini-4-image-experimental', imageSize: '1k' } });
    assert.strictEqual(e.kind, 'invalidArgument');
    assert.match(e.message, /Invalid image size "1k"/);
  });

  it('400 FAILED_PRECONDITION explains the region or billing', async () => {
    const e = await failure('precondition');
    assert.strictEqual(e.kind, 'precondition');
    assert.match(e.message, /billing/);
  });

  it('blocked with null parts carries the finish reason and message', async () => {
    const e = await failure('blocked');
    assert.strictEqual(e.kind, 'blocked');
    assert.match(e.message, /safety/i);
    assert.match(e.message, /Prohibited Use policy/);
  });

  it('a blocked prompt (promptFeedback) says so', async () => {
    const e = await failure('promptBlocked');
    assert.strictEqual(e.kind, 'blocked');
    assert.match(e.message, /prohibited content/i);
  });

  it("a text-only refusal shows the model's text", async () => {
    const e = await failure('refusal');
    assert.strictEqual(e.kind, 'textOnly');
    assert.match(e.message, /unable to help with that request/);
  });

  it('an HTML 502 from a proxy gives a clean message', async () => {
    const e = await failure(['html502', 'html502', 'html502']);
    assert.strictEqual(e.kind, 'server');
    assert.match(e.message, /502/);
    assert.ok(!/nginx|<html/i.test(e.message));
  });

  it('an HTML page with 200 is a malformed answer about the base URL', async () => {
    const e = await failure('htmlOk');
    assert.strictEqual(e.kind, 'malformed');
    assert.match(e.message, /illustrate\.baseUrl/);
  });

  it('a malformed JSON answer is reported as such', async () => {
    const e = await failure('malformed');
    assert.strictEqual(e.kind, 'malformed');
  });

  it('a truncated body is an error, not a broken image', async () => {
    const e = await failure(['truncated', 'truncated', 'truncated']);
    assert.ok(['malformed', 'network'].includes(e.kind), e.kind);
  });

  it('a connection reset is retried, then succeeds', async () => {
    fake.script('reset', 'ok');
    const out = await run();
    assert.strictEqual(out.attempts, 2);
  });

  it('a server that is not there is "network unreachable"', async () => {
    const e = await failure('ok', { baseUrl: 'http://127.0.0.1:9' });
    assert.strictEqual(e.kind, 'network');
    assert.match(e.message, /127\.0\.0\.1:9/);
  });

  it('times out with its own message', async () => {
    const e = await failure({ mode: 'slow', arg: 3000 } as never, { timeoutMs: 300 });
    assert.strictEqual(e.kind, 'timeout');
    assert.match(e.message, /requestTimeoutSeconds/);
  });

  it('cancel aborts the request at once, mid-request', async () => {
    fake.script({ mode: 'slow', arg: 5000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    await assert.rejects(run({}, {}, controller.signal), (e: unknown) => e instanceof IllustrateError && e.kind === 'cancelled');
    assert.ok(Date.now() - started < 1500, 'cancel does not wait for the server');
  });

  it('cancel works during a retry wait', async () => {
    fake.script({ mode: 'quota', arg: 30 }, 'ok');
    const controller = new AbortController();
    const events: ProgressEvent[] = [];
    const p = generateImage(config(), { prompt: 'x', options: OPTIONS }, controller.signal, {
      fetch: nodeFetch,
      onProgress: (e) => {
        events.push(e);
        if (e.kind === 'waiting') {
          setTimeout(() => controller.abort(), 50);
        }
      },
    });
    await assert.rejects(p, (e: unknown) => e instanceof IllustrateError && e.kind === 'cancelled');
    assert.ok(events.some((e) => e.kind === 'waiting' && e.seconds === 30));
    assert.strictEqual(fake.requests.length, 1);
  });

  it('reads a body that arrives slowly in pieces', async () => {
    fake.script({ mode: 'slowBody', arg: 400 });
    const out = await run({ options: { ...OPTIONS, includeText: true } });
    assert.deepStrictEqual(pixelSize(Buffer.concat(out.answer.image.chunks)), { width: 1376, height: 768 });
    assert.strictEqual(out.answer.texts.length, 1);
  });
});
