import * as assert from 'assert';
import { BatchEndpoint, BatchResult, cancelBatch, offersBatch, pollBatch, statusOf, submitBatch } from '../../src/core/api/batch';
import { IllustrateError } from '../../src/core/errors';
import { pixelSize } from '../../src/core/images/imageFormat';
import { GenerationOptions } from '../../src/core/api/models';
import { nodeFetch } from '../../src/node/http';
import { FAKE_KEY, FakeGemini } from '../fake-gemini/server';

const OPTIONS: GenerationOptions = { model: 'gemini-3.1-flash-image', aspectRatio: '16:9', imageSize: '1K', thinkingLevel: 'minimal', includeText: false };

describe('batch mode, through the stand-in API server', function () {
  this.timeout(20_000);
  const fake = new FakeGemini();
  let endpoint: BatchEndpoint;
  const signal = new AbortController().signal;

  before(async () => {
    endpoint = { baseUrl: await fake.start(), authHeader: 'x-goog-api-key', apiKey: FAKE_KEY, timeoutMs: 10_000 };
  });
  after(() => fake.stop());
  beforeEach(() => fake.reset());

  const items = (...prompts: string[]) => prompts.map((prompt, i) => ({ key: `k${i}`, request: { prompt, options: OPTIONS } }));

  /** Polls until the job is final, collecting its results as the caller would place them. */
  async function until(name: string, deps = {}): Promise<{ state: string; results: { key: string; bytes?: Buffer; message?: string }[]; polls: number }> {
    const results: { key: string; bytes?: Buffer; message?: string }[] = [];
    const onResult = async (r: BatchResult): Promise<void> => {
      if ('answer' in r) {
        results.push({ key: r.key, bytes: Buffer.concat(r.answer.image.chunks) });
        r.answer.image.release();
      } else {
        assert.ok(!r.error.message.includes(FAKE_KEY));
        assert.ok(!/[<>{}]/.test(r.error.message), r.error.message);
        results.push({ key: r.key, message: r.error.message });
      }
    };
    for (let polls = 1; polls < 10; polls++) {
      const status = await pollBatch(endpoint, name, signal, { fetch: nodeFetch, ...deps }, onResult);
      if (['succeeded', 'partial', 'failed', 'cancelled', 'expired'].includes(status.state)) {
        return { state: status.state, results, polls };
      }
    }
    assert.fail('the job never finished');
  }

  it('an inline job: submitted with each target as its metadata key, pending, running, then every image in its place', async () => {
    const job = await submitBatch(endpoint, OPTIONS.model, 'docs', items('a red fox', 'a blue whale'), signal, { fetch: nodeFetch });
    assert.match(job.name, /^batches\//);
    assert.strictEqual(job.state, 'pending');
    const submitted = fake.requests.find((r) => r.url.endsWith(':batchGenerateContent'));
    assert.ok(submitted?.keyMatched);
    assert.ok(!fake.requests.some((r) => r.url.startsWith('/upload')), 'two small requests go inline');
    const out = await until(job.name);
    assert.strictEqual(out.state, 'succeeded');
    assert.strictEqual(out.polls, 2, 'RUNNING on the first poll, SUCCEEDED on the second');
    assert.deepStrictEqual(out.results.map((r) => r.key), ['k0', 'k1']);
    for (const r of out.results) {
      assert.deepStrictEqual(pixelSize(r.bytes!), { width: 1376, height: 768 });
    }
  });

  it('a job too large for inline goes through the Files API, and its results file is read line by line', async () => {
    const job = await submitBatch(endpoint, OPTIONS.model, 'docs', items('one', 'two', 'three'), signal, { fetch: nodeFetch, inlineMaxRequests: 2 });
    const urls = fake.requests.map((r) => r.url.replace(/upload_id=\w+/, 'upload_id=…'));
    assert.deepStrictEqual(urls.slice(0, 3), ['/upload/v1beta/files', '/upload/v1beta/files?upload_id=…', '/v1beta/models/gemini-3.1-flash-image:batchGenerateContent']);
    const out = await until(job.name);
    assert.strictEqual(out.state, 'succeeded');
    assert.deepStrictEqual(out.results.map((r) => [r.key, r.bytes?.length ? 'image' : r.message]), [
      ['k0', 'image'],
      ['k1', 'image'],
      ['k2', 'image'],
    ]);
    assert.ok(fake.requests.some((r) => /^\/download\/v1beta\/files\/batch-results-\w+:download\?alt=media$/.test(r.url)));
  });

  it('a job that succeeds only partly: each failed image has its own message, blocked ones say why', async () => {
    for (const inlineMaxRequests of [10, 0]) {
      fake.reset();
      const job = await submitBatch(endpoint, OPTIONS.model, 'docs', items('fine', 'broken [fake:batchError]', 'unsafe [fake:blocked]'), signal, { fetch: nodeFetch, inlineMaxRequests });
      const out = await until(job.name);
      assert.strictEqual(out.state, 'partial');
      assert.ok(out.results[0].bytes);
      assert.match(out.results[1].message!, /Google's batch could not make this image: "Internal error encountered/);
      assert.match(out.results[2].message!, /blocked .*IMAGE_SAFETY/);
    }
  });

  it('expired, failed and cancelled jobs end with no results', async () => {
    fake.batches.plan = 'expire';
    let job = await submitBatch(endpoint, OPTIONS.model, 'docs', items('a'), signal, { fetch: nodeFetch });
    assert.deepStrictEqual(await until(job.name), { state: 'expired', results: [], polls: 1 });
    fake.batches.plan = 'fail';
    job = await submitBatch(endpoint, OPTIONS.model, 'docs', items('a'), signal, { fetch: nodeFetch });
    const failed = await pollBatch(endpoint, job.name, signal, { fetch: nodeFetch }, async () => assert.fail('no results'));
    assert.strictEqual(failed.state, 'failed');
    assert.match(failed.error!, /internal error/);
    fake.batches.plan = 'hold';
    job = await submitBatch(endpoint, OPTIONS.model, 'docs', items('a'), signal, { fetch: nodeFetch });
    assert.strictEqual((await pollBatch(endpoint, job.name, signal, { fetch: nodeFetch }, async () => undefined)).state, 'pending');
    await cancelBatch(endpoint, job.name, signal, { fetch: nodeFetch });
    assert.deepStrictEqual(await until(job.name), { state: 'cancelled', results: [], polls: 1 });
  });

  it('a gateway without the Batch API, a bad key and a forgotten job each get one clear message', async () => {
    const fail = async (p: Promise<unknown>): Promise<string> => {
      try {
        await p;
      } catch (e: unknown) {
        assert.ok(e instanceof IllustrateError);
        assert.ok(!e.message.includes(FAKE_KEY) && !/[<>{}]/.test(e.message), e.message);
        return e.message;
      }
      return assert.fail('expected a failure');
    };
    fake.profile = 'allGateway';
    assert.match(await fail(submitBatch(endpoint, OPTIONS.model, 'docs', items('a'), signal, { fetch: nodeFetch })), /does not offer Google's Batch API \(HTTP 404\)/);
    fake.profile = 'google';
    assert.match(await fail(submitBatch({ ...endpoint, apiKey: 'wrong' }, OPTIONS.model, 'docs', items('a'), signal, { fetch: nodeFetch })), /API key was rejected/);
    assert.match(await fail(pollBatch(endpoint, 'batches/nothere', signal, { fetch: nodeFetch }, async () => undefined)), /no longer knows the batch job batches\/nothere/);
    assert.match(await fail(pollBatch(endpoint, '../models/x', signal, { fetch: nodeFetch }, async () => undefined)), /not a batch job name/);
  });

  it('an upload URL on another server is refused before the requests are sent there', async () => {
    const other = new FakeGemini();
    const otherUrl = await other.start();
    try {
      // A proxy that rewrites the upload URL to another host.
      const fetchVia: typeof nodeFetch = async (url, init) => {
        const res = await nodeFetch(url, init);
        if (!url.includes('upload_id')) {
          const moved = res.headers.get('x-goog-upload-url')?.replace(endpoint.baseUrl, otherUrl);
          return { ...res, status: res.status, ok: res.ok, body: res.body, headers: { get: (n: string) => (n.toLowerCase() === 'x-goog-upload-url' ? moved ?? null : res.headers.get(n)) } };
        }
        return res;
      };
      await assert.rejects(submitBatch(endpoint, OPTIONS.model, 'docs', items('a', 'b'), signal, { fetch: fetchVia, inlineMaxRequests: 0 }), /another server than "illustrate.baseUrl"/);
      assert.strictEqual(other.requests.length, 0);
    } finally {
      await other.stop();
    }
  });

  it('reads operations as Google words them', () => {
    assert.strictEqual(statusOf({ name: 'batches/a', metadata: { state: 'BATCH_STATE_PARTIALLY_SUCCEEDED' }, done: true }).state, 'partial');
    assert.strictEqual(statusOf({ name: 'batches/a', metadata: { state: 'BATCH_STATE_SUCCEEDED', batchStats: { requestCount: '3', failedRequestCount: '1' } } }).state, 'partial');
    assert.throws(() => statusOf({ name: 'batches/../../x' }), /not a batch job/);
    assert.throws(() => statusOf({ name: 'batches/a', response: { responsesFile: 'https://evil.example/x' } }), /not a batch job/);
    assert.ok(offersBatch('https://generativelanguage.googleapis.com', 'auto'));
    assert.ok(!offersBatch('https://api.apiyi.com', 'auto'));
    assert.ok(offersBatch('http://127.0.0.1:9', 'x-goog-api-key'));
  });
});
