/**
 * Alt text through the command line: an image Illustrate made keeps the alt text \`illustrate alt\`
 * writes in its record; the real docs sites' counts; \`illustrate alt\` on a real site with one real PNG.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makePng } from '../fake-gemini/images';
import { FAKE_KEY } from '../fake-gemini/server';
import { SHARED, skipWithoutShared } from '../fixtures/shared';
import { cliEnv, illustrate, standIn, tree } from '../fixtures/cli';
import { readProvenance } from '../../src/core/images/metadata';

const REAL_DOCS = path.join(SHARED, 'real-docs');

function extract(name: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `illustrate-alt-${name}-`)));
  execFileSync('tar', ['-xzf', path.join(REAL_DOCS, `${name}.tar.gz`), '-C', dir]);
  return path.join(dir, name);
}

describe('the describe call, against the stand-in', function () {
  this.timeout(30_000);
  const { env } = standIn();

  it('an image Illustrate made keeps the new alt text in its record: illustrate check calls it neither stale nor generic', async () => {
    const dir = tree({ 'a.md': '# Flow\n\n![the request flow](img/flow.png)\n' });
    assert.strictEqual((await illustrate(dir, ['fill', '--yes'], env())).code, 0);
    fs.writeFileSync(path.join(dir, 'a.md'), '# Flow\n\n![image](img/flow.png)\n');
    assert.strictEqual((await illustrate(dir, ['check'], env())).code, 1, 'a generic alt text is a finding');
    const ran = await illustrate(dir, ['alt', '--yes'], env());
    assert.strictEqual(ran.code, 0, ran.stderr);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'a.md'), 'utf8'), '# Flow\n\n![A diagram of the request flow from the browser through the API gateway to the database.](img/flow.png)\n');
    assert.strictEqual(readProvenance(fs.readFileSync(path.join(dir, 'img/flow.png')))?.keptAlt, 'A diagram of the request flow from the browser through the API gateway to the database.');
    const check = await illustrate(dir, ['check'], env());
    assert.strictEqual(check.code, 0, check.stdout);
  });
});

describe('alt text on the real docs sites (../shared/real-docs)', function () {
  this.timeout(120_000);
  if (skipWithoutShared('real-docs')) {
    return;
  }
  const site = standIn();
  const env = (): NodeJS.ProcessEnv => cliEnv({ ILLUSTRATE_API_KEY: FAKE_KEY });
  interface AltPlanJson {
    documents: number;
    images: { file: string; links: { document: string; line: number; link: string; need: string }[] }[];
    skipped: { file: string; document: string; line: number; link: string; need: string; reason: string }[];
  }
  const plan = async (dir: string, scan: string[]): Promise<AltPlanJson> => {
    const r = await illustrate(dir, ['alt', ...scan, '--dry-run', '--json'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { plan: AltPlanJson }).plan;
  };

  // Links to images that exist whose alt text is missing or describes nothing (the stubs are empty files, so each is listed as not describable).
  const COUNTS: [string, string[], number][] = [
    ['vitepress', ['docs'], 0],
    ['jest', ['docs', 'website'], 35],
    ['hugoDocs', ['content'], 53],
    ['pydantic-ai', ['docs'], 0],
    ['nodebestpractices', ['.'], 1446],
  ];
  for (const [name, scan, count] of COUNTS) {
    it(`${name}: ${count} links need alt text`, async () => {
      const p = await plan(extract(name), scan);
      assert.strictEqual(p.images.length + p.skipped.length, count);
      assert.ok(p.skipped.every((k) => k.reason === 'not a PNG, JPEG, WebP or GIF image'));
      const at = (document: string, line: number) => p.skipped.find((k) => k.document === document && k.line === line);
      if (name === 'hugoDocs') {
        assert.deepStrictEqual(at('content/en/host-and-deploy/host-on-aws-amplify/index.md', 162), { file: 'content/en/host-and-deploy/host-on-aws-amplify/amplify-01.png', document: 'content/en/host-and-deploy/host-on-aws-amplify/index.md', line: 162, link: '![screen capture](amplify-01.png)', need: 'generic', reason: 'not a PNG, JPEG, WebP or GIF image' });
      }
      if (name === 'nodebestpractices') {
        assert.strictEqual(at('README.basque.md', 1302)?.need, 'missing', '<img src="assets/images/twitter-s.png" width="16" height="16"> has no alt');
        assert.strictEqual(at('README.basque.md', 17), undefined, '![nodepractices](…) describes its link');
      }
      if (name === 'jest') {
        assert.strictEqual(at('docs/SnapshotTesting.md', 98)?.file, 'website/static/img/content/interactiveSnapshotUpdate.gif', 'a GIF needs alt text too');
      }
    });
  }

  it('illustrate alt on hugoDocs with one real PNG: --dry-run lists it; --yes writes only its alt text', async () => {
    const dir = extract('hugoDocs');
    const page = path.join(dir, 'content/en/host-and-deploy/host-on-aws-amplify/index.md');
    const before = fs.readFileSync(page, 'utf8');
    fs.writeFileSync(path.join(dir, 'content/en/host-and-deploy/host-on-aws-amplify/amplify-01.png'), makePng(1600, 900));
    const fake = site.fake;
    const standInEnv = site.env();
    {
      const dry = await illustrate(dir, ['alt', 'content/en/host-and-deploy', '--dry-run'], standInEnv);
      assert.strictEqual(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /^1 image needs alt text in 15 documents · gemini-3\.1-flash-lite · ≈ \$0\.000\d/);
      assert.match(dry.stdout, /content\/en\/host-and-deploy\/host-on-aws-amplify\/index\.md:162 {2}!\[screen capture\]\(amplify-01\.png\) {2}→ content\/en\/host-and-deploy\/host-on-aws-amplify\/amplify-01\.png \(describes nothing\)/);
      assert.strictEqual(fake.requests.filter((r) => r.url.includes(':generateContent')).length, 0, 'a dry run describes nothing');
      const ran = await illustrate(dir, ['alt', 'content/en/host-and-deploy', '--yes'], standInEnv);
      assert.strictEqual(ran.code, 0, ran.stderr);
      assert.strictEqual(ran.stdout.trim(), 'wrote content/en/host-and-deploy/host-on-aws-amplify/amplify-01.png: "A diagram of the request flow from the browser through the API gateway to the database."');
      const after = fs.readFileSync(page, 'utf8');
      assert.strictEqual(after, before.replace('  ![screen capture](amplify-01.png)', '  ![A diagram of the request flow from the browser through the API gateway to the database.](amplify-01.png)'));
      const [req] = fake.requests.filter((r) => r.url.includes(':generateContent'));
      assert.match(req.url, /gemini-3\.1-flash-lite:generateContent$/);
      const text = (req.body as { contents: { parts: { text?: string }[] }[] }).contents[0].parts[0].text ?? '';
      assert.match(text, /Text before the image: Step 5 : Choose a source code provider, then press the \*\*Next\*\* button\./);
    }
  });
});
