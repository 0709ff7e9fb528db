import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { HttpFetch } from '../../src/core/api/client';
import { IllustrateError } from '../../src/core/errors';
import { listImageModels } from '../../src/core/api/modelList';
import { generateRouted, ModelMemory } from '../../src/core/api/modelRoute';
import { DEFAULT_MODEL, findModel, GenerationOptions, KNOWN_MODELS, listPrice } from '../../src/core/api/models';
import { costOfUsage, estimateCost } from '../../src/core/api/pricing';
import { nodeFetch } from '../../src/node/http';
import { endpointForKey, settingsFrom } from '../../src/core/settings';
import { FAKE_KEY, FakeGemini } from '../fake-gemini/server';

const OPTIONS: GenerationOptions = { model: 'gemini-3.1-flash-image', aspectRatio: '1:1', imageSize: '1K', thinkingLevel: 'minimal', includeText: false };

class Memory implements ModelMemory {
  readonly routes = new Map<string, string>();
  get(baseUrl: string, model: string): string | undefined {
    return this.routes.get(`${baseUrl} ${model}`);
  }
  set(baseUrl: string, model: string, working: string): void {
    this.routes.set(`${baseUrl} ${model}`, working);
  }
}

describe('models that keep working', function () {
  this.timeout(20_000);
  const fake = new FakeGemini();
  let baseUrl = '';
  const lines: string[] = [];

  before(async () => {
    baseUrl = await fake.start();
  });
  after(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    lines.length = 0;
  });

  /** Requests to Google's host land on the stand-in server, as if DNS pointed there; the URL is recorded. */
  const sentTo: string[] = [];
  const asGoogle: HttpFetch = (url, init) => {
    sentTo.push(url);
    return nodeFetch(url.replace('https://generativelanguage.googleapis.com', baseUrl), init);
  };

  function generate(model: string, memory: ModelMemory, base = baseUrl, fetch: HttpFetch = nodeFetch) {
    return generateRouted({ baseUrl: base, authHeader: 'x-goog-api-key', apiKey: FAKE_KEY, timeoutMs: 10_000 }, { prompt: 'a lighthouse', options: { ...OPTIONS, model } }, new AbortController().signal, {
      fetch,
      memory,
      log: (l) => lines.push(l),
    });
  }

  describe('the table', () => {
    it('has the GA default, and every model its facts', () => {
      assert.strictEqual(DEFAULT_MODEL, 'gemini-3.1-flash-image');
      for (const id of ['gemini-3.1-flash-image', 'gemini-3.1-flash-image-preview', 'gemini-3-pro-image', 'gemini-3-pro-image-preview', 'gemini-3.1-flash-lite-image', 'gemini-2.5-flash-image']) {
        const m = findModel(id);
        assert.ok(m, id);
        assert.ok(m.ratios.length >= 10 && listPrice(m, m.sizes[0] ?? '1K') !== undefined, id);
      }
      assert.deepStrictEqual(findModel('gemini-3.1-flash-image')?.aliases, ['gemini-3.1-flash-image-preview']);
      assert.strictEqual(findModel('gemini-3-pro-image-preview')?.status, 'retired');
      assert.strictEqual(findModel('gemini-2.5-flash-image')?.successor, 'gemini-3.1-flash-image');
    });

    it("package.json's default and suggestions are the table's", () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
        contributes: { configuration: { properties: Record<string, { default: unknown; examples?: string[] }> } };
      };
      const model = pkg.contributes.configuration.properties['illustrate.model'];
      assert.strictEqual(model.default, '', 'empty: the endpoint decides (Google: its recommended model)');
      const statusOrder = { ga: 0, deprecated: 1, preview: 2, retired: 3 };
      assert.deepStrictEqual(model.examples, [...KNOWN_MODELS].sort((a, b) => statusOrder[a.status] - statusOrder[b.status]).map((m) => m.id));
      assert.strictEqual(pkg.contributes.configuration.properties['illustrate.requestTimeoutSeconds'].default, 360);
    });

    it('a workspace in Restricted Mode cannot set what decides cost, time, or where files go; endpoints are user-level only', () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
        capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
        contributes: { configuration: { properties: Record<string, { scope?: string; minimum?: number; maximum?: number }> } };
      };
      const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
      for (const key of ['destination', 'fileName', 'model', 'requestTimeoutSeconds', 'historyLimit', 'imageSize', 'prices', 'style']) {
        assert.ok(restricted.includes(`illustrate.${key}`), key);
      }
      const props = pkg.contributes.configuration.properties;
      assert.strictEqual(props['illustrate.baseUrl'].scope, 'application');
      assert.strictEqual(props['illustrate.authHeader'].scope, 'application');
      // What is bought and what it is said to cost: the user's settings only.
      assert.strictEqual(props['illustrate.prices'].scope, 'application');
      assert.strictEqual(props['illustrate.describeModel'].scope, 'application');
      assert.ok(restricted.includes('illustrate.describeModel'));
      assert.deepStrictEqual([props['illustrate.requestTimeoutSeconds'].minimum, props['illustrate.requestTimeoutSeconds'].maximum], [10, 1800]);
    });

    it('prices: by tokens where Google prices by token, per image otherwise, batch half', () => {
      assert.strictEqual(costOfUsage('gemini-3.1-flash-image', { promptTokens: 0, outputTokens: 1120, totalTokens: 1120 })?.toFixed(4), '0.0672');
      assert.strictEqual(costOfUsage('gemini-3.1-flash-lite-image', { promptTokens: 10, outputTokens: 0, totalTokens: 10 }), 0.0336);
      assert.strictEqual(estimateCost('gemini-3-pro-image', '4K', '', 0, 2)?.toFixed(2), '0.48');
      const flash = findModel('gemini-3.1-flash-image')!;
      assert.strictEqual(flash.batchPricePerImage?.['4K'], (flash.pricePerImage['4K'] ?? 0) / 2);
    });
  });

  describe('aliases that heal', () => {
    it('a preview id answered 404 heals to the GA id in one call sequence, and is remembered', async () => {
      const memory = new Memory();
      const first = await generate('gemini-3.1-flash-image-preview', memory);
      assert.strictEqual(first.model, 'gemini-3.1-flash-image');
      assert.deepStrictEqual(fake.requests.map((r) => [r.model, r.status]), [
        ['gemini-3.1-flash-image-preview', 404],
        ['gemini-3.1-flash-image', 200],
      ]);
      assert.ok(lines.some((l) => /gemini-3\.1-flash-image works at .*used for gemini-3\.1-flash-image-preview there from now on/.test(l)), lines.join('\n'));
      fake.reset();
      const second = await generate('gemini-3.1-flash-image-preview', memory);
      assert.strictEqual(second.model, 'gemini-3.1-flash-image');
      assert.deepStrictEqual(fake.requests.map((r) => r.model), ['gemini-3.1-flash-image'], 'the remembered id goes first');
    });

    it('a GA id answered 404 by a gateway that has only the preview id heals the other way', async () => {
      fake.profile = 'previewGateway';
      const memory = new Memory();
      const out = await generate('gemini-3-pro-image', memory);
      assert.strictEqual(out.model, 'gemini-3-pro-image-preview');
      assert.strictEqual(memory.get(baseUrl, 'gemini-3-pro-image'), 'gemini-3-pro-image-preview');
    });

    it('both unknown: one message naming the model and "Choose Model…"', async () => {
      fake.script('notFound', 'notFound', 'notFound');
      const e = await generate('gemini-3.1-flash-image', new Memory()).then(
        () => assert.fail('expected a failure'),
        (err: unknown) => err,
      );
      assert.ok(e instanceof IllustrateError && e.kind === 'modelNotFound');
      assert.match(e.message, /gemini-3\.1-flash-image is not available at 127\.0\.0\.1:\d+ \(tried gemini-3\.1-flash-image, gemini-3\.1-flash-image-preview and gemini-nano-banana-2\.1\).*Choose Model…/);
      assert.strictEqual(fake.requests.length, 3);
    });

    it('an unknown id is sent as written, and a 404 is not retried', async () => {
      fake.script('notFound');
      await assert.rejects(generate('gemini-9-image', new Memory()), /gemini-9-image is not available at .*Choose Model…/);
      assert.deepStrictEqual(fake.requests.map((r) => r.model), ['gemini-9-image']);
    });
  });

  describe("retired ids on Google's endpoint", () => {
    it('are never sent to a googleapis host: the successor is, and the log says so', async () => {
      sentTo.length = 0;
      for (const retired of ['gemini-3.1-flash-image-preview', 'gemini-3-pro-image-preview', 'gemini-2.5-flash-image']) {
        const out = await generate(retired, new Memory(), 'https://generativelanguage.googleapis.com', asGoogle);
        assert.strictEqual(out.model, findModel(retired)!.successor);
      }
      assert.ok(sentTo.every((u) => !/preview|2\.5-flash/.test(u)), sentTo.join('\n'));
      assert.deepStrictEqual(fake.requests.map((r) => r.model), ['gemini-3.1-flash-image', 'gemini-3-pro-image', 'gemini-3.1-flash-image']);
      assert.ok(lines.some((l) => /gemini-2\.5-flash-image was retired on Google's endpoint on 2026-10-02; using its successor gemini-3\.1-flash-image/.test(l)));
    });

    it('a 404 on Google never heals to a retired alias (only to the successor)', async () => {
      fake.script('notFound');
      await assert.rejects(generate('gemini-3.1-flash-image', new Memory(), 'https://generativelanguage.googleapis.com', asGoogle), /not available.*tried gemini-3\.1-flash-image and gemini-nano-banana-2\.1/);
      assert.deepStrictEqual(fake.requests.map((r) => r.model), ['gemini-3.1-flash-image', 'gemini-nano-banana-2.1']);
    });

    it('the deprecated 3.1 Flash Image id, answered 404 once Google shuts it down, heals to Nano Banana 2.1, remembered per endpoint and logged once', async () => {
      fake.profile = 'googleLate2026';
      const memory = new Memory();
      const first = await generate('gemini-3.1-flash-image', memory, 'https://generativelanguage.googleapis.com', asGoogle);
      assert.strictEqual(first.model, 'gemini-nano-banana-2.1');
      assert.deepStrictEqual(fake.requests.map((r) => [r.model, r.status]), [
        ['gemini-3.1-flash-image', 404],
        ['gemini-nano-banana-2.1', 200],
      ]);
      assert.strictEqual(lines.filter((l) => /gemini-nano-banana-2\.1 works at generativelanguage\.googleapis\.com: it is used for gemini-3\.1-flash-image there from now on/.test(l)).length, 1);
      fake.reset();
      fake.profile = 'googleLate2026';
      const second = await generate('gemini-3.1-flash-image', memory, 'https://generativelanguage.googleapis.com', asGoogle);
      assert.strictEqual(second.model, 'gemini-nano-banana-2.1');
      assert.deepStrictEqual(fake.requests.map((r) => r.model), ['gemini-nano-banana-2.1'], 'straight to what worked');
      // Another endpoint has its own memory.
      assert.strictEqual(memory.get(baseUrl, 'gemini-3.1-flash-image'), undefined);
      // What worked may go away too: then the id asked for is tried again, and remembered.
      fake.reset();
      const third = await generate('gemini-3.1-flash-image', memory, 'https://generativelanguage.googleapis.com', asGoogle);
      assert.strictEqual(third.model, 'gemini-3.1-flash-image');
      assert.deepStrictEqual(fake.requests.map((r) => [r.model, r.status]), [
        ['gemini-nano-banana-2.1', 404],
        ['gemini-3.1-flash-image', 200],
      ]);
      assert.strictEqual(memory.get('https://generativelanguage.googleapis.com', 'gemini-3.1-flash-image'), 'gemini-3.1-flash-image');
    });
  });

  describe('Nano Banana 2.1 and the default model', () => {
    it('is in the table with its sizes, thinking levels, references and price', () => {
      const m = findModel('gemini-nano-banana-2.1')!;
      assert.strictEqual(m.label, 'Nano Banana 2.1');
      assert.deepStrictEqual(m.sizes, ['1K', '2K', '4K']);
      assert.deepStrictEqual(m.thinkingLevels, ['minimal', 'medium', 'high']);
      assert.strictEqual(m.maxReferences, 10);
      assert.strictEqual(listPrice(m, '1K'), 0.0336);
      assert.strictEqual(m.batchPricePerImage?.['1K'], 0.0168);
      assert.strictEqual(findModel('gemini-3.1-flash-image')?.status, 'deprecated');
      assert.strictEqual(findModel('gemini-3.1-flash-image')?.successor, 'gemini-nano-banana-2.1');
    });

    it("with no model set: Google's recommended model on Google's endpoint (or for a Google key routed there), the gateways' default elsewhere", () => {
      const read = (user: Record<string, unknown>, any: Record<string, unknown> = {}) => settingsFrom((k) => any[k], (k) => user[k]);
      assert.strictEqual(read({ baseUrl: 'https://generativelanguage.googleapis.com' }).model, 'gemini-nano-banana-2.1');
      assert.strictEqual(read({}).model, DEFAULT_MODEL);
      assert.strictEqual(read({ baseUrl: 'https://generativelanguage.googleapis.com' }, { model: 'gemini-3-pro-image' }).model, 'gemini-3-pro-image', 'a chosen model stays');
      assert.strictEqual(endpointForKey(read({}), `AIza${'D'.repeat(35)}`).settings.model, 'gemini-nano-banana-2.1');
      assert.strictEqual(endpointForKey(read({}, { model: 'gemini-3-pro-image' }), `AIza${'D'.repeat(35)}`).settings.model, 'gemini-3-pro-image');
    });
  });

  describe("the endpoint's models", () => {
    it('lists them page by page, image models only, merged with the table', async () => {
      const listing = await listImageModels(baseUrl, 'x-goog-api-key', FAKE_KEY, new AbortController().signal, nodeFetch);
      assert.strictEqual(listing.fallbackReason, undefined);
      assert.deepStrictEqual(listing.models.map((m) => m.id), ['gemini-3.1-flash-image', 'gemini-3-pro-image', 'gemini-3.1-flash-lite-image', 'gemini-4-image-experimental']);
      assert.strictEqual(listing.models[0].label, 'Nano Banana 2');
      assert.strictEqual(listing.models[3].label, 'Gemini 4 Image (experimental)');
      assert.strictEqual(listing.models[3].known, undefined);
      assert.ok(fake.requests.filter((r) => r.url.startsWith('/v1beta/models?')).length >= 4, 'several pages were read');
    });

    it('falls back to the table when the gateway has no listing', async () => {
      fake.profile = 'previewGateway';
      const listing = await listImageModels(baseUrl, 'bearer', FAKE_KEY, new AbortController().signal, nodeFetch);
      assert.match(listing.fallbackReason ?? '', /HTTP 404/);
      assert.deepStrictEqual(listing.models.map((m) => m.id), KNOWN_MODELS.map((m) => m.id));
    });

    it('falls back to the table without a key, and hides retired ids for Google', async () => {
      const listing = await listImageModels('https://generativelanguage.googleapis.com', 'auto', undefined, new AbortController().signal, asGoogle);
      assert.match(listing.fallbackReason ?? '', /no API key/);
      assert.deepStrictEqual(listing.models.map((m) => m.id), ['gemini-nano-banana-2.1', 'gemini-3.1-flash-image', 'gemini-3-pro-image', 'gemini-3.1-flash-lite-image']);
    });
  });

  describe('images in other answer shapes', () => {
    for (const mode of ['dataUrlText', 'markdownDataUrlText'] as const) {
      it(`accepts the image as a data URL in a text part (${mode})`, async () => {
        fake.script(mode);
        const out = await generate('gemini-3.1-flash-image', new Memory());
        const bytes = Buffer.concat(out.answer.image.chunks);
        assert.strictEqual(out.answer.format, 'png');
        assert.strictEqual(bytes.readUInt32BE(16), 1024);
        assert.ok(!out.answer.texts.some((t) => t.includes('base64')), 'the image is not kept as text');
      });
    }
  });
});
