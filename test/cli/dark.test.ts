/**
 * Dark twins through the command line, on real docs sites (../shared/real-docs) copied into a
 * temporary folder, against the stand-in (it answers a dark-twin edit with a dark picture of the
 * size it was sent): the plan, the twin on disk (dark, the same size, its record tying it to its
 * source), each page changed only by the switch, a twin there not made again, a changed source
 * reported by check and made again by fill --stale.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fingerprint, readProvenance } from '../../src/core/images/metadata';
import { makePng } from '../fake-gemini/images';
import { files, illustrate, standIn } from '../fixtures/cli';
import { decodeImage, maxChannel } from '../fixtures/pixels';
import { SHARED, skipWithoutShared } from '../fixtures/shared';

/** The site's tree in a new temporary folder: its repository folder. */
function extract(name: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `illustrate-dark-${name}-`)));
  execFileSync('tar', ['-xzf', path.join(SHARED, 'real-docs', `${name}.tar.gz`), '-C', dir]);
  return path.join(dir, name);
}

/** Every file's bytes under `dir`, by relative path. */
function snapshot(dir: string): Map<string, Buffer> {
  return new Map(files(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
}

/** The brightest channel of any pixel. */
async function brightest(bytes: Buffer): Promise<{ width: number; height: number; max: number }> {
  const image = await decodeImage(bytes);
  return { width: image.width, height: image.height, max: maxChannel(image) };
}

describe('dark twins, through the command line (variants --dark)', function () {
  this.timeout(120_000);
  if (skipWithoutShared('real-docs')) {
    return;
  }
  const { fake, env } = standIn();

  it('on a GitHub tree (nodebestpractices): --dry-run plans one twin; --yes writes it dark at the same size and wraps the link in <picture>, every other byte unchanged; a second run makes nothing', async () => {
    const dir = extract('nodebestpractices');
    const page = 'sections/projectstructre/wraputilities.md';
    const image = 'assets/images/Privatenpm.png';
    // The tree's images are empty stand-ins: this one becomes a real picture (a light one).
    const source = makePng(160, 96);
    fs.writeFileSync(path.join(dir, image), source);
    const before = snapshot(dir);

    const dry = await illustrate(dir, ['variants', page, '--dark', '--dry-run', '--json'], env());
    assert.strictEqual(dry.code, 0, dry.stderr);
    const plan = JSON.parse(dry.stdout) as { plan: { calls: number; estimatedCost: number | null; twins: { file: string; twin: string; make: boolean; documents: string[]; links: number }[] }; ran: boolean };
    assert.strictEqual(plan.ran, false);
    assert.deepStrictEqual(plan.plan.twins, [{ file: image, twin: 'assets/images/Privatenpm.dark.png', make: true, stale: false, documents: [page], links: 1 }]);
    assert.strictEqual(plan.plan.calls, 1);
    assert.strictEqual(typeof plan.plan.estimatedCost, 'number');
    assert.strictEqual(fake.requests.length, 0, 'a dry run sends nothing');
    assert.deepStrictEqual(snapshot(dir), before, 'a dry run writes nothing');

    const text = await illustrate(dir, ['variants', page, '--dark', '--dry-run'], env());
    assert.match(text.stdout, /^1 dark twin to make · 1 image calls .* · ≈ \$/m);
    assert.match(text.stdout, /^ {2}\+ assets\/images\/Privatenpm\.png → assets\/images\/Privatenpm\.dark\.png · sections\/projectstructre\/wraputilities\.md$/m);

    const ran = await illustrate(dir, ['variants', page, '--dark', '--yes'], env());
    assert.strictEqual(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /made assets\/images\/Privatenpm\.dark\.png \(160×96 PNG\), the dark twin of assets\/images\/Privatenpm\.png/);
    assert.match(ran.stdout, /switched 1 links in sections\/projectstructre\/wraputilities\.md/);
    // One edit call, with the source picture sent and the dark-twin instruction.
    const calls = fake.requests.filter((r) => r.url.includes(':generateContent'));
    assert.strictEqual(calls.length, 1);
    assert.match(JSON.stringify(calls[0].body), /dark-mode twin/);
    // The twin: beside its source, the same size, dark, its record tying it to the source's bytes.
    const twinBytes = fs.readFileSync(path.join(dir, 'assets/images/Privatenpm.dark.png'));
    const pixels = await brightest(twinBytes);
    assert.deepStrictEqual({ width: pixels.width, height: pixels.height, dark: pixels.max <= 40 }, { width: 160, height: 96, dark: true });
    assert.ok((await brightest(source)).max > 200, 'the source is a light picture');
    const meta = readProvenance(twinBytes);
    assert.deepStrictEqual(meta?.twinOf, { kind: 'dark', path: 'Privatenpm.png', source: fingerprint(source) });
    assert.strictEqual(meta?.edit?.source, fingerprint(source));
    // The page: only the link wrapped; its alt text and title as they were; every other file unchanged.
    const after = snapshot(dir);
    const old = before.get(page)!.toString('utf8');
    const link = '![alt text](../../assets/images/Privatenpm.png "Structuring solution by components")';
    assert.ok(old.includes(link));
    assert.strictEqual(after.get(page)!.toString('utf8'), old.replace(link, `<picture><source media="(prefers-color-scheme: dark)" srcset="../../assets/images/Privatenpm.dark.png">${link}</picture>`));
    for (const [f, bytes] of before) {
      if (f !== page) {
        assert.ok(after.get(f)?.equals(bytes), `${f} unchanged`);
      }
    }
    assert.deepStrictEqual([...after.keys()].filter((f) => !before.has(f)), ['assets/images/Privatenpm.dark.png']);

    // A twin there, and its link switching: nothing to make, nothing to ask.
    fake.reset();
    const again = await illustrate(dir, ['variants', page, '--dark', '--yes', '--json'], env());
    assert.strictEqual(again.code, 0, again.stderr);
    const second = JSON.parse(again.stdout) as { plan: { twins: unknown[]; switching: number }; ran: boolean };
    assert.deepStrictEqual([second.plan.twins, second.plan.switching, second.ran], [[], 1, false]);
    assert.strictEqual(fake.requests.length, 0);
    assert.deepStrictEqual(snapshot(dir), after);

    // The source changes: check reports the twin stale; fill --stale makes it again from the new bytes.
    const changed = makePng(160, 96, { tint: 200 });
    fs.writeFileSync(path.join(dir, image), changed);
    const check = await illustrate(dir, ['check', page, '--json', '--only', 'stale'], env());
    assert.strictEqual(check.code, 1, check.stderr);
    const findings = (JSON.parse(check.stdout) as { findings: { kind: string; document: string; link: string; file: string; message: string; fix: string }[] }).findings;
    assert.deepStrictEqual(findings, [{ kind: 'stale', document: page, line: 13, link: findings[0]?.link, file: 'assets/images/Privatenpm.dark.png', message: 'its dark twin Privatenpm.dark.png was made from an older version of this image', fix: 'illustrate fill --stale' }]);
    const fill = await illustrate(dir, ['fill', page, '--stale', '--yes'], env());
    assert.strictEqual(fill.code, 0, fill.stderr);
    const remade = readProvenance(fs.readFileSync(path.join(dir, 'assets/images/Privatenpm.dark.png')));
    assert.strictEqual(remade?.twinOf?.source, fingerprint(changed));
    assert.strictEqual(fs.readFileSync(path.join(dir, page), 'utf8'), after.get(page)!.toString('utf8'), 'the page already switches: unchanged');
    const clean = await illustrate(dir, ['check', page, '--json', '--only', 'stale'], env());
    assert.strictEqual(clean.code, 0, clean.stdout);
  });

  it('on a Docusaurus site (jest): the light link gets #gh-light-mode-only and the twin follows with #gh-dark-mode-only; an empty stand-in image is left out with its reason', async () => {
    const dir = extract('jest');
    const page = 'docs/SnapshotTesting.md';
    fs.writeFileSync(path.join(dir, 'website/static/img/content/failedSnapshotTest.png'), makePng(120, 80));
    const before = fs.readFileSync(path.join(dir, page), 'utf8');
    const dry = await illustrate(dir, ['variants', page, '--dark', '--dry-run', '--json'], env());
    assert.strictEqual(dry.code, 0, dry.stderr);
    const plan = JSON.parse(dry.stdout) as { plan: { twins: { file: string; twin: string }[]; skipped: { file: string; reason: string }[] } };
    assert.deepStrictEqual(plan.plan.twins.map((t) => [t.file, t.twin]), [['website/static/img/content/failedSnapshotTest.png', 'website/static/img/content/failedSnapshotTest.dark.png']]);
    assert.ok(plan.plan.skipped.some((k) => k.file === 'website/static/img/content/interactiveSnapshot.png' && k.reason === 'not a PNG, JPEG or WebP image'), JSON.stringify(plan.plan.skipped));
    const ran = await illustrate(dir, ['variants', page, '--dark', '--yes'], env());
    assert.strictEqual(ran.code, 0, ran.stderr);
    assert.strictEqual(fs.readFileSync(path.join(dir, page), 'utf8'), before.replace('![](/img/content/failedSnapshotTest.png)', '![](/img/content/failedSnapshotTest.png#gh-light-mode-only)![](/img/content/failedSnapshotTest.dark.png#gh-dark-mode-only)'));
    assert.ok(fs.existsSync(path.join(dir, 'website/static/img/content/failedSnapshotTest.dark.png')));

    // The twin is lost (a clone without it): check reports it with the twin's fix; Fill never draws it anew from words; variants --dark makes it again from its picture.
    const twinFile = path.join(dir, 'website/static/img/content/failedSnapshotTest.dark.png');
    fs.rmSync(twinFile);
    const check = await illustrate(dir, ['check', page, '--json', '--only', 'missing'], env());
    assert.strictEqual(check.code, 1, check.stderr);
    const findings = (JSON.parse(check.stdout) as { findings: { kind: string; file: string; message: string; fix: string }[] }).findings;
    assert.deepStrictEqual(
      findings.map((f) => [f.kind, f.file, f.message, f.fix]),
      [['missing', 'website/static/img/content/failedSnapshotTest.dark.png', 'the dark-mode twin failedSnapshotTest.dark.png does not exist', 'illustrate variants --dark']],
    );
    const fill = await illustrate(dir, ['fill', page, '--dry-run', '--json'], env());
    assert.strictEqual(fill.code, 0, fill.stderr);
    const filled = JSON.parse(fill.stdout) as { plan: { targets: { file: string }[]; skipped: { target: string; reason: string }[] } };
    assert.deepStrictEqual(filled.plan.targets, [], 'Fill does not draw the twin from its alt text');
    assert.ok(
      filled.plan.skipped.some((k) => k.target.includes('failedSnapshotTest.dark.png') && k.reason === 'the dark-mode twin of a picture: Make Dark Twins… (illustrate variants --dark) makes it from that picture'),
      JSON.stringify(filled.plan.skipped),
    );
    fake.reset();
    const again = await illustrate(dir, ['variants', page, '--dark', '--yes'], env());
    assert.strictEqual(again.code, 0, again.stderr);
    assert.ok((await brightest(fs.readFileSync(twinFile))).max <= 40, 'made again, dark, from its picture');
    assert.strictEqual(fake.requests.filter((q) => q.url.includes(':generateContent')).length, 1);
  });

  it('generate --into with "illustrate.variants.dark" on: the new picture and its dark twin, the link wrapped in <picture> (a plain tree), the twin in --json', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-dark-generate-')));
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode/settings.json'), '{ "illustrate.variants.dark": true, "illustrate.review": "off" }');
    fs.writeFileSync(path.join(dir, 'README.md'), '# Tool\n\nIntro.\n');
    const r = await illustrate(dir, ['generate', 'the request flow', '-o', 'img/flow.png', '--into', 'README.md:3', '--json'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { file: string; darkTwin?: { file: string; cost?: number } };
    assert.strictEqual(out.file, 'img/flow.png');
    assert.strictEqual(out.darkTwin?.file, 'img/flow.dark.png');
    assert.ok((out.darkTwin?.cost ?? 0) > 0);
    const twin = fs.readFileSync(path.join(dir, 'img/flow.dark.png'));
    assert.ok((await brightest(twin)).max <= 40, 'the twin is dark');
    assert.strictEqual(readProvenance(twin)?.twinOf?.kind, 'dark');
    const page = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    assert.match(page, /<picture><source media="\(prefers-color-scheme: dark\)" srcset="img\/flow\.dark\.png">!\[the request flow\]\(img\/flow\.png\)<\/picture>/);
    assert.strictEqual(fake.requests.filter((q) => q.url.includes(':generateContent')).length, 2, 'the picture, then its twin');
  });

  it('fill --batch with "illustrate.variants.dark" on: the plan prices the twins at the full price beside the pictures at half; once the job is placed, each picture gets its twin and its link switches', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-dark-batch-')));
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode/settings.json'), '{ "illustrate.variants.dark": true, "illustrate.review": "off" }');
    fs.writeFileSync(path.join(dir, 'README.md'), '# Tool\n\n![the request flow](img/flow.png)\n\n![a harbour at dawn](img/harbour.png)\n');
    const google = ['--auth-header', 'x-goog-api-key'];
    const dry = await illustrate(dir, ['fill', '--batch', '--dry-run', ...google], env());
    assert.strictEqual(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /\+ 2 dark twins \(2 image edits at the full price, made when the batch's pictures are placed, ≈ \$\d+\.\d+\), in the cost above/);
    assert.deepStrictEqual(files(dir), ['.vscode/settings.json', 'README.md'], 'a dry run writes nothing');

    const r = await illustrate(dir, ['fill', '--batch', '--yes', '--json', ...google], env({ ILLUSTRATE_BATCH_POLL_MS: '200' }));
    assert.strictEqual(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { made: { file: string }[]; darkTwins?: { made: { file: string; source: string; cost: number | null }[]; failed: unknown[] } };
    assert.deepStrictEqual(out.made.map((m) => m.file).sort(), ['img/flow.png', 'img/harbour.png']);
    assert.deepStrictEqual(out.darkTwins?.made.map((m) => [m.source, m.file]).sort(), [['img/flow.png', 'img/flow.dark.png'], ['img/harbour.png', 'img/harbour.dark.png']]);
    assert.ok(out.darkTwins!.made.every((m) => (m.cost ?? 0) > 0), 'each twin is priced');
    for (const name of ['flow', 'harbour']) {
      const twin = fs.readFileSync(path.join(dir, `img/${name}.dark.png`));
      assert.ok((await brightest(twin)).max <= 40, `${name}'s twin is dark`);
      assert.strictEqual(readProvenance(twin)?.twinOf?.source, fingerprint(fs.readFileSync(path.join(dir, `img/${name}.png`))));
    }
    assert.strictEqual(
      fs.readFileSync(path.join(dir, 'README.md'), 'utf8'),
      '# Tool\n\n<picture><source media="(prefers-color-scheme: dark)" srcset="img/flow.dark.png">![the request flow](img/flow.png)</picture>\n\n<picture><source media="(prefers-color-scheme: dark)" srcset="img/harbour.dark.png">![a harbour at dawn](img/harbour.png)</picture>\n',
    );
    assert.ok(fake.requests.some((q) => q.url.includes(':batchGenerateContent')), 'the pictures went as a batch job');
    assert.strictEqual(fake.requests.filter((q) => q.url.includes(':generateContent')).length, 2, 'the two twins, each an image edit');
  });
});

