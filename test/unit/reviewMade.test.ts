/**
 * The review of what a run makes (core/review/made.ts, run by core/fill/jobs.ts runFillJob): each
 * picture reviewed beside the next generations, its verdict kept in its file's record; in retry
 * mode a failed picture made once more with the reasons, the better one kept and the other handed
 * aside; the budget held before each review and each retry; the plan's price of the reviews; the
 * report with thumbnails, failures first. Real Generator and Reviewer over HTTP to the stand-in.
 */
import * as assert from 'assert';
import * as path from 'path';
import { Budget } from '../../src/core/api/budget';
import { estimateCost } from '../../src/core/api/pricing';
import { GeneratedImage, Generator } from '../../src/core/api/generator';
import { FillOutcome, FillPlan, fillReport, FillTarget } from '../../src/core/fill/fill';
import { FillJobHost, FillMade, runFillJob } from '../../src/core/fill/jobs';
import { readProvenance } from '../../src/core/images/metadata';
import { MadeReview, madeReviewFromJson, madeReviewJson, retryPrompt, reviewPlan } from '../../src/core/review/made';
import { estimateReviewCost, Reviewer, Verdict } from '../../src/core/review/review';
import { Settings, settingsFrom, withStyle } from '../../src/core/settings';
import { WorkerCodec } from '../../src/node/codec';
import { nodeFetch } from '../../src/node/http';
import { FAKE_KEY } from '../fake-gemini/server';
import { standIn } from '../fixtures/cli';

const DIST = path.resolve(__dirname, '../../../dist');
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const keys = { require: () => Promise.resolve(FAKE_KEY) };

/** A written file, as the host keeps it: its bytes, rewritten in place when the review says so. */
interface Written {
  bytes: Uint8Array;
  writes: number;
}

describe('review of what a run makes: the plan', () => {
  const settings = (project: Record<string, unknown> = {}): Settings => settingsFrom((k) => ({ model: 'gemini-3.1-flash-image', imageSize: '1K', style: 'flat vector', ...project })[k], () => undefined);
  const targets = [{ prompt: 'A shop sign that says "Welcome"' }, { prompt: 'a lighthouse at dusk' }];

  it('report: the review model, its estimate for each picture (its words and the style), nothing for retries; off: no reviews', () => {
    const plan = reviewPlan(settings(), targets);
    assert.ok(plan);
    assert.strictEqual(plan.mode, 'report');
    assert.strictEqual(plan.model, 'gemini-3.1-flash-lite');
    const expected = estimateReviewCost('gemini-3.1-flash-lite', targets.map((t) => ({ prompt: t.prompt, style: 'flat vector' })));
    assert.ok(expected !== undefined && expected > 0);
    assert.strictEqual(plan.cost, expected);
    assert.strictEqual(plan.perImage, expected / 2);
    assert.ok(plan.perImage! < 0.001, `a review costs a fraction of a cent (${plan.perImage})`);
    assert.strictEqual(plan.retriesAtMost, 0);
    assert.strictEqual(reviewPlan(settings({ review: 'off' }), targets), undefined);
  });

  it('retry: the upper bound is every picture made once more (a longer request) and reviewed again', () => {
    const plan = reviewPlan(settings({ review: 'retry' }), targets);
    assert.ok(plan && plan.cost !== undefined && plan.retriesAtMost !== undefined);
    const images = targets.map((t) => estimateCost('gemini-3.1-flash-image', '1K', withStyle(t.prompt, 'flat vector'), 0, 1)!).reduce((a, b) => a + b, 0);
    assert.ok(plan.retriesAtMost >= images + plan.cost, `${plan.retriesAtMost} covers ${images} + ${plan.cost}`);
    assert.ok(plan.retriesAtMost < (images + plan.cost) * 1.1, 'and not much more');
  });

  it('a review model of unknown price leaves the price unknown, never $0', () => {
    const plan = reviewPlan(settings(), targets, 'some-gateway-model');
    assert.strictEqual(plan?.cost, undefined);
    assert.strictEqual(plan?.perImage, undefined);
  });

  it('a made picture\'s review read back from fill --json (the GitHub Action\'s summary): the verdict, its reasons, the retry; anything else is no review', () => {
    const failed: Verdict = { status: 'fail', problems: [{ kind: 'text', reason: 'The picture reads "Sign i", not "Sign in".' }], model: 'gemini-flash-lite', cost: 0.001, date: '2026-01-01' };
    const review: MadeReview = { mode: 'retry', verdict: { ...failed, status: 'pass', problems: [] }, retry: { kept: 'retry', other: failed }, reviewCost: 0.002, retryCost: 0.04, unpriced: 0 };
    const back = madeReviewFromJson(JSON.parse(JSON.stringify(madeReviewJson(review))));
    assert.deepStrictEqual(back, { mode: 'retry', verdict: { status: 'pass', problems: [], model: 'gemini-flash-lite', cost: undefined, date: '' }, retry: { kept: 'retry', other: { ...failed, date: '' } }, reviewCost: 0.002, retryCost: 0.04, unpriced: 0 });
    const unreviewed = madeReviewFromJson({ status: 'unreviewed', reason: 'no answer', problems: [], model: null, cost: null, mode: 'report' });
    assert.deepStrictEqual(unreviewed?.verdict, { status: 'unreviewed', reason: 'no answer' });
    for (const junk of [null, 'pass', {}, { status: 'pass', problems: [], mode: 'later' }, { status: 'great', problems: [], mode: 'report' }]) {
      assert.strictEqual(madeReviewFromJson(junk), undefined, JSON.stringify(junk));
    }
  });

  it('the retry\'s request: the words as they were, then the reasons to avoid', () => {
    const verdict: Verdict = { status: 'fail', problems: [{ kind: 'text', reason: 'The picture reads "Welcom", not "Welcome".' }, { kind: 'unasked', reason: 'A browser frame surrounds it.' }], model: 'm', cost: 0, date: '' };
    assert.strictEqual(retryPrompt('A sign that says "Welcome"', verdict), 'A sign that says "Welcome"\n\nAvoid what an earlier picture for these words got wrong:\n- The picture reads "Welcom", not "Welcome".\n- A browser frame surrounds it.');
    assert.strictEqual(retryPrompt('words', { status: 'unreviewed', reason: 'x' }), 'words');
  });
});

describe('review of what a run makes: the fill against the stand-in (real HTTP)', function () {
  this.timeout(60_000);
  const { fake } = standIn();
  const codec = new WorkerCodec(DIST);
  after(() => codec.stop());

  const settingsFor = (project: Record<string, unknown> = {}): Settings => settingsFrom((k) => ({ fillConcurrency: 2, ...project })[k], (k) => ({ baseUrl: fake.url })[k]);

  /** A fill host that writes into memory, as the CLI's writes to disk; `aside` gets what a retry did not keep. */
  function host(settings: Settings, reviewer = new Reviewer(keys, nodeFetch, codec)) {
    const files = new Map<string, Written>();
    const aside: { file: string; image: GeneratedImage; verdict: Verdict }[] = [];
    const h: FillJobHost<string, string> = {
      generator: new Generator(keys, quiet, nodeFetch, () => Promise.resolve([]), undefined, codec),
      settings: () => settings,
      path: (p) => p,
      write: async (target, image) => {
        files.set(target.uri, { bytes: image.bytes, writes: 1 });
        return target.uri;
      },
      reviewer,
      rewrite: async (_target, file, image) => {
        const w = files.get(file)!;
        w.bytes = image.bytes;
        w.writes++;
      },
      keepAside: (target, image, verdict) => {
        aside.push({ file: target.uri, image, verdict });
      },
    };
    return { h, files, aside };
  }
  const target = (uri: string, prompt: string): FillTarget<string> => ({ uri, prompt, links: [] });
  const run = (h: FillJobHost<string, string>, targets: FillTarget<string>[], budget?: Budget, stop?: AbortSignal) =>
    runFillJob(h, targets, { concurrency: 2, signal: new AbortController().signal, onProgress: () => undefined, budget, stop });
  const imageCalls = () => fake.requests.filter((r) => r.url.includes(':generateContent') && !r.url.includes('flash-lite'));
  const reviewCalls = () => fake.requests.filter((r) => r.url.includes('flash-lite:generateContent'));
  const promptOf = (body: unknown): string => ((body as { contents: { parts: { text?: string }[] }[] }).contents[0].parts.map((p) => p.text ?? '').join(''));

  it('report: each picture reviewed, its verdict in its file\'s record and in the outcome; the reviews\' cost in the run\'s', async () => {
    const { h, files } = host(settingsFor());
    const out = await run(h, [target('img/a.png', 'a lighthouse at dusk'), target('img/b.png', 'A shop sign that says "Welcome" [review:fail]')]);
    assert.strictEqual(out.made.length, 2);
    assert.strictEqual(reviewCalls().length, 2);
    const byFile = new Map(out.made.map((m) => [m.file, m]));
    assert.strictEqual(byFile.get('img/a.png')?.review?.verdict.status, 'pass');
    const failed = byFile.get('img/b.png')?.review;
    assert.strictEqual(failed?.verdict.status, 'fail');
    assert.match(failed.verdict.status === 'fail' ? failed.verdict.problems[0].reason : '', /reads "Welcom", not "Welcome"/);
    // The file on "disk" carries the verdict in its record, written over the first write.
    const record = readProvenance(files.get('img/b.png')!.bytes);
    assert.strictEqual(record?.review?.status, 'fail');
    assert.match(record?.review?.problems[0].reason ?? '', /Welcom/);
    assert.strictEqual(record?.prompt, 'A shop sign that says "Welcome" [review:fail]');
    assert.strictEqual(files.get('img/b.png')!.writes, 2);
    assert.strictEqual(readProvenance(files.get('img/a.png')!.bytes)?.review?.status, 'pass');
    // What was spent: the pictures and the reviews.
    const images = out.made.reduce((n, m) => n + (m.image.cost ?? 0), 0);
    assert.ok(out.review && out.review.cost > 0);
    assert.strictEqual(out.review.passed, 1);
    assert.strictEqual(out.review.failed, 1);
    assert.ok(Math.abs(out.cost - (images + out.review.cost)) < 1e-12, `${out.cost} = ${images} + ${out.review.cost}`);
    assert.strictEqual(imageCalls().length, 2, 'report makes nothing again');
  });

  it('retry: a failed picture is made again with the reasons; the better one (the retry, which passes) is kept, the first handed aside', async () => {
    const { h, files, aside } = host(settingsFor({ review: 'retry' }));
    const prompt = 'A shop sign that says "Welcome" [review:failonce]';
    const out = await run(h, [target('img/sign.png', prompt)]);
    const calls = imageCalls();
    assert.strictEqual(calls.length, 2, 'the picture and its retry');
    assert.strictEqual(promptOf(calls[0].body), prompt);
    assert.strictEqual(promptOf(calls[1].body), `${prompt}\n\nAvoid what an earlier picture for these words got wrong:\n- The picture reads "Welcom", not "Welcome": the last letter is missing.`);
    assert.strictEqual(reviewCalls().length, 2);
    const [made] = out.made;
    assert.strictEqual(made.review?.verdict.status, 'pass');
    assert.strictEqual(made.review?.retry?.kept, 'retry');
    assert.strictEqual(made.review?.retry?.other?.status, 'fail');
    // The file holds the retry, its record the original words (so it is not stale) and its pass.
    const record = readProvenance(files.get('img/sign.png')!.bytes);
    assert.strictEqual(record?.prompt, prompt);
    assert.strictEqual(record?.review?.status, 'pass');
    assert.deepStrictEqual(made.image.bytes, files.get('img/sign.png')!.bytes);
    // The first picture went aside with its failed verdict.
    assert.strictEqual(aside.length, 1);
    assert.strictEqual(aside[0].file, 'img/sign.png');
    assert.strictEqual(aside[0].verdict.status, 'fail');
    assert.notDeepStrictEqual(aside[0].image.bytes, made.image.bytes);
    assert.ok(out.review && out.review.retried === 1 && out.review.keptRetries === 1 && out.review.retryCost > 0);
  });

  it('retry: when the new picture fails as badly, the first is kept (a tie keeps the first) and the new one goes aside', async () => {
    const { h, files, aside } = host(settingsFor({ review: 'retry' }));
    const out = await run(h, [target('img/sign.png', 'A shop sign that says "Welcome" [review:fail]')]);
    assert.strictEqual(imageCalls().length, 2);
    const [made] = out.made;
    assert.strictEqual(made.review?.verdict.status, 'fail');
    assert.strictEqual(made.review?.retry?.kept, 'first');
    assert.strictEqual(aside.length, 1);
    assert.strictEqual(aside[0].verdict.status, 'fail');
    // The file is the first picture, with its verdict; the one aside is the retry.
    assert.strictEqual(readProvenance(files.get('img/sign.png')!.bytes)?.review?.status, 'fail');
    assert.notDeepStrictEqual(aside[0].image.bytes, files.get('img/sign.png')!.bytes);
  });

  it('pipelined: the next generations do not wait for a slow review; the run waits for the last one', async () => {
    fake.latencyMs = 150;
    fake.reviewLatencyMs = 1000;
    const { h } = host(settingsFor());
    const started = Date.now();
    // One generation at a time: without the pipeline each image would wait out its review (4 × 1.15 s).
    const out = await runFillJob(h, ['a', 'b', 'c', 'd'].map((n) => target(`img/${n}.png`, `figure ${n}`)), { concurrency: 1, signal: new AbortController().signal, onProgress: () => undefined });
    const took = Date.now() - started;
    const generations = imageCalls().map((r) => r.arrivedAt);
    const reviews = reviewCalls().map((r) => r.arrivedAt);
    assert.strictEqual(generations.length, 4);
    assert.strictEqual(reviews.length, 4);
    // The fourth generation was sent before the first review was answered.
    assert.ok(generations[3] < reviews[0] + 1000, `generation 4 at +${generations[3] - started} ms, first review answered at +${reviews[0] + 1000 - started} ms`);
    assert.ok(out.made.every((m) => m.review?.verdict.status === 'pass'), 'every verdict is in the outcome');
    // Each next generation went out before the review of the one before it was answered.
    for (let i = 1; i < 4; i++) {
      assert.ok(generations[i] < reviews[i - 1] + 1000, `generation ${i + 1} did not wait for review ${i}`);
    }
    assert.ok(took >= 4 * 150 + 1000, 'the run ends after the last review');
  });

  it('the budget holds each review at its worst case before it is sent: one that does not fit leaves the picture unreviewed, nothing sent', async () => {
    const { h } = host(settingsFor());
    const one = estimateCost(settingsFor().model, settingsFor().imageSize, 'figure a', 0, 1)!;
    // Room for the picture (held at its estimate, settled at its bill), not for a review's worst case on top.
    const out = await run(h, [target('img/a.png', 'figure a')], new Budget(one * 1.0001, 'max_cost'));
    assert.strictEqual(out.made.length, 1);
    assert.strictEqual(reviewCalls().length, 0);
    const v = out.made[0].review?.verdict;
    assert.strictEqual(v?.status, 'unreviewed');
    assert.match(v.status === 'unreviewed' ? v.reason : '', /max_cost/);
  });

  it('a stop (finish what is in flight) sends no review after it: the picture is written, unreviewed', async () => {
    fake.latencyMs = 400;
    const stop = new AbortController();
    const { h, files } = host(settingsFor());
    setTimeout(() => stop.abort(), 100);
    const out = await runFillJob(h, [target('img/a.png', 'figure a'), target('img/b.png', 'figure b')], { concurrency: 1, signal: new AbortController().signal, onProgress: () => undefined, stop: stop.signal });
    assert.strictEqual(out.made.length, 1);
    assert.ok(files.has('img/a.png'));
    assert.strictEqual(reviewCalls().length, 0);
    const v = out.made[0].review?.verdict;
    assert.match(v?.status === 'unreviewed' ? v.reason : '', /stopped/);
  });

  it('a key the reviewer is refused stops the run as a refused generation would', async () => {
    fake.latencyMs = 300;
    const { h } = host(settingsFor(), new Reviewer({ require: () => Promise.resolve('not-the-key') }, nodeFetch, codec));
    const out = await runFillJob(h, ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => target(`img/${n}.png`, `figure ${n}`)), { concurrency: 1, signal: new AbortController().signal, onProgress: () => undefined });
    assert.match(out.stopped ?? '', /key/i);
    assert.ok(out.made.length < 6 && out.made.length >= 1, `the run stopped (${out.made.length} made)`);
    assert.ok(out.made.every((m) => m.review?.verdict.status === 'unreviewed'));
    assert.ok(out.cancelled.length >= 1, 'the rest were not made');
  });

  it('off, or a host without a reviewer: no review call, no verdict', async () => {
    const { h } = host(settingsFor({ review: 'off' }));
    const out = await run(h, [target('img/a.png', 'figure a')]);
    assert.strictEqual(reviewCalls().length, 0);
    assert.strictEqual(out.made[0].review, undefined);
    assert.strictEqual(out.review, undefined);
  });
});

describe('review of what a run makes: the report', () => {
  const verdicts: Record<string, MadeReview> = {
    'img/ok.png': { mode: 'report', verdict: { status: 'pass', problems: [], model: 'm', cost: 0.0002, date: '' }, reviewCost: 0.0002, retryCost: 0, unpriced: 0 },
    'img/bad one.png': { mode: 'report', verdict: { status: 'fail', problems: [{ kind: 'text', reason: 'The picture reads "Welcom" <b>, not "Welcome"' }], model: 'm', cost: 0.0002, date: '' }, reviewCost: 0.0002, retryCost: 0, unpriced: 0 },
    'img/quiet.png': { mode: 'report', verdict: { status: 'unreviewed', reason: 'the reviewer gave no answer' }, reviewCost: 0, retryCost: 0, unpriced: 0 },
  };
  const made = Object.keys(verdicts).map((file) => ({ target: { uri: file, prompt: `words of ${file} "x" <script>`, links: [] }, file, image: { width: 1024, height: 768, format: 'png' } as GeneratedImage, review: verdicts[file] }));
  const outcome = { made, failed: [], cancelled: [], cost: 0.1, durationMs: 1000, review: { mode: 'report', passed: 1, failed: 1, unreviewed: 1, retried: 0, keptRetries: 0, cost: 0.0004, retryCost: 0, unpriced: 0 } } as unknown as FillOutcome<string, FillMade<string>>;
  const plan: FillPlan<string> = { targets: [], skipped: [], existing: 0, documents: 1 };

  it('each picture a thumbnail (src as given) with its verdict and reasons, failed reviews first, then not reviewed, then passed; outside text escaped', () => {
    const text = fillReport(plan, outcome, (p) => p, (m) => ({ file: m.file, width: m.image.width, height: m.image.height, format: m.image.format, src: `../${m.file.replace(/ /g, '%20')}`, review: m.review }));
    const failed = text.indexOf('## Failed review');
    const unreviewed = text.indexOf('## Not reviewed');
    const passed = text.indexOf('## Passed review');
    assert.ok(failed > 0 && failed < unreviewed && unreviewed < passed, text);
    assert.match(text, /Review: 1 failed, 1 not reviewed, 1 passed · ≈ \$0\.0004 for reviews/);
    assert.ok(text.includes('<img src="../img/bad%20one.png" width="160" alt="words of img/bad one.png &quot;x&quot; &lt;script&gt;"> `img/bad one.png`'), text);
    assert.ok(text.includes('  - `text` The picture reads "Welcom" \\<b\\>, not "Welcome"'), text);
    assert.ok(text.includes('  - the reviewer gave no answer'), text);
    assert.ok(!text.includes('<script>') && !text.includes('<b>'), 'no markup from outside');
    assert.ok(text.indexOf('img/bad one.png') < text.indexOf('img/quiet.png') && text.indexOf('img/quiet.png') < text.indexOf('img/ok.png'));
  });

  it('without reviews it is the report as before, a thumbnail only where the host gives one', () => {
    const bare = { ...outcome, review: undefined, made: made.map((m) => ({ ...m, review: undefined })) } as FillOutcome<string, FillMade<string>>;
    const text = fillReport(plan, bare, (p) => p, (m) => ({ file: m.file, width: m.image.width, height: m.image.height, format: m.image.format }));
    assert.match(text, /## Generated/);
    assert.ok(!text.includes('<img') && !text.includes('review'), text);
  });
});
