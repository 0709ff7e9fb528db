/**
 * Dark twins' markup: for each generator and each link form (markdown, reference-style, HTML
 * <img>, MDX), the page text after the edits, byte for byte; links already switching; what is
 * left out and why; the twin's name; the srcset escape. Through the command line: test/cli/dark.test.ts.
 */
import * as assert from 'assert';
import { applyEdits } from '../../src/core/docs/altText';
import { DARK_MARKUP, darkLinkEdits, darkRuleFor, isTwinName, withTwinSuffix } from '../../src/core/docs/darkMarkup';
import { scanDocument } from '../../src/core/docs/docScan';
import { GENERATORS, SiteModel } from '../../src/core/docs/sites';
import { dialectOf, srcsetUrl } from '../../src/core/escape';

type Site = Pick<SiteModel, 'generator' | 'theme' | 'rawHtml'>;

/** The page after its one image is switched, or the reason it is not. */
function switched(text: string, site: Site, page = 'docs/page.md', last = false): string {
  const images = scanDocument(text, { gif: true });
  const image = last ? images[images.length - 1] : images[0];
  const r = darkLinkEdits(text, image, darkRuleFor(site), site, '.dark', dialectOf(page));
  if ('already' in r) {
    return 'ALREADY';
  }
  if ('skip' in r) {
    return `SKIP: ${r.skip}`;
  }
  return applyEdits(text, r.edits);
}

const PICTURE = (dark: string, inner: string, attr = 'srcset', close = '>'): string => `<picture><source media="(prefers-color-scheme: dark)" ${attr}="${dark}"${close}${inner}</picture>`;

describe('dark twins: the markup per generator', () => {
  it('has a rule for every generator, each with the doc pages it was confirmed on', () => {
    for (const g of GENERATORS) {
      const rule = darkRuleFor({ generator: g });
      assert.ok(rule.site === g, `${g} has its own rule`);
      assert.ok(rule.docs.length && rule.docs.every((d) => d.startsWith('https://')), g);
    }
    assert.strictEqual(darkRuleFor({ generator: 'mkdocs', theme: 'material' }).site, 'mkdocs-material');
    assert.strictEqual(darkRuleFor({ generator: 'mkdocs', theme: 'readthedocs' }).site, 'mkdocs');
    assert.deepStrictEqual(
      DARK_MARKUP.filter((r) => r.switch === 'fragments').map((r) => [r.site, r.fragments?.light, r.fragments?.dark]),
      [
        ['docusaurus', 'gh-light-mode-only', 'gh-dark-mode-only'],
        ['mkdocs-material', 'only-light', 'only-dark'],
      ],
    );
  });

  it('GitHub and plain markdown: the markdown image wrapped in an inline <picture>, its alt text and title untouched', () => {
    const text = 'Intro.\n\n![A *bold* map](img/map.png "The map") and more.\n';
    assert.strictEqual(switched(text, { generator: 'plain' }), `Intro.\n\n${PICTURE('img/map.dark.png', '![A *bold* map](img/map.png "The map")')} and more.\n`);
  });

  it('a reference-style image is wrapped where it is used; its definition is untouched', () => {
    const text = 'See ![the flow][flow].\n\n[flow]: ./img/flow.webp\n';
    assert.strictEqual(switched(text, { generator: 'vitepress' }), `See ${PICTURE('./img/flow.dark.webp', '![the flow][flow]')}.\n\n[flow]: ./img/flow.webp\n`);
  });

  it('an HTML <img> is wrapped whole: every attribute kept; its src read as an attribute (&amp; once)', () => {
    const text = '<p align="center"><img src="img/a.png?x=1&amp;y=2" alt="Arch" width="300"></p>\n';
    assert.strictEqual(switched(text, { generator: 'jekyll' }), `<p align="center">${PICTURE('img/a.dark.png?x=1&amp;y=2', '<img src="img/a.png?x=1&amp;y=2" alt="Arch" width="300">')}</p>\n`);
  });

  it('MDX: <source srcSet … /> (JSX)', () => {
    const text = '![Pipeline](/img/pipe.png)\n';
    assert.strictEqual(switched(text, { generator: 'nextjs' }, 'pages/a.mdx'), `${PICTURE('/img/pipe.dark.png', '![Pipeline](/img/pipe.png)', 'srcSet', ' />')}\n`);
  });

  it("Docusaurus: the light link gets #gh-light-mode-only, and a copy naming the twin with #gh-dark-mode-only follows (alt text and title kept)", () => {
    const text = '| a | ![Build `graph`](./img/build.png "Build") |\n';
    assert.strictEqual(switched(text, { generator: 'docusaurus' }, 'docs/a.mdx'), '| a | ![Build `graph`](./img/build.png#gh-light-mode-only "Build")![Build `graph`](./img/build.dark.png#gh-dark-mode-only "Build") |\n');
  });

  it('MkDocs Material: #only-light / #only-dark, for markdown and HTML images (bracketed paths too)', () => {
    assert.strictEqual(switched('![Flow](<img/my flow.png>)\n', { generator: 'mkdocs', theme: 'material' }), '![Flow](<img/my flow.png#only-light>)![Flow](<img/my flow.dark.png#only-dark>)\n');
    assert.strictEqual(switched('<img src="img/x.jpg" alt="X">\n', { generator: 'mkdocs', theme: 'material' }), '<img src="img/x.jpg#only-light" alt="X"><img src="img/x.dark.jpg#only-dark" alt="X">\n');
  });

  it('fragments cannot switch a reference-style link or a path that already has a #fragment: left out with the reason', () => {
    assert.match(switched('![a][r]\n\n[r]: x.png\n', { generator: 'docusaurus' }), /^SKIP: a reference-style link/);
    assert.match(switched('![a](x.png#top)\n', { generator: 'mkdocs', theme: 'material' }), /^SKIP: its path already ends in a #fragment/);
  });

  it('Hugo: <picture> only when its config renders raw HTML; Starlight, Next.js, MkDocs (other themes): relative links are left out', () => {
    assert.match(switched('![Map](map.png)\n', { generator: 'hugo' }), /^SKIP: Hugo leaves raw HTML/);
    assert.strictEqual(switched('![Map](map.png)\n', { generator: 'hugo', rawHtml: true }), `${PICTURE('map.dark.png', '![Map](map.png)')}\n`);
    for (const generator of ['starlight', 'nextjs', 'mkdocs'] as const) {
      assert.match(switched('![Map](../assets/map.png)\n', { generator }), /^SKIP: a relative link/, generator);
      assert.strictEqual(switched('![Map](/assets/map.png)\n', { generator }), `${PICTURE('/assets/map.dark.png', '![Map](/assets/map.png)')}\n`, generator);
    }
  });

  it('a link already switching is recognised, and not switched again', () => {
    assert.strictEqual(switched('![a](x.png#gh-light-mode-only)\n', { generator: 'docusaurus' }), 'ALREADY');
    assert.strictEqual(switched('![a](x.dark.png#only-dark)\n', { generator: 'mkdocs', theme: 'material' }), 'ALREADY');
    assert.strictEqual(switched(`${PICTURE('x.dark.png', '![a](x.png)')}\n`, { generator: 'plain' }), 'ALREADY');
    assert.strictEqual(switched('<picture>\n  <source media="(prefers-color-scheme: dark)" srcset="x-d.png">\n  <img src="x.png" alt="a">\n</picture>\n', { generator: 'plain' }), 'ALREADY');
    assert.strictEqual(switched('<img class="off-glb only-dark" src="./img/logo.png" alt="Logo" />\n', { generator: 'mkdocs', theme: 'material' }), 'ALREADY');
    assert.strictEqual(switched('<img class="light:sl-hidden" src="/a.png" alt="A">\n', { generator: 'starlight' }), 'ALREADY');
    // A closed <picture> earlier on the page does not count.
    assert.strictEqual(switched(`${PICTURE('y.dark.png', '![b](y.png)')}\n\n![a](x.png)\n`, { generator: 'plain' }, 'a.md', true), `${PICTURE('y.dark.png', '![b](y.png)')}\n\n${PICTURE('x.dark.png', '![a](x.png)')}\n`);
  });

  it('an imported MDX image is code: left out with the reason', () => {
    const text = "import hero from './hero.png';\n\n<img src={hero} alt=\"Hero\" />\n";
    const image = scanDocument(text).find((i) => i.imported);
    assert.ok(image);
    const r = darkLinkEdits(text, image, darkRuleFor({ generator: 'docusaurus' }), { generator: 'docusaurus' }, '.dark', 'mdx');
    assert.ok('skip' in r && /an import/.test(r.skip));
  });
});

describe('dark twins: names and the srcset escape', () => {
  it('adds the suffix before the extension, keeping the query and fragment', () => {
    assert.strictEqual(withTwinSuffix('img/logo.png', '.dark'), 'img/logo.dark.png');
    assert.strictEqual(withTwinSuffix('./a.b/logo.v2.webp?raw=1#x', '-night'), './a.b/logo.v2-night.webp?raw=1#x');
    assert.strictEqual(withTwinSuffix('img/README', '.dark'), undefined);
    assert.strictEqual(withTwinSuffix('img.d/file', '.dark'), undefined);
    assert.ok(isTwinName('logo.dark.png', '.dark'));
    assert.ok(!isTwinName('logo.png', '.dark'));
    assert.ok(!isTwinName('.dark.png', '.dark'));
  });

  it('a srcset URL cannot end its candidate or its attribute: spaces and commas encoded, quotes and < as references', () => {
    assert.strictEqual(srcsetUrl('img/my map, v2.png'), 'img/my%20map%2C%20v2.png');
    assert.strictEqual(srcsetUrl('a"b<c>.png'), 'a&quot;b&lt;c&gt;.png');
    assert.strictEqual(srcsetUrl('a\nb\u202e.png'), 'a%0Ab%E2%80%AE.png');
  });
});
