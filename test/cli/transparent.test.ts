/**
 * Transparent backgrounds through the command line, against the stand-in: it renders a known
 * transparent picture over the backdrop a request asks for (white for the first render, black for
 * the edit), so the two renders matted give a real transparent file, decoded here by sharp.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fingerprint, readProvenance } from '../../src/core/images/metadata';
import { composeOver, makeJpeg, rgbPng, sprite } from '../fake-gemini/images';
import { isReviewCall } from '../fake-gemini/review';
import { RecordedRequest } from '../fake-gemini/server';
import { files, illustrate, standIn, tree } from '../fixtures/cli';
import { alphaAt, decodeImage } from '../fixtures/pixels';

interface Sent {
  readonly prompt: string;
  readonly images: Buffer[];
}

/** What each image request sent (not a review of the picture): its prompt and the pictures in it. */
function sent(requests: readonly RecordedRequest[]): Sent[] {
  return requests
    .filter((r) => r.url.includes(':generateContent') && !isReviewCall(r.body))
    .map((r) => {
      const parts = (r.body as { contents: { parts: { text?: string; inlineData?: { data: string } }[] }[] }).contents[0].parts;
      return { prompt: parts.map((p) => p.text ?? '').join(' '), images: parts.filter((p) => p.inlineData).map((p) => Buffer.from(p.inlineData!.data, 'base64')) };
    });
}

/** The file's four corners are clear and its centre opaque: what a reader sees as a picture with no background. */
async function assertTransparent(file: string): Promise<void> {
  const image = await decodeImage(fs.readFileSync(file));
  const { width: w, height: h } = image;
  for (const [x, y] of [[0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1]]) {
    assert.strictEqual(alphaAt(image, x, y), 0, `the corner at ${x},${y} is clear`);
  }
  assert.strictEqual(alphaAt(image, Math.floor(w / 2), Math.floor(h / 2)), 255, 'the centre is opaque');
}

describe('transparent backgrounds, through the command line', function () {
  this.timeout(60_000);
  const { fake, env } = standIn();

  it('generate --transparent writes a PNG with clear corners and an opaque centre, from a render on white and its edit onto black (--json)', async () => {
    const dir = tree({});
    const r = await illustrate(dir, ['generate', 'a round orange logo', '--transparent', '-o', 'art/logo.png', '--json'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepStrictEqual(
      { file: out.file, link: out.link, format: out.format, transparent: out.transparent, requests: out.requests },
      { file: 'art/logo.png', link: '![a round orange logo](art/logo.png)', format: 'png', transparent: true, requests: 2 },
    );
    assert.strictEqual(typeof out.cost, 'number');
    const file = path.join(dir, 'art/logo.png');
    await assertTransparent(file);
    // Two calls: the picture asked for on pure white, then that very render sent back to be put on black.
    const calls = sent(fake.requests);
    assert.strictEqual(calls.length, 2);
    assert.match(calls[0].prompt, /^a round orange logo\n\n.*pure white \(#FFFFFF\) background/);
    assert.strictEqual(calls[0].images.length, 0);
    assert.match(calls[1].prompt, /from pure white \(#FFFFFF\) to pure black \(#000000\)\. Keep every other pixel exactly as it is/);
    assert.strictEqual(calls[1].images.length, 1);
    // The record: the prompt as written (the alt text), transparent, and both calls' cost.
    const meta = readProvenance(fs.readFileSync(file));
    assert.strictEqual(meta?.prompt, 'a round orange logo');
    assert.strictEqual(meta?.transparent, true);
    assert.ok(meta?.cost !== undefined && Math.abs(meta.cost - (out.cost as number)) < 1e-9);
    assert.deepStrictEqual(files(dir), ['art/logo.png']);
    // Reviewed like any new picture ("illustrate.review" is "report" by default): the verdict is in its record.
    assert.strictEqual(fake.requests.filter((r) => isReviewCall(r.body)).length, 1);
    assert.strictEqual(meta?.review?.status, 'pass');
  });

  it('generate --transparent -o NAME.webp writes a WebP with alpha; the summary line says transparent, two calls', async () => {
    const dir = tree({});
    const r = await illustrate(dir, ['generate', 'a round orange logo', '--transparent', '-o', 'art/logo.webp'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual(r.stdout.trim().split('\n'), ['art/logo.webp', '![a round orange logo](art/logo.webp)']);
    assert.match(r.stderr, /^\d+×\d+ WEBP · transparent \(2 image calls\) · .* · ≈ \$/);
    await assertTransparent(path.join(dir, 'art/logo.webp'));
    assert.strictEqual(readProvenance(fs.readFileSync(path.join(dir, 'art/logo.webp')))?.transparent, true);
  });

  it('asking for a JPEG with transparency (-o x.jpg, --format jpeg, a link to a .jpg) is exit 2 before any request; the setting alone makes a PNG', async () => {
    const page = '# Brand\n\n![a round orange logo](img/logo.jpg)\n';
    const dir = tree({ 'docs/brand.md': page });
    for (const args of [['-o', 'art/logo.jpg'], ['-o', 'art/logo.png', '--format', 'jpeg'], ['--into', 'docs/brand.md']]) {
      const r = await illustrate(dir, ['generate', 'a round orange logo', '--transparent', ...args], env());
      assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.strictEqual(r.stderr.trim(), 'illustrate: A JPEG cannot hold a transparent background: ask for a .png or .webp file instead.');
    }
    assert.strictEqual(fake.requests.length, 0, 'the stand-in saw no request');
    assert.deepStrictEqual(files(dir), ['docs/brand.md']);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'docs/brand.md'), 'utf8'), page);
    // "illustrate.output.format": "jpeg" is a default, not this image's ask: a transparent one is a PNG.
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode/settings.json'), '{ "illustrate.output.format": "jpeg" }');
    const r = await illustrate(dir, ['generate', 'a round orange logo', '--transparent', '--json'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    const file = (JSON.parse(r.stdout) as { file: string }).file;
    assert.match(file, /^images\/.*\.png$/);
    await assertTransparent(path.join(dir, file));
  });

  it('when the two renders do not line up, nothing is written and the message says so (exit 1)', async () => {
    const dir = tree({ 'docs/brand.md': '# Brand\n' });
    fake.script('ok', 'misaligned');
    const r = await illustrate(dir, ['generate', 'a round orange logo', '--transparent', '-o', 'art/logo.png', '--into', 'docs/brand.md'], env());
    assert.strictEqual(r.code, 1, r.stderr);
    assert.match(r.stderr, /^illustrate: The two renders did not line up: the model moved or redrew part of the picture when it changed the background \(\d+% of its pixels disagree\), so no transparent image was written\. Try again \(the two requests cost ≈ \$[\d.]+\)\.\n$/);
    assert.strictEqual(r.stdout, '');
    assert.strictEqual(sent(fake.requests).length, 2);
    assert.deepStrictEqual(files(dir), ['docs/brand.md']);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'docs/brand.md'), 'utf8'), '# Brand\n', 'no link either');
  });

  it('with "illustrate.transparentBackground" on, fill makes a missing PNG link transparent (two image calls, both in the plan\'s cost); a .jpg link fails saying why, nothing bought for it', async () => {
    const page = '# Brand\n\n![a round orange logo](img/logo.png)\n\n![a blue square badge](img/badge.jpg)\n';
    const off = tree({ 'docs/brand.md': page });
    const on = tree({ 'docs/brand.md': page, '.vscode/settings.json': '{ "illustrate.transparentBackground": true, "illustrate.review": "off" }' });
    const cost = async (dir: string): Promise<number> => {
      const r = await illustrate(dir, ['fill', 'docs', '--dry-run', '--json'], env());
      assert.strictEqual(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as { plan: { estimatedCost: number } }).plan.estimatedCost;
    };
    const [plain, transparent] = [await cost(off), await cost(on)];
    assert.ok(transparent > plain * 1.9, `the plan prices two calls a picture: ${transparent} against ${plain}`);
    const r = await illustrate(on, ['fill', 'docs', '--yes'], env());
    assert.strictEqual(r.code, 1, r.stderr);
    assert.match(r.stdout, /failed docs\/img\/badge\.jpg: A JPEG cannot hold a transparent background: ask for a \.png or \.webp file instead\./);
    await assertTransparent(path.join(on, 'docs/img/logo.png'));
    assert.strictEqual(readProvenance(fs.readFileSync(path.join(on, 'docs/img/logo.png')))?.transparent, true);
    const calls = sent(fake.requests);
    assert.strictEqual(calls.length, 2, 'two calls, both for the PNG');
    assert.match(calls[0].prompt, /^a round orange logo\n\n.*pure white/);
    assert.deepStrictEqual(files(on), ['.vscode/settings.json', 'docs/brand.md', 'docs/img/logo.png']);
    assert.strictEqual(fs.readFileSync(path.join(on, 'docs/brand.md'), 'utf8'), page);
  });

  describe('variants IMAGE… --transparent', () => {
    // An image already there: the stand-in's picture on a grey-blue backdrop, linked from a page.
    const logo = rgbPng(composeOver(sprite(300, 200), [90, 110, 140]));
    const page = '# Brand\n\n![the company logo](img/logo.png)\n\n![a photo of the office](img/office.jpg)\n';
    const docs = (): string => tree({ 'docs/brand.md': page, 'docs/img/logo.png': logo, 'docs/img/office.jpg': makeJpeg(64, 64), 'docs/img/anim.gif': 'GIF89a' });

    it('--dry-run shows the plan with the two calls each and their cost, and sends nothing', async () => {
      const dir = docs();
      const r = await illustrate(dir, ['variants', 'docs/img/logo.png', 'docs/img/anim.gif', 'docs/img/missing.png', '--transparent', '--dry-run'], env());
      assert.strictEqual(r.code, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.match(lines[0], /^1 image to make transparent · 2 image calls \(each image: an edit onto white, then one onto black\) · \S+ .*· ≈ \$\d/);
      assert.deepStrictEqual(lines.slice(1), ['  + docs/img/logo.png → replaced by a PNG with alpha', '  - docs/img/anim.gif: not a PNG, JPEG or WebP image', '  - docs/img/missing.png: no such file']);
      assert.strictEqual(fake.requests.length, 0);
      assert.ok(fs.readFileSync(path.join(dir, 'docs/img/logo.png')).equals(logo), 'the image is as it was');
    });

    it('--dry-run --json: the plan as JSON (calls, cost, each image and where it goes); without --yes off a terminal nothing is made', async () => {
      const dir = docs();
      const r = await illustrate(dir, ['variants', 'docs/img/logo.png', '--transparent', '--dry-run', '--json'], env());
      assert.strictEqual(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { ran: boolean; plan: { calls: number; estimatedCost: number; model: string; images: unknown[]; skipped: unknown[] } };
      assert.strictEqual(out.ran, false);
      assert.strictEqual(out.plan.calls, 2);
      assert.ok(out.plan.estimatedCost > 0);
      assert.deepStrictEqual(out.plan.images, [{ file: 'docs/img/logo.png', out: 'docs/img/logo.png', format: 'png', replaces: true, prompt: 'the company logo', calls: 2 }]);
      assert.deepStrictEqual(out.plan.skipped, []);
      const asked = await illustrate(dir, ['variants', 'docs/img/logo.png', '--transparent'], env());
      assert.strictEqual(asked.code, 0, asked.stderr);
      assert.match(asked.stderr, /nothing was made\. Run again with --yes/);
      assert.strictEqual(fake.requests.length, 0);
    });

    it('a JPEG kept a JPEG is exit 2 before anything is sent; -o NAME.png plans a new file', async () => {
      const dir = docs();
      const r = await illustrate(dir, ['variants', 'docs/img/office.jpg', '--transparent', '--dry-run'], env());
      assert.strictEqual(r.code, 2, r.stderr);
      assert.strictEqual(r.stderr.trim(), 'illustrate: docs/img/office.jpg is a JPEG, which cannot hold a transparent background: name a .png or .webp file for it with -o.');
      const named = await illustrate(dir, ['variants', 'docs/img/office.jpg', '--transparent', '--dry-run', '-o', 'docs/img/office.png'], env());
      assert.strictEqual(named.code, 0, named.stderr);
      assert.match(named.stdout, /\+ docs\/img\/office\.jpg → docs\/img\/office\.png/);
      for (const bad of [['-o', 'docs/img/office-2.jpg'], ['-o', 'x.png', 'docs/img/logo.png']]) {
        const u = await illustrate(dir, ['variants', 'docs/img/office.jpg', '--transparent', ...bad], env());
        assert.strictEqual(u.code, 2, u.stderr);
      }
      assert.strictEqual((await illustrate(dir, ['variants', 'docs/img/logo.png'], env())).code, 2, 'no kind of variant');
      assert.strictEqual(fake.requests.length, 0);
    });

    it('--yes --json: the image is replaced by a PNG with alpha, its record keeps its alt text and its source, the page is untouched', async () => {
      const dir = docs();
      const r = await illustrate(dir, ['variants', 'docs/img/logo.png', '--transparent', '--yes', '--json'], env());
      assert.strictEqual(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { ran: boolean; made: Record<string, unknown>[]; failed: unknown[]; cost: number };
      assert.strictEqual(out.ran, true);
      assert.deepStrictEqual(out.failed, []);
      assert.deepStrictEqual(
        { ...out.made[0], bytes: undefined, cost: undefined },
        { file: 'docs/img/logo.png', source: 'docs/img/logo.png', width: 300, height: 200, format: 'png', bytes: undefined, transparent: true, requests: 2, cost: undefined },
      );
      assert.ok(out.cost > 0);
      const file = path.join(dir, 'docs/img/logo.png');
      await assertTransparent(file);
      const meta = readProvenance(fs.readFileSync(file));
      assert.deepStrictEqual({ prompt: meta?.prompt, transparent: meta?.transparent, source: meta?.edit?.source }, { prompt: 'the company logo', transparent: true, source: fingerprint(logo) });
      // Two edits: the picture as it is onto white, then that render onto black.
      const calls = sent(fake.requests);
      assert.strictEqual(calls.length, 2);
      assert.ok(calls[0].images[0].equals(logo), 'the first edit is of the image itself');
      assert.match(calls[0].prompt, /to plain, pure white \(#FFFFFF\)/);
      assert.match(calls[1].prompt, /to pure black \(#000000\)/);
      assert.strictEqual(fs.readFileSync(path.join(dir, 'docs/brand.md'), 'utf8'), page);
      // Made transparent already: not made again.
      const again = await illustrate(dir, ['variants', 'docs/img/logo.png', '--transparent', '--dry-run'], env());
      assert.match(again.stdout, /^0 images to make transparent.*\n {2}- docs\/img\/logo\.png: already transparent \(Illustrate made it so\)\n$/);
    });

    it('a pair that does not line up leaves the image as it was, and says so (exit 1)', async () => {
      const dir = docs();
      fake.script('ok', 'misaligned');
      const r = await illustrate(dir, ['variants', 'docs/img/logo.png', '--transparent', '--yes'], env());
      assert.strictEqual(r.code, 1, r.stderr);
      assert.match(r.stdout, /^failed docs\/img\/logo\.png: The two renders did not line up: .* so no transparent image was written\. Try again/);
      assert.ok(fs.readFileSync(path.join(dir, 'docs/img/logo.png')).equals(logo), 'the image is as it was');
    });
  });
});
