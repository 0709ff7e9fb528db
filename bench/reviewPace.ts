/**
 * For `npm run bench`: what reviewing every picture adds to a fill. The same fill of 20 images
 * (the fill's own runner, `runFillJob`, its adaptive concurrency up to the default 4, the real
 * Generator and Reviewer, the picture made small in the codec's worker) against the stand-in, once
 * with `illustrate.review` off and once with report, and the ratio of the two (the goal: at most
 * 1.1 when a review is faster than a generation). Stand-in latencies: 3 s an image and 1 s a
 * review, a third of a generation; real image models take 5 to 20 s, a Flash-Lite review about a
 * second, so this is the harder case. `node out/bench/reviewPace.js` prints one JSON line.
 * BENCH_TIME_SCALE=0.5 halves the latencies (for a quick look; the codec's work is not scaled).
 */
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Generator } from '../src/core/api/generator';
import { FillTarget } from '../src/core/fill/fill';
import { FillJobHost, runFillJob } from '../src/core/fill/jobs';
import { Reviewer } from '../src/core/review/review';
import { Settings, settingsFrom } from '../src/core/settings';
import { WorkerCodec } from '../src/node/codec';
import { nodeFetch } from '../src/node/http';
import { FAKE_KEY, FakeGemini } from '../test/fake-gemini/server';

const IMAGES = 20;
const IMAGE_MS = 3000;
const REVIEW_MS = 1000;
const CONCURRENCY = 4;
const scale = Number(process.env.BENCH_TIME_SCALE) || 1;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Run {
  readonly ms: number;
  readonly made: number;
  readonly reviewed: number;
}

async function main(): Promise<void> {
  const fake = new FakeGemini();
  const baseUrl = await fake.start();
  const codec = new WorkerCodec(path.resolve(__dirname, '../../dist'));
  const keys = { require: () => Promise.resolve(FAKE_KEY) };
  const generator = new Generator(keys, quiet, nodeFetch, () => Promise.resolve([]), undefined, codec);
  const reviewer = new Reviewer(keys, nodeFetch, codec);
  const settings = (review: string): Settings => settingsFrom((k) => ({ review, fillConcurrency: CONCURRENCY })[k], (k) => ({ baseUrl })[k]);
  const fill = async (review: string, count: number, name: string): Promise<Run> => {
    fake.reset();
    fake.latencyMs = IMAGE_MS * scale;
    fake.reviewLatencyMs = REVIEW_MS * scale;
    const chosen = settings(review);
    // Written into memory, as the host's write would to disk (the same for both runs).
    const files = new Map<string, Uint8Array>();
    const host: FillJobHost<string, string> = {
      generator,
      settings: () => chosen,
      path: (p) => p,
      write: async (target, image) => {
        files.set(target.uri, image.bytes);
        return target.uri;
      },
      reviewer,
      rewrite: async (target, _file, image) => {
        files.set(target.uri, image.bytes);
      },
    };
    const targets: FillTarget<string>[] = Array.from({ length: count }, (_, i) => ({ uri: `img/${name}-${i}.png`, prompt: `figure ${i} of the ${name} run, with the label "Step ${i}"`, links: [] }));
    const t = performance.now();
    const out = await runFillJob(host, targets, { concurrency: CONCURRENCY, signal: new AbortController().signal, onProgress: () => undefined });
    return { ms: (performance.now() - t) / scale, made: out.made.length, reviewed: out.made.filter((m) => m.review && m.review.verdict.status !== 'unreviewed').length };
  };
  try {
    // Warm-up: the codec's worker, the model list, the JIT.
    await fill('report', 2, 'warm');
    const without = await fill('off', IMAGES, 'off');
    const withReviews = await fill('report', IMAGES, 'report');
    console.log(JSON.stringify({ images: IMAGES, imageMs: IMAGE_MS, reviewMs: REVIEW_MS, concurrency: CONCURRENCY, scale, without, withReviews, ratio: withReviews.ms / without.ms }));
  } finally {
    await codec.stop();
    await fake.stop();
  }
}

void main();
