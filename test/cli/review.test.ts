/**
 * `illustrate review` and the MCP `review_images`: the pictures already in the docs reviewed
 * against their words (Illustrate's against the prompt in their record, others against their alt
 * text), with plan, cost, question and report; the verdict kept in the record of Illustrate's
 * images, and `illustrate check` then listing the one that failed. The real CLI against the stand-in.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { readProvenance } from '../../src/core/images/metadata';
import { estimateReviewCost, reviewInstruction } from '../../src/core/review/review';
import { makePng } from '../fake-gemini/images';
import { FAKE_KEY } from '../fake-gemini/server';
import { BIN, cliEnv, illustrate, standIn, tree } from '../fixtures/cli';

const SIGN = 'A shop sign that says "Welcome" above a blue door (review:fail)';
const DOOR = 'A blue wooden door with a brass handle';
const PHOTO = 'The team at the summer meetup';
const PAGE = `# Visit us\n\n![${SIGN}](img/sign.png)\n\n![${DOOR}](img/door.png)\n\n![${PHOTO}](img/photo.png)\n\n![](img/logo.png)\n`;
const FAIL_REASON = 'The picture reads "Welcom", not "Welcome": the last letter is missing.';

interface ReviewJson {
  plan: { documents: number; model: string; cost: number | null; images: { file: string; format: string; against: string; prompt: string; links: { document: string; line: number }[] }[]; skipped: { file: string; document: string; line: number; reason: string }[] };
  ran: boolean;
  reviewed?: { file: string; status: string; problems?: { kind: string; reason: string }[]; reason?: string; model: string | null; cost: number | null; date?: string; kept: boolean }[];
  failed?: { file: string | null; message: string }[];
  cost?: number;
}

describe('illustrate review', function () {
  this.timeout(90_000);
  const { fake, env, url } = standIn();
  /** The calls that spend: generateContent (a model list is free). */
  const spent = () => fake.requests.filter((r) => r.url.includes(':generateContent'));

  /**
   * A page with two pictures Illustrate made from their alt texts (`illustrate fill`, reviews off
   * so the fill itself reviews nothing), one set to fail its review; a photo from elsewhere with an
   * alt text; a logo with none.
   */
  async function docs(): Promise<string> {
    const dir = tree({ 'docs/page.md': PAGE, 'docs/img/photo.png': makePng(1200, 800), 'docs/img/logo.png': makePng(64, 64), '.vscode/settings.json': JSON.stringify({ 'illustrate.review': 'off' }) });
    const made = await illustrate(dir, ['fill', '--yes'], env());
    assert.strictEqual(made.code, 0, made.stderr);
    assert.ok(readProvenance(fs.readFileSync(path.join(dir, 'docs/img/sign.png')))?.prompt === SIGN);
    fake.reset();
    return dir;
  }

  it('--dry-run shows the plan, the model and the cost, and spends nothing', async () => {
    const dir = await docs();
    const before = fs.readFileSync(path.join(dir, 'docs/img/sign.png'));
    const dry = await illustrate(dir, ['review', '--dry-run'], env());
    assert.strictEqual(dry.code, 0, dry.stderr);
    const cost = estimateReviewCost('gemini-3.1-flash-lite', [
      { prompt: SIGN, from: 'prompt' },
      { prompt: DOOR, from: 'prompt' },
      { prompt: PHOTO, from: 'alt' },
    ])!;
    assert.deepStrictEqual(dry.stdout.trim().split('\n'), [
      `3 images to review in 1 document · gemini-3.1-flash-lite · ≈ $${cost.toFixed(4)}`,
      `  docs/img/sign.png  against its prompt: ${SIGN}`,
      `  docs/img/door.png  against its prompt: ${DOOR}`,
      `  docs/img/photo.png  against its alt text: ${PHOTO}`,
      '  - docs/img/logo.png: no words to review it against: Illustrate did not make it, and no link gives it an alt text that describes it',
    ]);
    assert.strictEqual(spent().length, 0, 'a dry run reviews nothing');
    // Without --yes and without a terminal: the plan, and nothing spent.
    const asked = await illustrate(dir, ['review'], env());
    assert.strictEqual(asked.code, 0);
    assert.match(asked.stderr, /nothing was reviewed\. Run again with --yes/);
    assert.strictEqual(spent().length, 0);
    assert.ok(fs.readFileSync(path.join(dir, 'docs/img/sign.png')).equals(before));
  });

  it('--yes reviews each picture once against its words, reports the failure with its reason (exit 1), keeps each verdict in Illustrate\'s images; check then lists the failed one', async () => {
    const dir = await docs();
    const photoBefore = fs.readFileSync(path.join(dir, 'docs/img/photo.png'));
    const ran = await illustrate(dir, ['review', '--yes'], env());
    assert.strictEqual(ran.code, 1, ran.stderr);
    assert.deepStrictEqual(ran.stdout.trim().split('\n'), [`fail docs/img/sign.png: text: ${FAIL_REASON}`, 'pass docs/img/door.png', 'pass docs/img/photo.png']);
    assert.match(ran.stderr, /illustrate review: 3 of 3 reviewed · 2 passed · 1 failed review · 0 not reviewed · ≈ \$0\.00\d\d · not kept for 1 \(images Illustrate did not make carry no record\)$/m);

    // One call per picture, to the text model, each against its own words.
    const calls = spent();
    assert.strictEqual(calls.length, 3);
    assert.ok(calls.every((c) => c.url.endsWith('/gemini-3.1-flash-lite:generateContent')));
    const instructions = calls.map((c) => (c.body as { contents: { parts: { text?: string }[] }[] }).contents[0].parts[0].text).sort();
    assert.deepStrictEqual(instructions, [reviewInstruction({ prompt: SIGN, from: 'prompt' }), reviewInstruction({ prompt: DOOR, from: 'prompt' }), reviewInstruction({ prompt: PHOTO, from: 'alt' })].sort());

    const sign = readProvenance(fs.readFileSync(path.join(dir, 'docs/img/sign.png')));
    assert.deepStrictEqual(sign?.review && { ...sign.review, date: typeof sign.review.date }, { status: 'fail', problems: [{ kind: 'text', reason: FAIL_REASON }], model: 'gemini-3.1-flash-lite', date: 'string' });
    assert.strictEqual(sign?.prompt, SIGN, 'the rest of the record stays');
    assert.strictEqual(readProvenance(fs.readFileSync(path.join(dir, 'docs/img/door.png')))?.review?.status, 'pass');
    assert.ok(fs.readFileSync(path.join(dir, 'docs/img/photo.png')).equals(photoBefore), 'an image Illustrate did not make is not written to');

    fake.reset();
    const check = await illustrate(dir, ['check'], env());
    assert.strictEqual(check.code, 1);
    assert.deepStrictEqual(check.stdout.trim().split('\n'), [
      `docs/page.md:3  ![${SIGN}](img/sign.png)  — its last review failed: ${FAIL_REASON.slice(0, -1)} (make it again, then run illustrate review)`,
      'docs/page.md:9  ![](img/logo.png)  — the image has no alt text: readers who cannot see it get nothing (illustrate alt)',
    ]);
    assert.match(check.stderr, / · 1 whose last review failed$/m);
    const only = await illustrate(dir, ['check', '--only', 'review', '--json'], env());
    assert.deepStrictEqual((JSON.parse(only.stdout) as { findings: { kind: string; file: string; line: number }[] }).findings.map((f) => [f.kind, f.file, f.line]), [['reviewFailed', 'docs/img/sign.png', 3]]);
    assert.strictEqual(spent().length, 0, 'check spends nothing');

    // Once the picture passes (here: the marker gone from its record's prompt and page), check has nothing more to say about it.
    const fixedPage = PAGE.replace(SIGN, SIGN.replace(' (review:fail)', ''));
    fs.writeFileSync(path.join(dir, 'docs/page.md'), fixedPage);
    fs.rmSync(path.join(dir, 'docs/img/sign.png'));
    assert.strictEqual((await illustrate(dir, ['fill', '--yes'], env())).code, 0);
    const again = await illustrate(dir, ['review', 'docs', '--yes'], env());
    assert.strictEqual(again.code, 0, again.stdout);
    assert.strictEqual((await illustrate(dir, ['check', '--only', 'review'], env())).code, 0);
  });

  it('--json: the plan, and each verdict with its problems, model, cost and whether it was kept', async () => {
    const dir = await docs();
    const r = await illustrate(dir, ['review', '--yes', '--json'], env());
    assert.strictEqual(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as ReviewJson;
    assert.strictEqual(out.ran, true);
    assert.strictEqual(out.plan.model, 'gemini-3.1-flash-lite');
    assert.deepStrictEqual(out.plan.images.map((i) => [i.file, i.format, i.against, i.prompt, i.links]), [
      ['docs/img/sign.png', 'png', 'record', SIGN, [{ document: 'docs/page.md', line: 3 }]],
      ['docs/img/door.png', 'png', 'record', DOOR, [{ document: 'docs/page.md', line: 5 }]],
      ['docs/img/photo.png', 'png', 'alt', PHOTO, [{ document: 'docs/page.md', line: 7 }]],
    ]);
    assert.deepStrictEqual(out.plan.skipped.map((k) => [k.file, k.document, k.line]), [['docs/img/logo.png', 'docs/page.md', 9]]);
    const reviewed = out.reviewed ?? [];
    assert.deepStrictEqual(
      reviewed.map((v) => [v.file, v.status, v.problems, v.model, v.kept]),
      [
        ['docs/img/sign.png', 'fail', [{ kind: 'text', reason: FAIL_REASON }], 'gemini-3.1-flash-lite', true],
        ['docs/img/door.png', 'pass', [], 'gemini-3.1-flash-lite', true],
        ['docs/img/photo.png', 'pass', [], 'gemini-3.1-flash-lite', false],
      ],
    );
    assert.ok(reviewed.every((v) => typeof v.cost === 'number' && v.cost > 0 && v.cost < 0.002 && typeof v.date === 'string'));
    assert.deepStrictEqual(out.failed, []);
    assert.ok(Math.abs((out.cost ?? 0) - reviewed.reduce((sum, v) => sum + (v.cost ?? 0), 0)) < 1e-12);
  });

  it('a picture the reviewer gives no verdict on is "not reviewed" (exit 1), never a pass, and its record keeps the review it had', async () => {
    const dir = tree({ 'docs/a.md': '![A lighthouse at dusk (review:malformed)](img/a.png)\n', '.vscode/settings.json': JSON.stringify({ 'illustrate.review': 'off' }) });
    assert.strictEqual((await illustrate(dir, ['fill', '--yes'], env())).code, 0);
    const before = fs.readFileSync(path.join(dir, 'docs/img/a.png'));
    const r = await illustrate(dir, ['review', '--yes'], env());
    assert.strictEqual(r.code, 1);
    assert.strictEqual(r.stdout.trim(), 'not reviewed docs/img/a.png: the reviewer\'s answer was not a verdict');
    assert.ok(fs.readFileSync(path.join(dir, 'docs/img/a.png')).equals(before));
    // A refused key stops the run: exit 3, nothing written.
    const refused = await illustrate(dir, ['review', '--yes'], env({ ILLUSTRATE_API_KEY: 'wrong-key', ILLUSTRATE_REVIEW_MODEL: 'gemini-3.1-flash-lite' }));
    assert.strictEqual(refused.code, 3, refused.stderr);
  });

  it('MCP review_images: a dry run plans and spends nothing; a run returns each verdict as structured content; max_cost is held to the worst case', async () => {
    const dir = await docs();
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd: dir, env: cliEnv({ ILLUSTRATE_API_KEY: FAKE_KEY, ILLUSTRATE_BASE_URL: url() }) as Record<string, string>, stderr: 'pipe' });
    const client = new Client({ name: 'illustrate-test', version: '1.0.0' }, { capabilities: {} });
    await client.connect(transport);
    try {
      type Result = { content: { type: string; text?: string }[]; structuredContent?: Record<string, unknown>; isError?: boolean };
      const call = async (args: Record<string, unknown>): Promise<Result> => (await client.callTool({ name: 'review_images', arguments: args })) as Result;
      const dry = await call({ dry_run: true });
      assert.strictEqual(dry.isError, undefined);
      assert.match(dry.content[0].text ?? '', /^3 image\(s\) to review in 1 document\(s\) · gemini-3\.1-flash-lite · estimated ≈ \$0\.00/);
      assert.deepStrictEqual((dry.structuredContent?.planned as { file: string; against: string }[]).map((p) => [p.file, p.against]), [
        ['docs/img/sign.png', 'record'],
        ['docs/img/door.png', 'record'],
        ['docs/img/photo.png', 'alt'],
      ]);
      assert.strictEqual(spent().length, 0);

      const tooLittle = await call({ max_cost: 0.001 });
      assert.strictEqual(tooLittle.isError, true);
      assert.match(tooLittle.content[0].text ?? '', /^Nothing was reviewed: 3 reviews could cost up to ≈ \$0\.0\d+ \(each answer at most 2,048 output tokens; estimated ≈ \$0\.00\d+\), above max_cost \(\$0\.001\)/);
      assert.strictEqual(spent().length, 0);

      const ran = await call({ max_cost: 0.05 });
      assert.strictEqual(ran.isError, undefined, ran.content[0].text);
      const facts = ran.structuredContent as { dry_run: boolean; reviewed: { file: string; status: string; problems: { kind: string; reason: string }[]; kept: boolean; cost?: number }[]; cost: number };
      assert.strictEqual(facts.dry_run, false);
      assert.deepStrictEqual(facts.reviewed.map((v) => [v.file, v.status, v.problems, v.kept]), [
        ['docs/img/sign.png', 'fail', [{ kind: 'text', reason: FAIL_REASON }], true],
        ['docs/img/door.png', 'pass', [], true],
        ['docs/img/photo.png', 'pass', [], false],
      ]);
      assert.ok(facts.cost > 0 && facts.cost < 0.005);
      assert.match(ran.content[0].text ?? '', /^Reviewed 3 of 3 · 2 passed · 1 failed review · 0 not reviewed/);
      assert.ok((ran.content[0].text ?? '').includes(`fail docs/img/sign.png: text: ${FAIL_REASON}`));
      assert.strictEqual(spent().length, 3);
      assert.strictEqual(readProvenance(fs.readFileSync(path.join(dir, 'docs/img/sign.png')))?.review?.status, 'fail');

      const check = (await client.callTool({ name: 'check_images', arguments: { only: ['review'] } })) as Result;
      assert.deepStrictEqual((check.structuredContent?.findings as { kind: string; file: string }[]).map((f) => [f.kind, f.file]), [['reviewFailed', 'docs/img/sign.png']]);
    } finally {
      await client.close();
    }
  });
});
