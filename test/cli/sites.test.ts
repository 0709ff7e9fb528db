/**
 * The site model through the command line: a fill of an MDX page leaves its JSX byte for byte; a
 * Hugo single page's and a Jekyll tutorial's relative images are found where the site serves them
 * from (`fill --dry-run --json`), and once deleted reported missing at exactly that path.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { FAKE_KEY, FakeGemini } from '../fake-gemini/server';
import { cliEnv, illustrate, tree } from '../fixtures/cli';

interface Plan {
  targets: { file: string; prompt: string }[];
  skipped: { document: string; line: number | null; file: string | null; reason: string }[];
  existing: number;
}

async function dryRun(dir: string, scan: string): Promise<Plan> {
  const r = await illustrate(dir, ['fill', scan, '--dry-run', '--json'], cliEnv({ ILLUSTRATE_API_KEY: FAKE_KEY }));
  assert.strictEqual(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { plan: Plan }).plan;
}

describe('the site model, on probes', () => {
  // Modeled on gohugoio/hugoDocs: content/en mounted as content; a single page served at /docs/foo/.
  it('Hugo: a single page’s relative images resolve from its URL (/docs/foo/): found in static/ and among a bundle’s resources; deleted, reported at static/<url>', async () => {
    const dir = tree({
      'hugo.toml': 'baseURL = "https://example.org/"\n[[module.mounts]]\n  source = "content/en"\n  target = "content"\n',
      'content/en/docs/_index.md': '# Docs\n',
      'content/en/docs/foo.md': '---\ntitle: Foo\n---\n\n![a harbour at dawn](img.png)\n\n<img src="../img/a.png" alt="a map of the bay">\n',
      'static/docs/foo/img.png': 'x',
      'content/en/docs/img/a.png': 'x',
    });
    const intact = await dryRun(dir, 'content');
    assert.deepStrictEqual([intact.targets, intact.skipped, intact.existing], [[], [], 2]);
    fs.rmSync(path.join(dir, 'static/docs/foo/img.png'));
    fs.rmSync(path.join(dir, 'content/en/docs/img/a.png'));
    const deleted = await dryRun(dir, 'content');
    assert.deepStrictEqual(
      deleted.targets.map((t) => [t.file, t.prompt]),
      [
        ['static/docs/foo/img.png', 'a harbour at dawn'],
        ['static/docs/img/a.png', 'a map of the bay'],
      ],
      'a missing image is written where Hugo serves /docs/img/a.png from whatever its content: static/',
    );
  });

  // Modeled on jekyll/jekyll's docs/: a tutorial served at /tutorials/convert-site-to-jekyll/.
  it('Jekyll: a tutorial’s relative images resolve from its URL into its collection (_tutorials/); deleted, reported there', async () => {
    const dir = tree({
      'docs/_config.yml': "collections:\n  tutorials:\n    permalink: '/:collection/:path/'\n    output: true\n",
      'docs/_tutorials/convert-site-to-jekyll.md': '---\ntitle: Convert\n---\n\n![the layout concept](img/concept.png)\n\n<img src="../shot.png" alt="a terminal after jekyll build">\n',
      'docs/_tutorials/convert-site-to-jekyll/img/concept.png': 'x',
      'docs/_tutorials/shot.png': 'x',
    });
    const intact = await dryRun(dir, 'docs');
    assert.deepStrictEqual([intact.targets, intact.skipped, intact.existing], [[], [], 2]);
    fs.rmSync(path.join(dir, 'docs/_tutorials/convert-site-to-jekyll/img/concept.png'));
    fs.rmSync(path.join(dir, 'docs/_tutorials/shot.png'));
    const deleted = await dryRun(dir, 'docs');
    assert.deepStrictEqual(
      deleted.targets.map((t) => t.file),
      ['docs/_tutorials/convert-site-to-jekyll/img/concept.png', 'docs/_tutorials/shot.png'],
    );
  });

  it('a fill of an MDX page changes nothing in it: the JSX stays byte for byte', async () => {
    const fake = new FakeGemini();
    const base = await fake.start();
    try {
      const page = "import x from './x.png';\n\n<img src={x} alt=\"an x\" />\n\n![a harbour \\[fake:jpegAsPng\\]](harbour.png)\n";
      const dir = tree({ 'website/docusaurus.config.js': '', 'website/docs/p.mdx': page });
      const r = await illustrate(dir, ['fill', '--yes'], cliEnv({ ILLUSTRATE_API_KEY: FAKE_KEY, ILLUSTRATE_BASE_URL: base }));
      assert.strictEqual(r.code, 0, r.stderr);
      assert.strictEqual(fs.readFileSync(path.join(dir, 'website/docs/p.mdx'), 'utf8'), page, 'the JPEG answer is written as the PNG the link names');
    } finally {
      await fake.stop();
    }
  });
});
