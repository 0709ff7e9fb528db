/**
 * core/api/generator.ts called directly, as src/cli/run.ts builds it (a key source, a log, the
 * style-reference loader, the image codec), against the stand-in API server over real HTTP on
 * 127.0.0.1: the request it sends, the image it gives back (size, cost, the provenance written in
 * it), the conversion the caller asks for, its errors, cancellation and progress.
 */
import * as assert from 'assert';
import * as path from 'path';
import { ProgressEvent } from '../../../src/core/api/client';
import { GenerateInput, GenerationLog, Generator, KeySource, weightNote } from '../../../src/core/api/generator';
import { ModelMemory } from '../../../src/core/api/modelRoute';
import { ReferenceImage } from '../../../src/core/api/request';
import { formatBytes } from '../../../src/core/display';
import { IllustrateError } from '../../../src/core/errors';
import { pixelSize, sniffFormat } from '../../../src/core/images/imageFormat';
import { fingerprint, readProvenance } from '../../../src/core/images/metadata';
import { optionsFromSettings, Settings, settingsFrom } from '../../../src/core/settings';
import { VERSION } from '../../../src/core/version';
import { WorkerCodec } from '../../../src/node/codec';
import { nodeFetch } from '../../../src/node/http';
import { makeJpeg, makePng } from '../../fake-gemini/images';
import { FAKE_KEY, FakeGemini } from '../../fake-gemini/server';

const DIST = path.resolve(__dirname, '../../../../dist');

/** The key store of the command line: a configured key, or 'noKey'. Counts how often it was asked. */
class Keys implements KeySource {
  asked = 0;
  constructor(private readonly key = FAKE_KEY) {}
  async require(): Promise<string> {
    this.asked++;
    if (!this.key) {
      throw new IllustrateError('noKey', 'No API key is set. Set ILLUSTRATE_API_KEY and try again.');
    }
    return this.key;
  }
}

class Log implements GenerationLog {
  readonly lines: string[] = [];
  info(line: string): void {
    this.lines.push(`info: ${line}`);
  }
  warn(line: string): void {
    this.lines.push(`warn: ${line}`);
  }
  error(line: string): void {
    this.lines.push(`error: ${line}`);
  }
}

class Memory implements ModelMemory {
  readonly saved = new Map<string, string>();
  get(baseUrl: string, model: string): string | undefined {
    return this.saved.get(`${baseUrl} ${model}`);
  }
  set(baseUrl: string, model: string, working: string): void {
    this.saved.set(`${baseUrl} ${model}`, working);
  }
}

interface Part {
  readonly text?: string;
  readonly thoughtSignature?: string;
  readonly inlineData?: { readonly mimeType: string; readonly data: string };
}
interface SentBody {
  readonly contents: { readonly role: string; readonly parts: Part[] }[];
  readonly generationConfig: Record<string, unknown>;
}

const STYLE_REF: ReferenceImage = { mimeType: 'image/png', data: makePng(64, 48) };
const USER_REF: ReferenceImage = { mimeType: 'image/jpeg', data: makeJpeg(80, 60) };
const b64 = (r: ReferenceImage): string => Buffer.from(r.data).toString('base64');

describe('core/api/generator: Generator.generate against the stand-in', function () {
  this.timeout(20_000);
  const fake = new FakeGemini();
  const codec = new WorkerCodec(DIST);
  let baseUrl = '';
  let keys: Keys;
  let log: Log;
  let loaded: string[][];

  before(async () => {
    baseUrl = await fake.start();
  });
  after(async () => {
    await fake.stop();
    await codec.stop();
  });
  beforeEach(() => {
    fake.reset();
    keys = new Keys();
    log = new Log();
    loaded = [];
  });

  /** The settings as settingsFrom reads them: `user` only for what only the user may set (the endpoint, prices). */
  function settings(any: Record<string, unknown> = {}, user: Record<string, unknown> = {}): Settings {
    const users: Record<string, unknown> = { baseUrl, ...user };
    return settingsFrom((k) => any[k], (k) => users[k]);
  }

  function generator(options: { codec?: boolean; keys?: Keys; memory?: ModelMemory } = {}): Generator {
    const loader = async (paths: readonly string[]): Promise<ReferenceImage[]> => {
      loaded.push([...paths]);
      return paths.map(() => STYLE_REF);
    };
    return new Generator(options.keys ?? keys, log, nodeFetch, loader, options.memory, options.codec ? codec : undefined);
  }

  function input(s: Settings, extra: Partial<GenerateInput> = {}): GenerateInput {
    return { prompt: 'a lighthouse at dusk', options: optionsFromSettings(s), ...extra };
  }

  async function failure(run: Promise<unknown>): Promise<IllustrateError> {
    try {
      await run;
    } catch (e: unknown) {
      assert.ok(e instanceof IllustrateError, `expected an IllustrateError, got ${String(e)}`);
      assert.ok(!e.message.includes(FAKE_KEY), 'the key is never in a message');
      return e;
    }
    return assert.fail('expected the generation to fail');
  }

  const signal = (): AbortSignal => new AbortController().signal;

  it('sends the prompt with the workspace style after it, the user’s references then the style’s, and the image config', async () => {
    const s = settings({ style: 'flat vector,   brand blue #1F6FEB', styleReferences: ['brand/ref.png'], aspectRatio: '4:3', imageSize: '2K', thinkingLevel: 'high' });
    await generator().generate(input(s, { references: [USER_REF] }), s, signal());
    assert.deepStrictEqual(loaded, [['brand/ref.png']]);
    assert.strictEqual(fake.requests.length, 1);
    const [req] = fake.requests;
    assert.strictEqual(req.model, 'gemini-3.1-flash-image');
    assert.strictEqual(req.auth, 'bearer');
    assert.strictEqual(req.keyMatched, true);
    assert.deepStrictEqual(req.body, {
      contents: [
        {
          role: 'user',
          parts: [{ text: 'a lighthouse at dusk\n\nStyle: flat vector, brand blue #1F6FEB' }, { inlineData: { mimeType: 'image/jpeg', data: b64(USER_REF) } }, { inlineData: { mimeType: 'image/png', data: b64(STYLE_REF) } }],
        },
      ],
      generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '4:3', imageSize: '2K' }, thinkingConfig: { thinkingLevel: 'high', includeThoughts: false } },
    });
    assert.ok(log.lines.includes('info: request: model=gemini-3.1-flash-image aspectRatio=4:3 imageSize=2K references=2'), log.lines.join('\n'));
    assert.ok(!log.lines.some((l) => l.includes(FAKE_KEY)), 'the key is never logged');
  });

  it('applyStyle false: the prompt alone, the style references not even read, no style recorded', async () => {
    const s = settings({ style: 'watercolour', styleReferences: ['brand/ref.png'] });
    const image = await generator().generate(input(s, { applyStyle: false }), s, signal());
    assert.deepStrictEqual(loaded, []);
    const body = fake.requests[0].body as SentBody;
    assert.deepStrictEqual(body.contents, [{ role: 'user', parts: [{ text: 'a lighthouse at dusk' }] }]);
    const meta = readProvenance(image.bytes);
    assert.strictEqual(meta?.style, undefined);
    assert.strictEqual(meta?.styleReferences, undefined);
  });

  it('gives the model’s PNG with its pixel size, the usage, and the cost at the user’s own prices', async () => {
    const s = settings({}, { prices: { 'gemini-3.1-flash-image': { inputPerMillion: 1, outputPerMillion: 100 } } });
    const image = await generator().generate(input(s), s, signal());
    assert.strictEqual(image.format, 'png');
    assert.strictEqual(sniffFormat(image.bytes.subarray(0, 16)), 'png');
    assert.deepStrictEqual({ width: image.width, height: image.height }, { width: 1376, height: 768 });
    assert.deepStrictEqual(pixelSize(image.bytes), { width: 1376, height: 768 });
    // The stand-in counts "a lighthouse at dusk" as 11 prompt tokens and a 1K image as 1120.
    assert.strictEqual(image.usage.promptTokens, 11);
    assert.strictEqual(image.usage.outputTokens, 1120);
    assert.strictEqual(image.cost, (11 * 1 + 1120 * 100) / 1e6);
    assert.strictEqual(image.prompt, 'a lighthouse at dusk');
    assert.strictEqual(image.options.model, 'gemini-3.1-flash-image');
    assert.strictEqual(image.convertedFrom, undefined);
    assert.strictEqual(weightNote(image), '', 'nothing converted: no weight note');
    assert.ok(image.receivedBytes > 0 && image.receivedBytes < image.bytes.length, 'the metadata is added to what the model sent');
  });

  it('writes the provenance into the image: prompt, model, options, style, style reference fingerprints, version, cost', async () => {
    const s = settings({ style: 'pencil sketch', styleReferences: ['brand/ref.png'], aspectRatio: '1:1', imageSize: '1K' }, { prices: { 'gemini-3.1-flash-image': { inputPerMillion: 1, outputPerMillion: 100 } } });
    const before = Date.now();
    const image = await generator().generate(input(s, { prompt: 'a fox reading a map "at night" & <alone>' }), s, signal());
    const meta = readProvenance(image.bytes);
    assert.ok(meta, 'the image carries Illustrate’s record');
    assert.strictEqual(meta.prompt, 'a fox reading a map "at night" & <alone>', 'the prompt as the user wrote it, not with the style');
    assert.strictEqual(meta.model, 'gemini-3.1-flash-image');
    assert.strictEqual(meta.aspectRatio, '1:1');
    assert.strictEqual(meta.imageSize, '1K');
    assert.strictEqual(meta.style, 'pencil sketch');
    assert.deepStrictEqual(meta.styleReferences, [fingerprint(STYLE_REF.data)]);
    assert.strictEqual(meta.version, VERSION);
    assert.strictEqual(meta.cost, image.cost);
    assert.ok(Date.parse(meta.date) >= before - 1000 && Date.parse(meta.date) <= Date.now() + 1000, meta.date);
    assert.deepStrictEqual(meta, { ...image.metadata, edit: undefined, keptAlt: undefined });
  });

  it('an edit sends the earlier turn back (the model’s image with its thought signature) and records the instruction and source', async () => {
    const s = settings();
    const g = generator();
    const first = await g.generate(input(s), s, signal());
    const finalPart = first.modelParts.find((p) => p.image);
    assert.ok(finalPart?.thoughtSignature, 'the final image keeps its thought signature for the edit');
    const edited = await g.generate(
      input(s, { prompt: 'make the sky stormy', history: { prompt: 'a lighthouse at dusk', modelParts: first.modelParts }, edit: { instruction: 'make the sky stormy', source: fingerprint(first.bytes) }, recordAs: 'a lighthouse at dusk' }),
      s,
      signal(),
    );
    const body = fake.requests[1].body as SentBody;
    assert.deepStrictEqual(
      body.contents.map((c) => [c.role, c.parts.map((p) => (p.text !== undefined ? `text:${p.text}` : `${p.inlineData?.mimeType}${p.thoughtSignature ? '+signature' : ''}`))]),
      [
        ['user', ['text:a lighthouse at dusk']],
        ['model', ['image/png+signature']],
        ['user', ['text:make the sky stormy']],
      ],
    );
    assert.strictEqual(body.contents[1].parts[0].thoughtSignature, finalPart.thoughtSignature);
    const meta = readProvenance(edited.bytes);
    assert.strictEqual(meta?.prompt, 'a lighthouse at dusk', 'the alt text the picture stands for, not the instruction');
    assert.deepStrictEqual(meta?.edit, { instruction: 'make the sky stormy', source: fingerprint(first.bytes) });
  });

  it('converts to the format and width asked (in the codec’s worker), the provenance written again', async () => {
    const s = settings();
    const image = await generator({ codec: true }).generate(input(s, { output: { format: 'webp', quality: 80, maxWidth: 688 } }), s, signal());
    assert.strictEqual(image.format, 'webp');
    assert.strictEqual(sniffFormat(image.bytes.subarray(0, 16)), 'webp');
    assert.deepStrictEqual({ width: image.width, height: image.height }, { width: 688, height: 384 });
    assert.deepStrictEqual(pixelSize(image.bytes), { width: 688, height: 384 });
    assert.strictEqual(image.convertedFrom, 'png');
    assert.strictEqual(readProvenance(image.bytes)?.prompt, 'a lighthouse at dusk');
    assert.strictEqual(weightNote(image), `${formatBytes(image.bytes.length)} WEBP (the model sent ${formatBytes(image.receivedBytes)} PNG)`);
    assert.ok(log.lines.some((l) => /^info: converted: \d+ bytes png → \d+ bytes webp \(688x384, quality 80\)/.test(l)), log.lines.join('\n'));
  });

  it('a JPEG answer is kept as JPEG when no format is asked and it fits; no codec: the model’s format, said in the log', async () => {
    const s = settings();
    const jpeg = await generator({ codec: true }).generate(input(s, { prompt: 'a harbour [fake:jpegAsPng]', output: { quality: 80, maxWidth: 0 } }), s, signal());
    assert.strictEqual(jpeg.format, 'jpeg');
    assert.strictEqual(jpeg.convertedFrom, undefined);
    assert.strictEqual(readProvenance(jpeg.bytes)?.prompt, 'a harbour [fake:jpegAsPng]');
    const png = await generator().generate(input(s, { output: { format: 'webp', quality: 80, maxWidth: 0 } }), s, signal());
    assert.strictEqual(png.format, 'png');
    assert.strictEqual(sniffFormat(png.bytes.subarray(0, 16)), 'png');
    assert.ok(log.lines.includes("info: no image codec here: writing the model's png instead of webp"), log.lines.join('\n'));
  });

  it('a rejected key (401 from a gateway) is badKey, with what to do next', async () => {
    fake.script('badKeyGateway');
    const s = settings();
    const e = await failure(generator().generate(input(s), s, signal()));
    assert.strictEqual(e.kind, 'badKey');
    assert.strictEqual(e.message, 'The API key was rejected (HTTP 401). Run "Illustrate: Set API Key" and paste a valid key.');
    assert.strictEqual(fake.requests.length, 1, 'a bad key is not retried');
    assert.ok(log.lines.some((l) => l.startsWith('error: failed after ') && l.endsWith('badKey (HTTP 401)')), log.lines.join('\n'));
  });

  it('a key the server does not know (400 API_KEY_INVALID) is badKey too', async () => {
    const s = settings();
    const e = await failure(generator({ keys: new Keys('another-key-0000') }).generate(input(s), s, signal()));
    assert.strictEqual(e.kind, 'badKey');
    assert.strictEqual(e.message, 'The API key was rejected (HTTP 400). Run "Illustrate: Set API Key" and paste a valid key.');
  });

  it('a 429 with retries off (a fill paces itself) is rateLimited at once, with the model named', async () => {
    fake.script('quota');
    const s = settings();
    const e = await failure(generator().generate(input(s, { retryRateLimited: false }), s, signal()));
    assert.strictEqual(e.kind, 'rateLimited');
    assert.strictEqual(e.message, "Rate limit or quota reached for gemini-3.1-flash-image (HTTP 429). Wait a minute and try again, or check your plan's quota.");
    assert.strictEqual(e.detail.retryDelayMs, 200);
    assert.strictEqual(fake.requests.length, 1);
  });

  it('progress: sending, the wait a 429 asks for, sending again, then the bytes received', async () => {
    fake.script('quota');
    const s = settings();
    const events: ProgressEvent[] = [];
    const image = await generator().generate(input(s), s, signal(), (e) => events.push(e));
    assert.strictEqual(image.format, 'png');
    const receiving = events.filter((e) => e.kind === 'receiving');
    assert.deepStrictEqual(
      events.filter((e) => e.kind !== 'receiving'),
      [
        { kind: 'sending', attempt: 1 },
        { kind: 'waiting', attempt: 1, seconds: 1, reason: 'rateLimited' },
        { kind: 'sending', attempt: 2 },
      ],
    );
    assert.ok(receiving.length > 0, 'the answer’s bytes are reported as they arrive');
    assert.ok(receiving.every((e, i) => i === 0 || e.bytes >= (receiving[i - 1] as { bytes: number }).bytes), 'received bytes only grow');
    assert.deepStrictEqual(fake.requests.map((r) => r.status), [429, 200]);
  });

  it('a text-only refusal shows the model’s words; a blocked image and a blocked prompt say why', async () => {
    const s = settings();
    const g = generator();
    fake.script('refusal');
    const refusal = await failure(g.generate(input(s), s, signal()));
    assert.strictEqual(refusal.kind, 'textOnly');
    assert.strictEqual(refusal.message, 'The model answered with text instead of an image: "I\'m unable to help with that request. I can\'t create images of real people in that situation." Rephrase the prompt and try again.');
    fake.script('blocked');
    const blocked = await failure(g.generate(input(s), s, signal()));
    assert.strictEqual(blocked.kind, 'blocked');
    assert.match(blocked.message, /^No image: the request was blocked because the image was flagged by the safety filter \(IMAGE_SAFETY\)\. The model said: "Unable to show the generated image\..*" Rephrase the prompt and try again\.$/);
    fake.script('promptBlocked');
    const prompt = await failure(g.generate(input(s), s, signal()));
    assert.strictEqual(prompt.kind, 'blocked');
    assert.strictEqual(prompt.message, 'The prompt was blocked because it asks for prohibited content (PROHIBITED_CONTENT). Rephrase the prompt and try again.');
  });

  it('checks before sending: an empty prompt, an aspect ratio the model does not take, too many references; no key asked, nothing sent', async () => {
    const s = settings();
    const g = generator();
    const empty = await failure(g.generate(input(s, { prompt: '  \n ' }), s, signal()));
    assert.strictEqual(empty.kind, 'options');
    assert.strictEqual(empty.message, 'The prompt is empty. Describe the image you want.');
    const ratio = await failure(g.generate(input(s, { options: { ...optionsFromSettings(s), aspectRatio: '7:3' } }), s, signal()));
    assert.strictEqual(ratio.kind, 'options');
    assert.match(ratio.message, /^gemini-3\.1-flash-image does not take the aspect ratio "7:3"\. Valid: 1:1, .*\.$/);
    const many = await failure(g.generate(input(s, { references: Array.from({ length: 20 }, () => USER_REF) }), s, signal()));
    assert.strictEqual(many.kind, 'options');
    assert.match(many.message, /^gemini-3\.1-flash-image takes at most \d+ reference images; 20 were given\.$/);
    assert.strictEqual(keys.asked, 0);
    assert.strictEqual(fake.requests.length, 0);
  });

  it('no key: the key source’s own error, nothing sent', async () => {
    const s = settings();
    const e = await failure(generator({ keys: new Keys('') }).generate(input(s), s, signal()));
    assert.strictEqual(e.kind, 'noKey');
    assert.strictEqual(e.message, 'No API key is set. Set ILLUSTRATE_API_KEY and try again.');
    assert.strictEqual(fake.requests.length, 0);
  });

  it('cancel while the server is still drawing: cancelled at once, long before its answer', async () => {
    const s = settings();
    const controller = new AbortController();
    const started = Date.now();
    const pending = generator().generate(input(s, { prompt: 'a slow one [fake:slow:15000]' }), s, controller.signal);
    setTimeout(() => controller.abort(), 200);
    const e = await failure(pending);
    assert.strictEqual(e.kind, 'cancelled');
    assert.strictEqual(e.message, 'Image generation was cancelled. Nothing was saved.');
    // The server would answer after 15 s: the abort, not the answer, ended the wait.
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    assert.strictEqual(fake.requests.length, 1);
  });

  it('an already-cancelled run sends nothing', async () => {
    const s = settings();
    const controller = new AbortController();
    controller.abort();
    const e = await failure(generator().generate(input(s), s, controller.signal));
    assert.strictEqual(e.kind, 'cancelled');
    assert.strictEqual(fake.requests.length, 0);
  });

  it('a model the endpoint no longer has: its successor answers, is recorded in the image, and is remembered', async () => {
    fake.profile = 'googleLate2026';
    const s = settings();
    const memory = new Memory();
    const image = await generator({ memory }).generate(input(s), s, signal());
    assert.strictEqual(image.options.model, 'gemini-nano-banana-2.1');
    assert.strictEqual(readProvenance(image.bytes)?.model, 'gemini-nano-banana-2.1');
    assert.strictEqual(memory.get(baseUrl, 'gemini-3.1-flash-image'), 'gemini-nano-banana-2.1');
    assert.deepStrictEqual(fake.requests.map((r) => `${r.model} ${r.status}`), ['gemini-3.1-flash-image 404', 'gemini-3.1-flash-image-preview 404', 'gemini-nano-banana-2.1 200']);
  });

  it('styleReferencesOnce: a run of many requests reads each list of style references once', async () => {
    const s = settings({ style: 'ink', styleReferences: ['a.png', 'b.png'] });
    const g = generator();
    const once = g.styleReferencesOnce();
    await g.generate(input(s, { styleReferences: once }), s, signal());
    await g.generate(input(s, { styleReferences: once, prompt: 'a second picture' }), s, signal());
    assert.deepStrictEqual(loaded, [['a.png', 'b.png']]);
    for (const r of fake.requests) {
      assert.strictEqual((r.body as SentBody).contents[0].parts.length, 3, 'the prompt and both references, each time');
    }
  });
});
