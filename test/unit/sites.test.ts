/**
 * The site model on small probes: where each generator serves a link from, MDX and HTML code and
 * comments, list items and MkDocs blocks as content, Hugo single pages, Jekyll collections, build
 * output. Through the command line's own disk workspace (the scan every entry point shares); the
 * command line itself is in test/cli/sites.test.ts.
 */
import * as assert from 'assert';
import * as path from 'path';
import { FillPlan, scanMissing } from '../../src/core/fill/fill';
import { DiskWorkspace } from '../../src/node/disk';
import { tree } from '../fixtures/cli';

async function scan(dir: string): Promise<FillPlan<string>> {
  const ws = new DiskWorkspace(dir);
  return scanMissing(await ws.markdownFiles([]), ws.host);
}

function made(dir: string, plan: FillPlan<string>): Record<string, string> {
  return Object.fromEntries(plan.targets.map((t) => [path.relative(dir, t.uri), t.prompt]));
}

function skipped(dir: string, plan: FillPlan<string>): Record<string, string> {
  return Object.fromEntries(plan.skipped.map((k) => [`${path.relative(dir, k.document)}:${k.line}`, k.reason]));
}

describe('the site model, on probes', () => {
  it('Docusaurus: /img, @site/ and baseUrl resolve to static/; pathname:// is left alone; build output is not scanned', async () => {
    const dir = tree({
      'website/docusaurus.config.ts': "export default { baseUrl: '/jest/', staticDirectories: ['static', 'assets'] };\n",
      'website/docs/a.md': '![a fox at dawn](/img/fox.png)\n\n![an owl at dusk](@site/static/img/owl.png)\n\n![a kite in wind](/jest/img/kite.png)\n\n![a logo served as is](pathname:///img/raw.png)\n\n![already there](/img/there.png)\n',
      'website/assets/img/there.png': 'x',
      'website/build/a.md': '![built copy](/img/built.png)\n',
    });
    const plan = await scan(dir);
    assert.deepStrictEqual(made(dir, plan), {
      'website/static/img/fox.png': 'a fox at dawn',
      'website/static/img/owl.png': 'an owl at dusk',
      'website/static/img/kite.png': 'a kite in wind',
    });
    assert.match(skipped(dir, plan)['website/docs/a.md:7'], /pathname:\/\//);
    assert.strictEqual(plan.existing, 1, 'the second static directory serves /img/there.png');
    assert.strictEqual(plan.documents, 1, 'build/ is not scanned');
    assert.strictEqual(plan.sites?.[0].generator, 'docusaurus');
  });

  it('Docusaurus with docs beside its folder (website/ + docs/): /img is served from website/static', async () => {
    const dir = tree({ 'website/docusaurus.config.js': '', 'docs/guide.md': '![the runner in action](/img/runner.png)\n', 'website/static/img/.keep': '' });
    assert.deepStrictEqual(made(dir, await scan(dir)), { 'website/static/img/runner.png': 'the runner in action' });
  });

  it('MDX: a JSX src naming a file (an import, require) is a target at that file; other code is not; comments of both kinds hide what they hold', async () => {
    const page = [
      "import hermesImg from './hermes.png';",
      '',
      '<img src={hermesImg} alt="Hermes at work" />',
      "<img src={require('@site/static/img/logo.png').default} alt=\"the logo\" />",
      '<img src={props.picture} alt="computed" />',
      '<!-- ![an old diagram](old.png) -->',
      '{/* ![a hidden chart](hidden.png) */}',
      '',
      '![a live chart](live.png)',
      '',
    ].join('\n');
    const dir = tree({ 'website/docusaurus.config.js': '', 'website/docs/p.mdx': page });
    const plan = await scan(dir);
    // A missing imported image breaks the build: it is made where the import names it, the import left as written.
    assert.deepStrictEqual(made(dir, plan), { 'website/docs/hermes.png': 'Hermes at work', 'website/static/img/logo.png': 'the logo', 'website/docs/live.png': 'a live chart' });
    const reasons = skipped(dir, plan);
    assert.match(reasons['website/docs/p.mdx:5'], /JSX expression/);
    assert.ok(!Object.keys(reasons).some((k) => k.endsWith(':7') || k.endsWith(':8')), 'comments are not on the page');
  });

  it('VitePress: /x is served from <srcDir>/public; base is stripped; .vitepress/dist is not scanned', async () => {
    const dir = tree({
      'docs/.vitepress/config.mts': "export default { base: '/vp/' }\n",
      'docs/guide/a.md': '![the search modal](/search.png)\n\n![the logo with base](/vp/logo.png)\n\n![beside the page](./beside.png)\n',
      'docs/.vitepress/dist/a.md': '![built](/built.png)\n',
    });
    const plan = await scan(dir);
    assert.deepStrictEqual(made(dir, plan), { 'docs/public/search.png': 'the search modal', 'docs/public/logo.png': 'the logo with base', 'docs/guide/beside.png': 'beside the page' });
    assert.strictEqual(plan.documents, 1);
  });

  it('Hugo: a page bundle’s image is beside it; a single page’s relative image is made where its URL is served (static/<url>); /x is static/', async () => {
    const dir = tree({
      'hugo.toml': 'baseURL = "https://example.org/"\n',
      'content/en/bundle/index.md': '![a bundled diagram](diagram.png)\n',
      'content/en/single.md': '![a single page picture](picture.png)\n\n![a static picture](/images/static.png)\n',
    });
    const plan = await scan(dir);
    assert.deepStrictEqual(made(dir, plan), { 'content/en/bundle/diagram.png': 'a bundled diagram', 'static/en/single/picture.png': 'a single page picture', 'static/images/static.png': 'a static picture' });
    assert.deepStrictEqual(plan.skipped, []);
  });

  // Modeled on gohugoio/hugoDocs (content/en mounted as content) and Docsy (a page whose section has a permalinks pattern).
  it('Hugo single pages: a link is found in static/ or among the resources of a bundle at its URL; one whose URL a permalinks pattern sets is explained', async () => {
    const dir = tree({
      'hugo.toml': 'baseURL = "https://example.org/"\n[permalinks.page]\n  posts = "/:year/:slug/"\n[module]\n  [[module.mounts]]\n    source = "content/en"\n    target = "content"\n  [[module.mounts]]\n    source = "static"\n    target = "static"\n  [[module.mounts]]\n    source = "vendor/icons"\n    target = "static/icons"\n',
      'content/en/docs/_index.md': '# Docs\n',
      'content/en/docs/foo.md': '---\ntitle: Foo\n---\n\n![a harbour at dawn](img.png)\n\n<img src="../img/a.png" alt="a map of the bay">\n\n![a lighthouse](../../icons/light.png)\n\n![a buoy](buoy.png)\n',
      'content/en/docs/img/a.png': 'x',
      'vendor/icons/light.png': 'x',
      'static/docs/foo/buoy.png': 'x',
      'content/en/posts/hello.md': '![a sailing boat](boat.png)\n',
    });
    const plan = await scan(dir);
    assert.deepStrictEqual(made(dir, plan), { 'static/docs/foo/img.png': 'a harbour at dawn' });
    assert.strictEqual(plan.existing, 3, 'content/en/docs/img/a.png (a resource of /docs/), vendor/icons/light.png (/icons/), static/docs/foo/buoy.png');
    assert.match(skipped(dir, plan)['content/en/posts/hello.md:1'], /single-file Hugo page whose URL.*permalinks/);
  });

  // Modeled on jekyll/jekyll's docs/: the tutorials collection, served at /tutorials/:path/.
  it('Jekyll: a collection with output serves its static files under its URL folder; a missing one is made in the collection', async () => {
    const dir = tree({
      'docs/_config.yml': "baseurl: /jekyll\ncollections:\n  tutorials:\n    permalink: '/:collection/:path/'\n    output: true\n  notes:\n    output: false\n",
      'docs/_tutorials/convert-site-to-jekyll.md': '---\ntitle: Convert\n---\n\n![the layout concept](img/concept.png)\n\n<img src="../shot.png" alt="a terminal after jekyll build">\n\n![a site logo](/jekyll/tutorials/logo.png)\n\n![a home page](../../img/home.png)\n',
      'docs/_tutorials/convert-site-to-jekyll/img/concept.png': 'x',
      'docs/_notes/n.md': '---\ntitle: N\n---\n\n![a sketch](sketch.png)\n',
    });
    const plan = await scan(dir);
    assert.deepStrictEqual(made(dir, plan), {
      'docs/_tutorials/shot.png': 'a terminal after jekyll build',
      'docs/_tutorials/logo.png': 'a site logo',
      'docs/img/home.png': 'a home page',
      'docs/_notes/sketch.png': 'a sketch',
    });
    assert.strictEqual(plan.existing, 1, 'img/concept.png beside the tutorial’s URL folder, in _tutorials/convert-site-to-jekyll/');
  });

  it('list items: an image indented under "1. Step" is content, as CommonMark renders it; code in the item stays code', async () => {
    const dir = tree({ 'README.md': '1. Open the settings\n\n    ![the settings page](img/settings.png)\n\n2. Run it\n\n   ```sh\n   ![not an image](img/code.png)\n   ```\n\nText\n\n    ![indented code](img/code2.png)\n' });
    const plan = await scan(dir);
    assert.deepStrictEqual(made(dir, plan), { 'img/settings.png': 'the settings page' });
    assert.deepStrictEqual(Object.values(skipped(dir, plan)), ['inside code', 'inside code']);
  });

  it('MkDocs: admonitions, details, tabs and definitions hold content with their extensions; raw HTML follows use_directory_urls', async () => {
    const page = [
      '!!! note "A note"',
      '',
      '    ![inside a note](img/note.png)',
      '',
      '??? example',
      '    ![inside details](img/details.png)',
      '',
      '=== "Tab one"',
      '',
      '    ![inside a tab](img/tab.png)',
      '',
      'Term',
      ':   ![inside a definition](img/def.png)',
      '',
      '<img src="../img/html.png" alt="a raw html image">',
      '',
    ].join('\n');
    const withExtensions = tree({
      'mkdocs.yml': 'site_name: x\nmarkdown_extensions:\n  - admonition\n  - pymdownx.details\n  - pymdownx.tabbed:\n      alternate_style: true\n  - def_list\n',
      'docs/guide.md': page,
    });
    assert.deepStrictEqual(made(withExtensions, await scan(withExtensions)), {
      'docs/img/note.png': 'inside a note',
      'docs/img/details.png': 'inside details',
      'docs/img/tab.png': 'inside a tab',
      'docs/img/def.png': 'inside a definition',
      'docs/img/html.png': 'a raw html image',
    });
    const without = tree({ 'mkdocs.yml': 'site_name: x\nuse_directory_urls: false\n', 'docs/guide.md': page });
    const plain = await scan(without);
    // Without the extensions an indented block after a blank line is code (the details line has none: it is a
    // paragraph's continuation, as CommonMark reads it); without use_directory_urls raw HTML is relative to the page.
    assert.deepStrictEqual(made(without, plain), { 'docs/img/details.png': 'inside details', 'docs/img/def.png': 'inside a definition', 'img/html.png': 'a raw html image' });
    assert.deepStrictEqual(Object.values(skipped(without, plain)), ['inside code', 'inside code']);
  });

  it('generic alt texts are not prompts; one good prompt per target, from the original page', async () => {
    const dir = tree({
      'docs/a.md': '![image](img/a.png)\n![Screen Shot 2024-05-01 at 10.32.11](img/b.png)\n![img_0231.png](img/c.png)\n![✔](img/d.png)\n',
      'docs/guide.md': '![the pipeline, stage by stage](img/pipeline.png)\n',
      'docs/guide.zh-cn.md': '![流水线](img/pipeline.png)\n',
      'docs/other.md': '![screenshot](img/pipeline.png)\n',
    });
    const plan = await scan(dir);
    assert.deepStrictEqual(made(dir, plan), { 'docs/img/pipeline.png': 'the pipeline, stage by stage' });
    assert.deepStrictEqual(plan.targets[0].otherAlts, ['流水线', 'screenshot']);
    const reasons = Object.values(skipped(dir, plan));
    assert.strictEqual(reasons.length, 4);
    assert.ok(reasons.every((r) => /describe the picture/.test(r)), reasons.join('\n'));
  });
});
