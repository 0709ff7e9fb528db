/**
 * For `npm run bench`: Fill Missing Images' pace against a rate-limited server. 60 missing images,
 * a stand-in allowing 20 requests a minute and taking 2 s an image; the fill's own scheduler
 * (adaptive concurrency, up to the default 4) and client, beside the bound the rate limit allows
 * (60 / 20 a minute = 3 min) and beside one request at a time with the client's own retries.
 * `node out/bench/fillThroughput.js` prints one JSON line. BENCH_TIME_SCALE=0.1 runs it ten times
 * faster (for a quick look); the README's numbers are at full scale.
 */
import { performance } from 'perf_hooks';
import { generateImage } from '../src/core/api/client';
import { AdaptiveLimit, runAdaptive } from '../src/core/fill/concurrency';
import { IllustrateError } from '../src/core/errors';
import { GenerationOptions } from '../src/core/api/models';
import { nodeFetch } from '../src/node/http';
import { FAKE_KEY, FakeGemini } from '../test/fake-gemini/server';

const IMAGES = 60;
const PER_MINUTE = 20;
const IMAGE_MS = 2000;
const FILL_CONCURRENCY = 4;
const scale = Number(process.env.BENCH_TIME_SCALE) || 1;
const OPTIONS: GenerationOptions = { model: 'gemini-3.1-flash-image', aspectRatio: '1:1', imageSize: '1K', thinkingLevel: 'minimal', includeText: false };

/** The time a run took, in full-scale milliseconds, and how many images it made. */
interface Run {
  readonly ms: number;
  readonly made: number;
  readonly rateLimited: number;
}

async function measure(fake: FakeGemini, run: () => Promise<number>): Promise<Run> {
  fake.reset();
  // Scaled time: a shorter minute, a faster image, the same number of requests per window.
  fake.requestsPerMinute = PER_MINUTE;
  fake.latencyMs = IMAGE_MS * scale;
  fake.windowMs = 60_000 * scale;
  const t = performance.now();
  const made = await run();
  return { ms: (performance.now() - t) / scale, made, rateLimited: fake.requests.filter((r) => r.status === 429).length };
}

async function main(): Promise<void> {
  const fake = new FakeGemini();
  const baseUrl = await fake.start();
  const config = { baseUrl, authHeader: 'auto' as const, apiKey: FAKE_KEY, timeoutMs: 600_000, maxAnswerBytes: 64 * 1024 * 1024 };
  const signal = new AbortController().signal;
  const request = (i: number) => ({ prompt: `figure ${i}`, options: OPTIONS });
  // The signal is never aborted here: a plain timer, in scaled time.
  const sleep = (ms: number, _s: AbortSignal) => new Promise<void>((resolve) => setTimeout(resolve, ms * scale));
  try {
    // The fill: the rate limit comes back at once, and the scheduler paces the queue.
    const adaptive = await measure(fake, async () => {
      const results = await runAdaptive(
        Array.from({ length: IMAGES }, (_, i) => i),
        new AdaptiveLimit(FILL_CONCURRENCY),
        async (i) => {
          const out = await generateImage({ ...config, retryRateLimited: false }, request(i), signal, { fetch: nodeFetch });
          out.answer.image.release();
        },
        {
          signal,
          sleep: (ms, s) => sleep(ms / scale, s),
          retryLater: (e) => (e instanceof IllustrateError && e.kind === 'rateLimited' ? { waitMs: (e.detail.retryDelayMs ?? 2000) * scale } : undefined),
        },
      );
      return results.filter((r) => r.ok).length;
    });
    // One at a time, each request retried by the client as a single command would.
    const sequential = await measure(fake, async () => {
      let made = 0;
      for (let i = 0; i < IMAGES; i++) {
        try {
          const out = await generateImage({ ...config, maxAttempts: 20, maxRetryDelayMs: 120_000 }, request(i), signal, { fetch: nodeFetch, sleep });
          out.answer.image.release();
          made++;
        } catch {
          // counted as lost
        }
      }
      return made;
    });
    const boundMs = (IMAGES / PER_MINUTE) * 60_000;
    console.log(JSON.stringify({ images: IMAGES, perMinute: PER_MINUTE, imageMs: IMAGE_MS, scale, boundMs, adaptive, sequential, ratio: adaptive.ms / boundMs, lost: IMAGES - adaptive.made }));
  } finally {
    await fake.stop();
  }
}

void main();
