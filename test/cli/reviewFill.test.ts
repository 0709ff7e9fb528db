/**
 * Reviews of what `illustrate fill` and `illustrate generate` make (`--review off|report|retry`),
 * and of what the MCP server's fill makes: the real CLI (its built bundle) against the stand-in,
 * which answers each review by the marker in the picture's words (`[review:fail]`: the prompt asks
 * for "Welcome", the picture reads "Welcom"; `[review:failonce]`: the first picture fails, the
 * next passes). What a user sees: the files on disk and their records, the --json, the report,
 * the lines printed, the calls the stand-in received.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { readProvenance } from '../../src/core/images/metadata';
import { isReviewCall } from '../fake-gemini/review';
import { FAKE_KEY, RecordedRequest } from '../fake-gemini/server';
import { BIN, cliEnv, files, illustrate, imageCall, standIn, tree } from '../fixtures/cli';

/** What the stand-in was asked to draw: each image request's words. */
function promptOf(r: RecordedRequest): string {
  return (r.body as { contents: { parts: { text?: string }[] }[] }).contents[0].parts.map((p) => p.text ?? '').join('');
}

interface JsonReview {
  status: string;
  problems: { kind: string; reason: string }[];
  model: string | null;
  cost: number | null;
  mode: string;
  retry?: { kept: string; other?: { status: string; problems: { reason: string }[] }; cost: number };
}

const SIGN = 'A shop sign that says "Welcome" \\[review:fail\\]';
const SIGN_PROMPT = 'A shop sign that says "Welcome" [review:fail]';
const DOOR_PROMPT = 'A blue door with the word "Open" [review:failonce]';

describe('illustrate fill and generate --review: each new picture looked at against its words', function () {
  this.timeout(60_000);
  const { fake, env } = standIn();
  const reviews = () => fake.requests.filter((r) => r.url.includes(':generateContent') && isReviewCall(r.body));

  it('fill --review retry: a failed picture is made again with the reasons; the better one is kept with its verdict, --json has every verdict (exit 0)', async () => {
    const dir = tree({ 'docs/page.md': `# Page\n\n![${SIGN}](img/sign.png)\n![A blue door with the word "Open" \\[review:failonce\\]](img/door.png)\n![a lighthouse at dusk](img/lighthouse.png)\n` });
    const r = await illustrate(dir, ['fill', '--yes', '--json', '--review', 'retry', '--concurrency', '1'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { made: { file: string; review: JsonReview }[]; review: { failed: number; passed: number; retried: number; keptRetries: number; cost: number; retryCost: number }; cost: number; plan: { review: { mode: string; retriesAtMost: number } } };
    // The stand-in saw each failed picture asked for again, with the reviewer's reason after the words.
    const asked = fake.requests.filter(imageCall).map(promptOf);
    assert.strictEqual(asked.length, 5, asked.join('\n---\n'));
    assert.ok(asked.includes(`${SIGN_PROMPT}\n\nAvoid what an earlier picture for these words got wrong:\n- The picture reads "Welcom", not "Welcome": the last letter is missing.`), asked.join('\n---\n'));
    assert.ok(asked.includes(`${DOOR_PROMPT}\n\nAvoid what an earlier picture for these words got wrong:\n- The picture reads "Ope", not "Open": the last letter is missing.`), asked.join('\n---\n'));
    assert.strictEqual(reviews().length, 5, 'each picture reviewed, each retry too');
    const made = new Map(out.made.map((m) => [m.file, m.review]));
    // The door's retry passed: it is the file now, its record says so and keeps the words it stands for.
    assert.strictEqual(made.get('docs/img/door.png')?.status, 'pass');
    assert.strictEqual(made.get('docs/img/door.png')?.retry?.kept, 'retry');
    assert.strictEqual(made.get('docs/img/door.png')?.retry?.other?.status, 'fail');
    const door = readProvenance(fs.readFileSync(path.join(dir, 'docs/img/door.png')));
    assert.strictEqual(door?.review?.status, 'pass');
    assert.strictEqual(door?.prompt, DOOR_PROMPT);
    // The sign failed twice alike: the first is kept, with its verdict and reason in its record.
    const sign = made.get('docs/img/sign.png');
    assert.strictEqual(sign?.status, 'fail');
    assert.strictEqual(sign?.retry?.kept, 'first');
    assert.match(sign?.problems[0].reason ?? '', /reads "Welcom", not "Welcome"/);
    assert.strictEqual(sign?.problems[0].kind, 'text');
    const record = readProvenance(fs.readFileSync(path.join(dir, 'docs/img/sign.png')));
    assert.strictEqual(record?.review?.status, 'fail');
    assert.match(record?.review?.problems[0].reason ?? '', /Welcom/);
    assert.strictEqual(made.get('docs/img/lighthouse.png')?.status, 'pass');
    assert.strictEqual(made.get('docs/img/lighthouse.png')?.retry, undefined);
    // What was spent on it, in sum and per picture.
    assert.deepStrictEqual([out.review.passed, out.review.failed, out.review.retried, out.review.keptRetries], [2, 1, 2, 1]);
    assert.ok(out.review.cost > 0 && out.review.retryCost > 0 && out.cost > out.review.retryCost);
    assert.ok((made.get('docs/img/lighthouse.png')?.cost ?? 0) > 0);
    assert.strictEqual(out.plan.review.mode, 'retry');
    assert.ok(out.plan.review.retriesAtMost > 0);
    // Only the three files the page links: the pictures not kept are not written.
    assert.deepStrictEqual(files(dir), ['docs/img/door.png', 'docs/img/lighthouse.png', 'docs/img/sign.png', 'docs/page.md']);
  });

  it('fill --review report --report FILE: markdown with a thumbnail of each picture linked from the report\'s folder, failed reviews first with their reasons', async () => {
    const dir = tree({ 'docs/page.md': `![a lighthouse at dusk](<img/light house.png>)\n![${SIGN}](img/sign.png)\n` });
    const r = await illustrate(dir, ['fill', '--yes', '--review', 'report', '--report', 'reports/run.md'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    const report = fs.readFileSync(path.join(dir, 'reports/run.md'), 'utf8');
    assert.match(report, /^# Illustrate: Fill Missing Images\n\n2 generated, 0 failed/);
    assert.match(report, /\nReview \(gemini-3\.1-flash-lite\): 1 failed, 0 not reviewed, 1 passed · ≈ \$0\.\d{4} for reviews\n/);
    const failed = report.indexOf('## Failed review');
    const passed = report.indexOf('## Passed review');
    assert.ok(failed > 0 && passed > failed, report);
    assert.ok(report.includes('- <img src="../docs/img/sign.png" width="160" alt="A shop sign that says &quot;Welcome&quot; [review:fail]"> `docs/img/sign.png` — A shop sign that says "Welcome" \\[review:fail\\]'), report);
    assert.ok(report.includes('  - `text` The picture reads "Welcom", not "Welcome": the last letter is missing.'), report);
    assert.ok(report.includes('<img src="../docs/img/light%20house.png" width="160" alt="a lighthouse at dusk">'), report);
    // Each thumbnail's link leads to the file, from the report's folder.
    for (const [, src] of report.matchAll(/<img src="([^"]+)"/g)) {
      assert.ok(fs.existsSync(path.join(dir, 'reports', decodeURIComponent(src))), src);
    }
    // On the terminal: the failed verdict under its picture, the reviews in sum.
    assert.match(r.stdout, /made docs\/img\/sign\.png \([^)]+\)\n {2}review failed: The picture reads "Welcom", not "Welcome": the last letter is missing\./);
    assert.match(r.stderr, /Reviewed: 1 passed · 1 failed · 0 not reviewed · 0 made again \(0 kept\) · reviews ≈ \$0\.\d{4}/);
  });

  it('generate --review report prints a failed verdict and its reasons; the file keeps it; still exit 0 with the path and link', async () => {
    const dir = tree({});
    const r = await illustrate(dir, ['generate', 'A shop sign that says "Welcome" [review:fail]', '-o', 'art/sign.png', '--review', 'report'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual(r.stdout.trim().split('\n'), ['art/sign.png', '![A shop sign that says "Welcome" \\[review:fail\\]](art/sign.png)']);
    assert.match(r.stderr, /\nreview failed: The picture reads "Welcom", not "Welcome": the last letter is missing\.\n?$/);
    assert.strictEqual(readProvenance(fs.readFileSync(path.join(dir, 'art/sign.png')))?.review?.status, 'fail');
    assert.strictEqual(fake.requests.filter(imageCall).length, 1, 'report makes nothing again');
    const json = await illustrate(dir, ['generate', 'a lighthouse at dusk', '-o', 'art/light.png', '--json'], env());
    const data = JSON.parse(json.stdout) as { review: JsonReview };
    assert.strictEqual(data.review.status, 'pass');
    assert.strictEqual(data.review.model, 'gemini-3.1-flash-lite');
    assert.ok((data.review.cost ?? 0) > 0);
  });

  it('generate --review retry: the better picture is written, once', async () => {
    const dir = tree({});
    const r = await illustrate(dir, ['generate', DOOR_PROMPT, '-o', 'art/door.png', '--review', 'retry', '--json'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    const data = JSON.parse(r.stdout) as { review: JsonReview };
    assert.strictEqual(data.review.status, 'pass');
    assert.strictEqual(data.review.retry?.kept, 'retry');
    assert.strictEqual(fake.requests.filter(imageCall).length, 2);
    assert.deepStrictEqual(files(dir), ['art/door.png']);
    assert.strictEqual(readProvenance(fs.readFileSync(path.join(dir, 'art/door.png')))?.review?.status, 'pass');
  });

  it('--review off sends no review call and writes no verdict; a wrong mode is a usage error (exit 2); the plan prices the reviews', async () => {
    const dir = tree({ 'page.md': `![${SIGN}](img/sign.png)\n` });
    const off = await illustrate(dir, ['fill', '--yes', '--json', '--review', 'off'], env());
    assert.strictEqual(off.code, 0, off.stderr);
    assert.strictEqual(reviews().length, 0);
    const out = JSON.parse(off.stdout) as { made: { review?: unknown }[]; review: unknown; plan: { review: unknown } };
    assert.strictEqual(out.made[0].review, undefined);
    assert.strictEqual(out.review, null);
    assert.strictEqual(out.plan.review, null);
    assert.strictEqual(readProvenance(fs.readFileSync(path.join(dir, 'img/sign.png')))?.review, undefined);
    const gen = await illustrate(dir, ['generate', 'a red kite', '-o', 'kite.png', '--review', 'off'], env());
    assert.strictEqual(gen.code, 0, gen.stderr);
    assert.ok(!/review/.test(gen.stderr), gen.stderr);
    assert.strictEqual(reviews().length, 0);

    const wrong = await illustrate(dir, ['fill', '--review', 'always'], env());
    assert.strictEqual(wrong.code, 2);
    assert.match(wrong.stderr, /--review takes off, report or retry\./);

    const planned = tree({ 'page.md': '![a fox](a.png)\n![an owl](b.png)\n' });
    fake.reset();
    const dry = await illustrate(planned, ['fill', '--dry-run', '--json', '--review', 'retry'], env());
    const plan = (JSON.parse(dry.stdout) as { plan: { estimatedCost: number; review: { mode: string; model: string; perImage: number; cost: number; retriesAtMost: number } } }).plan;
    assert.strictEqual(plan.review.mode, 'retry');
    assert.strictEqual(plan.review.model, 'gemini-3.1-flash-lite');
    assert.ok(plan.review.perImage > 0 && plan.review.perImage < 0.001, String(plan.review.perImage));
    assert.ok(Math.abs(plan.review.cost - 2 * plan.review.perImage) < 1e-12);
    assert.ok(plan.review.retriesAtMost > plan.estimatedCost, 'every picture made once more, and reviewed');
    assert.strictEqual(fake.requests.length, 0, 'a plan spends nothing');
    const text = await illustrate(planned, ['fill', '--dry-run'], env());
    assert.match(text.stdout, /\n {2}review: report with gemini-3\.1-flash-lite · ≈ \$0\.000\d an image\n/);
  });
});

describe('illustrate mcp: fill_missing_images and generate_image carry the verdicts', function () {
  this.timeout(60_000);
  const { url } = standIn();

  it('each made picture with its verdict and reasons in structuredContent, the reviews in sum; a failed one in the text', async () => {
    const dir = tree({ 'a.md': `![${SIGN}](img/sign.png)\n![a fox](img/fox.png)\n` });
    const env = cliEnv({ ILLUSTRATE_API_KEY: FAKE_KEY, ILLUSTRATE_BASE_URL: url() }) as Record<string, string>;
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd: dir, env, stderr: 'pipe' });
    const client = new Client({ name: 'illustrate-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      await client.listTools();
      const ran = (await client.callTool({ name: 'fill_missing_images', arguments: {} })) as unknown as { content: { type: string; text?: string }[]; structuredContent: Record<string, unknown>; isError?: boolean };
      const text = ran.content.flatMap((c) => (c.type === 'text' ? [c.text ?? ''] : [])).join('\n');
      assert.ok(!ran.isError, text);
      assert.match(text, /^Filled 2 of 2 · 0 failed · 0 not started · cost ≈ \$0\.\d+ \(estimated ≈ \$0\.\d+ before the run, its reviews included\)\n/);
      assert.match(text, /\nreviewed: 1 passed · 1 failed · 0 not reviewed · 0 made again \(0 kept\) · reviews ≈ \$0\.\d{4}/);
      assert.match(text, /made img\/sign\.png — [^\n]+\n {2}review failed: The picture reads "Welcom", not "Welcome"/);
      const data = ran.structuredContent as { made: { file: string; uri: string; review: JsonReview }[]; review: { passed: number; failed: number; cost: number }; review_plan: { mode: string; per_image: number } };
      const byFile = new Map(data.made.map((m) => [m.file, m]));
      assert.strictEqual(byFile.get('img/sign.png')?.review.status, 'fail');
      assert.strictEqual(byFile.get('img/sign.png')?.review.problems[0].kind, 'text');
      assert.match(byFile.get('img/sign.png')?.review.problems[0].reason ?? '', /Welcom/);
      assert.strictEqual(byFile.get('img/fox.png')?.review.status, 'pass');
      assert.strictEqual(byFile.get('img/fox.png')?.uri, pathToFileURL(path.join(dir, 'img/fox.png')).href);
      assert.deepStrictEqual([data.review.passed, data.review.failed], [1, 1]);
      assert.ok(data.review.cost > 0);
      assert.strictEqual(data.review_plan.mode, 'report');
      assert.ok(data.review_plan.per_image > 0);

      const one = (await client.callTool({ name: 'generate_image', arguments: { prompt: 'a red kite', path: 'kite.png', review: 'retry' } })) as unknown as { structuredContent: { review: JsonReview } };
      assert.strictEqual(one.structuredContent.review.status, 'pass');
      assert.strictEqual(one.structuredContent.review.mode, 'retry');
      const off = (await client.callTool({ name: 'generate_image', arguments: { prompt: 'an owl', path: 'owl.png', review: 'off' } })) as unknown as { structuredContent: Record<string, unknown> };
      assert.strictEqual(off.structuredContent.review, undefined);
    } finally {
      await client.close();
    }
  });
});
