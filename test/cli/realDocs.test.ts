/**
 * `illustrate fill --dry-run` on seven real docs sites (../shared/real-docs: their markdown and
 * configs as in their repositories, images as empty files): nothing reported missing on an intact
 * tree; with the images deleted, each reported at exactly its old path, with a prompt from the
 * page in the default language; and a real fill on a Docusaurus and a VitePress tree.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { genericAlt } from '../../src/core/docs/altText';
import { FAKE_KEY, FakeGemini } from '../fake-gemini/server';
import { SHARED, skipWithoutShared } from '../fixtures/shared';
import { cliEnv, illustrate } from '../fixtures/cli';

const REAL_DOCS = path.join(SHARED, 'real-docs');

interface PlanJson {
  targets: { file: string; prompt: string; links: { document: string; line: number; link: string; alt: string; copy: boolean }[]; otherAlts: string[] }[];
  skipped: { document: string; line: number | null; target: string; file: string | null; reason: string }[];
  existing: number;
  documents: number;
  sites: { generator: string; root: string; publicDirs: string[] }[];
}

/** The site's tree in a new temporary folder: its repository folder. */
function extract(name: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `illustrate-real-${name}-`)));
  execFileSync('tar', ['-xzf', path.join(REAL_DOCS, `${name}.tar.gz`), '-C', dir]);
  return path.join(dir, name);
}

/** Every raster image of the tree (what Illustrate can make), relative. */
function rasterImages(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== 'node_modules' && e.name !== '.git') {
        walk(p);
      } else if (e.isFile() && /\.(png|jpe?g|webp)$/i.test(e.name)) {
        out.push(path.relative(dir, p).split(path.sep).join('/'));
      }
    }
  };
  walk(dir);
  return out;
}

/** `documents`, `existing`: at least that many pages scanned and links to images that exist (Jekyll's docs link few images: most are in Liquid). */
const SITES: { name: string; scan: string[]; generator: string; deletedAtLeast: number; documents?: number; existing?: number }[] = [
  { name: 'vitepress', scan: ['docs'], generator: 'vitepress', deletedAtLeast: 2 },
  { name: 'jest', scan: ['docs', 'website'], generator: 'docusaurus', deletedAtLeast: 20 },
  { name: 'hugoDocs', scan: ['content'], generator: 'hugo', deletedAtLeast: 40 },
  { name: 'pydantic-ai', scan: ['docs'], generator: 'plain', deletedAtLeast: 5 },
  { name: 'nodebestpractices', scan: ['.'], generator: 'plain', deletedAtLeast: 40 },
  { name: 'docsy', scan: ['docsy.dev'], generator: 'hugo', deletedAtLeast: 15, documents: 90, existing: 15 },
  { name: 'jekyll', scan: ['docs'], generator: 'jekyll', deletedAtLeast: 2, documents: 200, existing: 2 },
];

describe('real docs sites (../shared/real-docs), through the command line', function () {
  this.timeout(120_000);
  if (skipWithoutShared('real-docs')) {
    return;
  }
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => cliEnv({ ILLUSTRATE_API_KEY: FAKE_KEY, ...extra });
  const plan = async (dir: string, scan: string[]): Promise<PlanJson> => {
    const r = await illustrate(dir, ['fill', ...scan, '--dry-run', '--json'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { plan: PlanJson }).plan;
  };

  for (const site of SITES) {
    describe(site.name, () => {
      let dir: string;
      before(() => {
        dir = extract(site.name);
      });

      it(`intact: the site is detected as ${site.generator} and no image it links is called missing`, async () => {
        const p = await plan(dir, site.scan);
        assert.ok(p.documents >= (site.documents ?? 100), `${p.documents} documents`);
        assert.ok(p.existing >= (site.existing ?? 10), `${p.existing} links to images that exist`);
        assert.deepStrictEqual(p.targets, [], 'no false positive');
        assert.deepStrictEqual([...new Set(p.sites.map((s) => s.generator))], [site.generator]);
        assert.ok(!p.skipped.some((k) => k.file !== null), 'no existing image is skipped as if it were missing');
      });

      it('with every raster image deleted: each reported at exactly its old path, with a prompt that describes it', async () => {
        const images = rasterImages(dir);
        for (const rel of images) {
          fs.rmSync(path.join(dir, rel));
        }
        const deleted = new Set(images);
        const p = await plan(dir, site.scan);
        const reported = [...p.targets.map((t) => t.file), ...p.skipped.map((k) => k.file).filter((f): f is string => f !== null)];
        for (const file of reported) {
          assert.ok(deleted.has(file), `${file} is where a deleted image was`);
        }
        // Found: made from their alt text, or skipped for an alt text that cannot be a prompt (hugoDocs' "screen capture").
        assert.ok(reported.length >= site.deletedAtLeast, `${reported.length} reported (${p.targets.length} targets)`);
        for (const t of p.targets) {
          assert.strictEqual(genericAlt(t.prompt, t.file), undefined, `${t.file}: "${t.prompt}"`);
          assert.ok(t.links.every((l) => l.line >= 1));
        }
      });
    });
  }

  it('Hugo with a config folder (Docsy) and Jekyll collections: a deleted image is reported where the site serves it from', async () => {
    const docsy = extract('docsy');
    fs.rmSync(path.join(docsy, 'docsy.dev/static/images/feedback.png'));
    const p = await plan(docsy, ['docsy.dev']);
    assert.deepStrictEqual(p.sites.map((s) => [s.generator, s.root, s.publicDirs]), [['hugo', 'docsy.dev', ['docsy.dev/static']]]);
    assert.deepStrictEqual(p.targets.map((t) => t.file), ['docsy.dev/static/images/feedback.png']);

    const jekyll = extract('jekyll');
    fs.rmSync(path.join(jekyll, 'docs/img/jekylllayoutconcept.png'));
    const q = await plan(jekyll, ['docs']);
    assert.deepStrictEqual(q.targets.map((t) => [t.file, t.prompt, t.links.map((l) => `${l.document}:${l.line}`)]), [['docs/img/jekylllayoutconcept.png', 'Concept of Jekyll layouts', ['docs/_tutorials/convert-site-to-jekyll.md:303']]]);
  });

  it('a relative image added to a real Hugo single page and a real Jekyll tutorial resolves from the page’s URL: found where the site serves it, else reported there', async () => {
    // hugoDocs: content/en is mounted as content; commands/hugo_mod_tidy.md sets url: /commands/hugo_mod_tidy/; urls.md is served at /content-management/urls/.
    const hugo = extract('hugoDocs');
    fs.appendFileSync(path.join(hugo, 'content/en/commands/hugo_mod_tidy.md'), '\n![the go.mod file after hugo mod tidy](tidy.png)\n');
    fs.appendFileSync(path.join(hugo, 'content/en/content-management/urls.md'), '\n![the parts of a page URL](../diagrams/url-parts.png)\n');
    fs.mkdirSync(path.join(hugo, 'content/en/content-management/diagrams'));
    fs.writeFileSync(path.join(hugo, 'content/en/content-management/diagrams/url-parts.png'), '');
    const p = await plan(hugo, ['content']);
    assert.deepStrictEqual(p.targets.map((t) => [t.file, t.links.map((l) => l.document)]), [['static/commands/hugo_mod_tidy/tidy.png', ['content/en/commands/hugo_mod_tidy.md']]]);
    assert.ok(!p.skipped.some((k) => k.file !== null), 'url-parts.png is a resource of the content-management bundle, served at /content-management/diagrams/');
    fs.rmSync(path.join(hugo, 'content/en/content-management/diagrams/url-parts.png'));
    const q = await plan(hugo, ['content']);
    assert.deepStrictEqual(q.targets.map((t) => t.file).sort(), ['static/commands/hugo_mod_tidy/tidy.png', 'static/content-management/diagrams/url-parts.png']);

    // jekyll: the tutorials collection is served at /tutorials/:path/, its static files under /tutorials/.
    const jekyll = extract('jekyll');
    fs.appendFileSync(path.join(jekyll, 'docs/_tutorials/convert-site-to-jekyll.md'), '\n![the converted site in a browser](img/converted.png)\n\n<img src="../shot.png" alt="a terminal after jekyll build">\n');
    fs.writeFileSync(path.join(jekyll, 'docs/_tutorials/shot.png'), '');
    const r = await plan(jekyll, ['docs']);
    assert.deepStrictEqual(r.targets.map((t) => t.file), ['docs/_tutorials/convert-site-to-jekyll/img/converted.png'], 'served at /tutorials/convert-site-to-jekyll/img/converted.png');
    assert.ok(!r.skipped.some((k) => k.file !== null));
    fs.rmSync(path.join(jekyll, 'docs/_tutorials/shot.png'));
    const t = await plan(jekyll, ['docs']);
    assert.ok(t.targets.some((x) => x.file === 'docs/_tutorials/shot.png'), JSON.stringify(t.targets.map((x) => x.file)));
  });

  it('a translated page’s image takes its prompt from the default language (VitePress locales, GitHub README.<language>.md)', async () => {
    const vp = extract('vitepress');
    fs.rmSync(path.join(vp, 'docs/public/search.png'));
    const p = await plan(vp, ['docs']);
    const search = p.targets.find((t) => t.file === 'docs/public/search.png');
    assert.ok(search, JSON.stringify(p.targets.map((t) => t.file)));
    assert.strictEqual(search.prompt, 'screenshot of the search modal');
    assert.ok(search.links.length >= 5, 'every locale links it');
    assert.ok(search.links.filter((l) => l.copy).length >= 4, 'the translations are marked as copies');
    assert.ok(search.otherAlts.includes('تصویر نمایشی از مودال جستجو'));

    const nbp = extract('nodebestpractices');
    fs.rmSync(path.join(nbp, 'assets/images/apm1.png'));
    const q = await plan(nbp, ['sections']);
    const apm = q.targets.find((t) => t.file === 'assets/images/apm1.png');
    assert.ok(apm);
    assert.strictEqual(apm.prompt, 'APM example', 'not "APM adibidea" of apmproducts.basque.md, the first page alphabetically');
  });

  it('a real fill on a Docusaurus and a VitePress tree writes under static/ and public/, and changes no page', async () => {
    const fake = new FakeGemini();
    const base = await fake.start();
    try {
      const jest = extract('jest');
      const vp = extract('vitepress');
      const pages = (dir: string): Map<string, string> => {
        const out = new Map<string, string>();
        const walk = (d: string): void => {
          for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) {
              walk(p);
            } else if (/\.mdx?$/.test(e.name)) {
              out.set(p, fs.readFileSync(p, 'utf8'));
            }
          }
        };
        walk(dir);
        return out;
      };
      const removed = { jest: ['website/static/img/blog/23-jest-each.png', 'website/static/img/blog/collective.png'], vp: ['docs/public/search.png'] };
      for (const rel of removed.jest) {
        fs.rmSync(path.join(jest, rel));
      }
      for (const rel of removed.vp) {
        fs.rmSync(path.join(vp, rel));
      }
      const before = { jest: pages(jest), vp: pages(vp) };
      const run = async (dir: string, scan: string[]): Promise<{ made: { file: string }[] }> => {
        const r = await illustrate(dir, ['fill', ...scan, '--yes', '--json'], env({ ILLUSTRATE_BASE_URL: base }));
        assert.strictEqual(r.code, 0, r.stderr);
        return JSON.parse(r.stdout) as { made: { file: string }[] };
      };
      const madeJest = await run(jest, ['docs', 'website']);
      assert.deepStrictEqual(madeJest.made.map((m) => m.file).sort(), [...removed.jest].sort());
      const madeVp = await run(vp, ['docs']);
      assert.deepStrictEqual(madeVp.made.map((m) => m.file), removed.vp);
      for (const rel of [...removed.jest.map((r) => path.join(jest, r)), ...removed.vp.map((r) => path.join(vp, r))]) {
        assert.strictEqual(fs.readFileSync(rel).subarray(1, 4).toString('latin1'), 'PNG', rel);
      }
      for (const [dir, was] of [
        [jest, before.jest],
        [vp, before.vp],
      ] as const) {
        const now = pages(dir);
        for (const [file, text] of was) {
          assert.strictEqual(now.get(file), text, `${file} is unchanged`);
        }
        assert.ok(!fs.existsSync(path.join(dir, 'img')) && !fs.existsSync(path.join(dir, 'public')), 'nothing written at the repository root');
      }
    } finally {
      await fake.stop();
    }
  });
});
