/**
 * core/docs/sites.ts called directly, over an in-memory `SiteHost` (a map of path → text, folders
 * listed from it): each generator's detection, where a link is served from, build output, copies
 * (translations, versions), what a plan shows of a site, `illustrate.site`, and configs that are
 * read for literals only (never run), however odd.
 */
import * as assert from 'assert';
import { describeSite, isBuildOutput, isCopyPage, isLocaleName, isTranslatedName, plainSite, resolveLink, SiteFinder, SiteHost, SiteModel, siteOverride, SiteOverride } from '../../../src/core/docs/sites';

/** A project in memory: `/p` is its root; folders are the prefixes of the file paths. */
class MemorySite implements SiteHost {
  readonly reads: string[] = [];
  readonly listed: string[] = [];

  constructor(private readonly files: Record<string, string>) {}

  async list(dir: string): Promise<readonly string[]> {
    this.listed.push(dir);
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    return [...new Set(Object.keys(this.files).filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length).split('/')[0]))];
  }

  async read(file: string): Promise<string | undefined> {
    this.reads.push(file);
    return this.files[file];
  }
}

async function siteOf(files: Record<string, string>, page: string, override?: SiteOverride): Promise<SiteModel> {
  return new SiteFinder(new MemorySite(files), override).siteFor(page, '/p');
}

/** The file a link is served from first (where a missing image is written), or what it is instead. */
function served(site: SiteModel, page: string, link: string, html = false): string {
  const r = resolveLink(site, page, link, html);
  return r.kind === 'file' ? r.candidates.join(' | ') + (r.singlePage ? ' (single page)' : '') : r.kind === 'skip' ? `skip: ${r.reason}` : 'remote';
}

const rel = (p: string): string => (p === '/p' ? '.' : p.replace(/^\/p\//, ''));

describe('core/docs/sites: detection, by generator', () => {
  it('VitePress: srcDir and base read as literals; /x is served from <srcDir>/public, then <srcDir>; locales are copies', async () => {
    const site = await siteOf(
      {
        '/p/docs/.vitepress/config.mts': "import { defineConfig } from 'vitepress'\nexport default defineConfig({ srcDir: 'src', base: '/vp/' })\n",
        '/p/docs/src/guide/a.md': '',
        '/p/docs/src/zh/guide/a.md': '',
        '/p/docs/src/pt-BR/a.md': '',
        '/p/docs/src/public/logo.png': '',
      },
      '/p/docs/src/guide/a.md',
    );
    assert.strictEqual(site.generator, 'vitepress');
    assert.strictEqual(site.root, '/p/docs');
    assert.strictEqual(site.config, '/p/docs/.vitepress/config.mts');
    assert.deepStrictEqual(site.publicDirs, ['/p/docs/src/public', '/p/docs/src']);
    assert.strictEqual(site.base, '/vp/');
    assert.deepStrictEqual(site.contentDirs, ['/p/docs/src']);
    assert.deepStrictEqual(site.buildDirs, ['/p/docs/.vitepress/dist', '/p/docs/.vitepress/cache']);
    assert.deepStrictEqual(site.copyDirs, ['/p/docs/src/zh', '/p/docs/src/pt-BR']);
    assert.deepStrictEqual(site.notes, ['config.mts is a script: srcDir and base read where written as literals; zh, pt-BR taken as translations']);
  });

  it('VitePress without srcDir: the site folder itself; a .vitepress folder without a config is no site', async () => {
    const site = await siteOf({ '/p/docs/.vitepress/config.ts': 'export default {}\n', '/p/docs/a.md': '' }, '/p/docs/a.md');
    assert.deepStrictEqual(site.publicDirs, ['/p/docs/public', '/p/docs']);
    assert.strictEqual(site.base, '/');
    const none = await siteOf({ '/p/docs/.vitepress/theme/index.ts': '', '/p/docs/a.md': '' }, '/p/docs/a.md');
    assert.strictEqual(none.generator, 'plain');
  });

  it('Docusaurus: staticDirectories, baseUrl and the docs path; @site/ alias; i18n and versions are copies', async () => {
    const site = await siteOf(
      {
        '/p/website/docusaurus.config.ts': [
          'const config = {',
          "  url: 'https://jestjs.io',",
          "  baseUrl: '/jest/',",
          "  staticDirectories: ['static', 'assets'],",
          "  presets: [['classic', { docs: { path: '../docs', editUrl: 'https://github.com/x/y' } }]],",
          '};',
          'export default config;',
        ].join('\n'),
        '/p/docs/intro.md': '',
      },
      '/p/docs/intro.md',
    );
    assert.strictEqual(site.generator, 'docusaurus');
    assert.strictEqual(site.root, '/p/website');
    assert.strictEqual(site.config, '/p/website/docusaurus.config.ts');
    assert.deepStrictEqual(site.publicDirs, ['/p/website/static', '/p/website/assets']);
    assert.deepStrictEqual(site.aliases, [{ prefix: '@site/', dir: '/p/website' }]);
    assert.strictEqual(site.base, '/jest/');
    assert.deepStrictEqual(site.contentDirs, ['/p/docs'], 'the docs beside the site folder belong to it');
    assert.deepStrictEqual(site.buildDirs, ['/p/website/build', '/p/website/.docusaurus']);
    assert.deepStrictEqual(site.copyDirs, ['/p/website/i18n', '/p/website/versioned_docs', '/p/website/versioned_sidebars']);
    assert.deepStrictEqual(site.notes, ['docusaurus.config.ts is a script: staticDirectories, baseUrl and docs paths read where written as a literal']);
  });

  it('Docusaurus: only the exported config object’s own baseUrl and staticDirectories (react-native-website’s editUrl has a local baseUrl)', async () => {
    const editUrl = [
      '          editUrl: ({ locale, docPath }) => {',
      "            const baseUrl = 'https://github.com/facebook/react-native-website/edit/main';",
      "            const staticDirectories = ['nope'];",
      '            return { baseUrl: `${baseUrl}/docs/${docPath}` };',
      '          },',
    ];
    const config = (top: string[]): string =>
      ['// baseUrl: "/commented/"', 'const config = {', "  title: 'React Native',", "  url: 'https://reactnative.dev',", '  presets: [', "    ['classic', {", "        docs: { path: '../docs',", ...editUrl, '        },', '      }],', '  ],', "  plugins: [['x', { baseUrl: '/plugin/', staticDirectories: ['plugin'] }]],", ...top, '};', 'export default config;'].join('\n');
    const page = '/p/website/docs/intro.md';
    const acme = await siteOf({ '/p/website/docusaurus.config.ts': config(["  baseUrl: '/acme/',", "  'staticDirectories': [\"public\", 'static'],"]), [page]: '' }, page);
    assert.strictEqual(acme.base, '/acme/');
    assert.deepStrictEqual(acme.publicDirs, ['/p/website/public', '/p/website/static']);
    assert.strictEqual(served(acme, page, '/acme/img/x.png'), '/p/website/public/img/x.png | /p/website/static/img/x.png');
    const none = await siteOf({ '/p/website/docusaurus.config.ts': config([]), [page]: '' }, page);
    assert.strictEqual(none.base, '/', 'no top-level baseUrl: the default, not the local one in editUrl');
    assert.deepStrictEqual(none.publicDirs, ['/p/website/static']);
    const wrapped = await siteOf(
      { '/p/website/docusaurus.config.js': "module.exports = async function createConfig() {\n  const baseUrl = '/local/';\n  return { url: 'https://x.dev', baseUrl: \"/wrapped/\", presets: [] };\n};\n", [page]: '' },
      page,
    );
    assert.strictEqual(wrapped.base, '/wrapped/', 'a config returned by a function: its object’s own key');
  });

  it('Docusaurus in website/ with no docs path written: docs/ beside it is its docs, and the plan says why', async () => {
    const site = await siteOf({ '/p/website/docusaurus.config.js': 'module.exports = require("./config")(process.env);\n', '/p/docs/guide.md': '' }, '/p/docs/guide.md');
    assert.strictEqual(site.generator, 'docusaurus');
    assert.deepStrictEqual(site.publicDirs, ['/p/website/static']);
    assert.deepStrictEqual(site.contentDirs, ['/p/docs']);
    assert.strictEqual(site.base, '/');
    assert.strictEqual(
      site.notes[1],
      'no docs path written as a literal: the docs/ folder beside website/ is taken as its docs, as Docusaurus sites in their own folder usually have',
    );
  });

  it('Hugo (hugo.toml): staticDir, contentDir, the base path of baseURL; every other language under content/ is a copy', async () => {
    const site = await siteOf(
      {
        '/p/hugo.toml': 'baseURL = "https://example.org/handbook/"\ncontentDir = "pages"\nstaticDir = ["static", "assets/static"]\ndefaultContentLanguage = "de"\n',
        '/p/pages/de/a.md': '',
      },
      '/p/pages/de/a.md',
    );
    assert.strictEqual(site.generator, 'hugo');
    assert.strictEqual(site.config, '/p/hugo.toml');
    assert.deepStrictEqual(site.publicDirs, ['/p/static', '/p/assets/static']);
    assert.strictEqual(site.base, '/handbook/');
    assert.deepStrictEqual(site.contentDirs, ['/p/pages']);
    assert.deepStrictEqual(site.buildDirs, ['/p/public', '/p/resources/_gen']);
    assert.strictEqual(site.singlePagesHaveNoFolder, true);
    assert.ok(site.copyDirs.includes('/p/pages/fr') && site.copyDirs.includes('/p/pages/zh'), site.copyDirs.join());
    assert.ok(!site.copyDirs.includes('/p/pages/de'), 'the default language is the original');
    assert.deepStrictEqual(site.notes, ['staticDir, contentDir and defaultContentLanguage read from hugo.toml']);
  });

  // Found while writing these tests: the copies are "every language but the default" from a list
  // that leaves out en (English is taken as the usual original), so on a German-first Hugo site the
  // English translation under content/en/ counts as an original page.
  it('Hugo with defaultContentLanguage "de": content/en/ is a copy like every other language', async () => {
    const site = await siteOf({ '/p/hugo.toml': 'defaultContentLanguage = "de"\n', '/p/content/de/a.md': '', '/p/content/en/a.md': '' }, '/p/content/de/a.md');
    assert.strictEqual(isCopyPage(site, '/p/content/en/a.md'), true);
    assert.strictEqual(isCopyPage(site, '/p/content/de/a.md'), false);
  });

  it('Hugo with the old config.toml: a site only beside content/ and layouts/, themes/ or archetypes/', async () => {
    const hugo = await siteOf({ '/p/config.toml': 'baseURL = "/"\n', '/p/content/a.md': '', '/p/themes/t/theme.toml': '' }, '/p/content/a.md');
    assert.strictEqual(hugo.generator, 'hugo');
    assert.strictEqual(hugo.config, '/p/config.toml');
    const other = await siteOf({ '/p/config.toml': 'baseURL = "/"\n', '/p/content/a.md': '' }, '/p/content/a.md');
    assert.strictEqual(other.generator, 'plain', 'a config.toml of anything else is not taken for Hugo');
  });

  it('Hugo with a config folder (Docsy: config/_default/hugo.yaml, baseURL an alias): /images/x.png is static/images/x.png of the site folder', async () => {
    const files = {
      '/p/docsy.dev/config/_default/hugo.yaml': [
        'title: Docsy',
        'params:',
        '  productionURL: &productionURL https://www.docsy.dev',
        'baseURL: *productionURL',
        'cascade:',
        '  target: { path: / }',
        'module:',
        '  mounts:',
        '    - source: content/fr',
        '      target: content',
        '    - source: content/en',
        '      target: content',
        '',
      ].join('\n'),
      '/p/docsy.dev/config/_default/params.yaml': 'offlineSearch: true\n',
      '/p/docsy.dev/config/production/params.yaml': 'offlineSearch: false\n',
      '/p/docsy.dev/static/images/feedback.png': '',
      '/p/docsy.dev/content/en/docs/content/feedback.md': '',
      '/p/docsy.dev/content/fr/_index.md': '',
      '/p/README.md': '',
    };
    const site = await siteOf(files, '/p/docsy.dev/content/en/docs/content/feedback.md');
    assert.strictEqual(site.generator, 'hugo');
    assert.strictEqual(site.root, '/p/docsy.dev');
    assert.strictEqual(site.config, '/p/docsy.dev/config/_default/hugo.yaml');
    assert.deepStrictEqual(site.publicDirs, ['/p/docsy.dev/static']);
    assert.strictEqual(site.base, '/');
    assert.strictEqual(served(site, '/p/docsy.dev/content/en/docs/content/feedback.md', '/images/feedback.png'), '/p/docsy.dev/static/images/feedback.png | /p/docsy.dev/content/en/images/feedback.png', 'then a resource of the home page');
    assert.strictEqual(isCopyPage(site, '/p/docsy.dev/content/fr/_index.md'), true);
  });

  it('Hugo config folder: production overrides _default; staticDir as a YAML list; module mounts onto static replace static/', async () => {
    const yaml = await siteOf(
      {
        '/p/config/_default/hugo.yaml': 'baseURL: https://example.org/old/\nstaticDir:\n  - static\n  - shared/static # both\ncontentDir: pages\n',
        '/p/config/production/hugo.yaml': "baseURL: 'https://example.org/docs/'\n",
        '/p/config/development/hugo.yaml': 'baseURL: http://localhost:1313/\n',
        '/p/pages/a.md': '',
      },
      '/p/pages/a.md',
    );
    assert.strictEqual(yaml.generator, 'hugo');
    assert.deepStrictEqual(yaml.publicDirs, ['/p/static', '/p/shared/static']);
    assert.strictEqual(yaml.base, '/docs/', 'the build (hugo) uses the production environment');
    assert.deepStrictEqual(yaml.contentDirs, ['/p/pages']);
    const toml = await siteOf(
      {
        '/p/config/_default/hugo.toml': 'baseURL = "https://example.org/"\n',
        '/p/config/_default/module.toml': '[[mounts]]\nsource = "content"\ntarget = "content"\n[[mounts]]\nsource = "node_modules/brand/img"\ntarget = "static/brand"\n[[mounts]]\nsource = "assets/public"\ntarget = "static"\n',
        '/p/content/a.md': '',
      },
      '/p/content/a.md',
    );
    assert.deepStrictEqual(toml.publicDirs, ['/p/assets/public'], 'a mount onto static replaces the default static/');
    const json = await siteOf({ '/p/config/_default/config.json': '{ "staticDir": "files", "module": { "mounts": [{ "source": "files", "target": "static" }, { "source": "more", "target": "static" }] } }', '/p/content/a.md': '', '/p/layouts/x.html': '' }, '/p/content/a.md');
    assert.deepStrictEqual(json.publicDirs, ['/p/files', '/p/more']);
    const notHugo = await siteOf({ '/p/config/_default/config.json': '{}', '/p/content/a.md': '' }, '/p/content/a.md');
    assert.strictEqual(notHugo.generator, 'plain', 'config/_default/config.json of anything else is not taken for Hugo');
  });

  it('Jekyll (_config.yml): source and baseurl, quoted or not, a comment after; _site is build output', async () => {
    const site = await siteOf({ '/p/_config.yml': 'title: Blog\nbaseurl: "/blog" # the sub-path\nsource: site\n', '/p/site/_posts/a.md': '' }, '/p/site/_posts/a.md');
    assert.strictEqual(site.generator, 'jekyll');
    assert.deepStrictEqual(site.publicDirs, ['/p/site']);
    assert.strictEqual(site.base, '/blog/');
    assert.deepStrictEqual(site.buildDirs, ['/p/_site']);
    assert.deepStrictEqual(site.notes, ['source, baseurl, permalink and collections read from _config.yml']);
  });

  it('MkDocs (mkdocs.yml): docs_dir, site_dir, markdown_extensions and use_directory_urls', async () => {
    const site = await siteOf(
      { '/p/mkdocs.yml': 'site_name: Manual\ndocs_dir: manual\nsite_dir: out\nuse_directory_urls: false\nmarkdown_extensions:\n  - admonition\n  - pymdownx.tabbed:\n      alternate_style: true\ntheme: material\n', '/p/manual/a.md': '' },
      '/p/manual/a.md',
    );
    assert.strictEqual(site.generator, 'mkdocs');
    assert.deepStrictEqual(site.publicDirs, ['/p/manual']);
    assert.deepStrictEqual(site.contentDirs, ['/p/manual']);
    assert.deepStrictEqual(site.buildDirs, ['/p/out']);
    assert.deepStrictEqual(site.blocks, { admonition: true, details: false, tabbed: true, defList: false });
    assert.strictEqual(site.directoryUrls, false);
    const defaults = await siteOf({ '/p/mkdocs.yaml': 'site_name: x\n', '/p/docs/a.md': '' }, '/p/docs/a.md');
    assert.deepStrictEqual({ publicDirs: defaults.publicDirs, buildDirs: defaults.buildDirs, directoryUrls: defaults.directoryUrls }, { publicDirs: ['/p/docs'], buildDirs: ['/p/site'], directoryUrls: true });
  });

  it('plain: no config anywhere up to the project root: / is the repository root, as GitHub shows it', async () => {
    const site = await siteOf({ '/p/README.md': '', '/p/docs/guide/a.md': '' }, '/p/docs/guide/a.md');
    assert.deepStrictEqual(site, plainSite('/p'));
    assert.strictEqual(site.generator, 'plain');
    assert.deepStrictEqual(site.publicDirs, ['/p']);
    assert.deepStrictEqual(site.notes, ['no site config found: links resolve as GitHub shows them (/ is the repository root)']);
  });

  it('the nearest config above the page wins; each folder is listed and each config read once per finder', async () => {
    const host = new MemorySite({ '/p/mkdocs.yml': 'docs_dir: docs\n', '/p/docs/a.md': '', '/p/docs/b.md': '', '/p/blog/_config.yml': 'baseurl: /blog\n', '/p/blog/post.md': '' });
    const finder = new SiteFinder(host);
    assert.strictEqual((await finder.siteFor('/p/blog/post.md', '/p')).generator, 'jekyll');
    assert.strictEqual((await finder.siteFor('/p/docs/a.md', '/p')).generator, 'mkdocs');
    assert.strictEqual((await finder.siteFor('/p/docs/b.md', '/p')).generator, 'mkdocs');
    assert.deepStrictEqual(host.reads.sort(), ['/p/blog/_config.yml', '/p/mkdocs.yml']);
    assert.strictEqual(new Set(host.listed).size, host.listed.length, `listed twice: ${host.listed.join(', ')}`);
  });
});

describe('core/docs/sites: where a link is served from', () => {
  const docusaurus = siteOf({ '/p/website/docusaurus.config.js': "module.exports = { baseUrl: '/jest/', staticDirectories: ['static', 'assets'] };\n", '/p/website/docs/a.md': '' }, '/p/website/docs/a.md');

  it('root-relative links: every public folder in order; the base path is stripped only as a whole segment', async () => {
    const site = await docusaurus;
    const page = '/p/website/docs/a.md';
    assert.strictEqual(served(site, page, '/img/fox.png'), '/p/website/static/img/fox.png | /p/website/assets/img/fox.png');
    assert.strictEqual(served(site, page, '/jest/img/kite.png'), '/p/website/static/img/kite.png | /p/website/assets/img/kite.png');
    assert.strictEqual(served(site, page, '/jester/kite.png'), '/p/website/static/jester/kite.png | /p/website/assets/jester/kite.png');
    assert.strictEqual(served(site, page, '@site/static/img/owl.png'), '/p/website/static/img/owl.png');
  });

  it('relative links: beside the page, ../ followed, a query, a fragment and %20 taken off', async () => {
    const site = await docusaurus;
    const page = '/p/website/docs/guide/a.md';
    assert.strictEqual(served(site, page, './img/a.png'), '/p/website/docs/guide/img/a.png');
    assert.strictEqual(served(site, page, '../shared/b.png'), '/p/website/docs/shared/b.png');
    assert.strictEqual(served(site, page, 'img/my%20chart.png?v=2#top'), '/p/website/docs/guide/img/my chart.png');
    assert.strictEqual(served(site, page, '  spaced.png  '), '/p/website/docs/guide/spaced.png');
  });

  it('remote and served-as-written links name no file: http(s), data:, //host, a fragment, pathname://', async () => {
    const site = await docusaurus;
    const page = '/p/website/docs/a.md';
    for (const link of ['https://example.org/a.png', 'HTTP://example.org/a.png', 'data:image/png;base64,AAAA', '//cdn.example.org/a.png', '#anchor', '']) {
      assert.strictEqual(served(site, page, link), 'remote', link);
    }
    assert.strictEqual(served(site, page, 'pathname:///img/raw.png'), 'skip: pathname');
    assert.strictEqual(served(site, page, 'PATHNAME:///img/raw.png'), 'skip: pathname');
  });

  it('VitePress and Jekyll strip their base; a plain tree serves / from the repository root', async () => {
    const vitepress = await siteOf({ '/p/.vitepress/config.js': "export default { base: '/vp/' }\n", '/p/guide/a.md': '' }, '/p/guide/a.md');
    assert.strictEqual(served(vitepress, '/p/guide/a.md', '/vp/logo.png'), '/p/public/logo.png | /p/logo.png');
    const jekyll = await siteOf({ '/p/_config.yml': 'baseurl: /blog\n', '/p/_posts/a.md': '' }, '/p/_posts/a.md');
    assert.strictEqual(served(jekyll, '/p/_posts/a.md', '/blog/assets/a.png'), '/p/assets/a.png');
    const plain = plainSite('/p');
    assert.strictEqual(served(plain, '/p/docs/guide/a.md', '/media/a.png'), '/p/media/a.png');
  });

  it('MkDocs: raw HTML on a page with directory URLs is relative to the page’s own URL folder; index pages and markdown links are not', async () => {
    const site = await siteOf({ '/p/mkdocs.yml': 'site_name: x\n', '/p/docs/guide/setup.md': '' }, '/p/docs/guide/setup.md');
    assert.strictEqual(served(site, '/p/docs/guide/setup.md', '../img/a.png', true), '/p/docs/guide/img/a.png');
    assert.strictEqual(served(site, '/p/docs/guide/setup.md', '../img/a.png', false), '/p/docs/img/a.png');
    assert.strictEqual(served(site, '/p/docs/guide/index.md', 'img/a.png', true), '/p/docs/guide/img/a.png');
    assert.strictEqual(served(site, '/p/docs/guide/README.md', 'img/a.png', true), '/p/docs/guide/img/a.png');
  });

  it('Hugo: a single page’s relative image is served from its URL folder (static/ first, then content/); a bundle’s is beside it; /x is static/', async () => {
    const site = await siteOf({ '/p/hugo.toml': 'baseURL = "https://example.org/"\n', '/p/content/en/single.md': '' }, '/p/content/en/single.md');
    assert.strictEqual(served(site, '/p/content/en/single.md', 'picture.png'), '/p/static/en/single/picture.png | /p/content/en/single/picture.png', 'served at /en/single/: no language config, content/en is a section');
    assert.strictEqual(served(site, '/p/content/en/bundle/index.md', 'diagram.png'), '/p/content/en/bundle/diagram.png');
    assert.strictEqual(served(site, '/p/content/en/_index.md', 'cover.png'), '/p/content/en/cover.png');
    assert.strictEqual(served(site, '/p/content/en/single.md', '/images/a.png'), '/p/static/images/a.png | /p/content/images/a.png', 'content/images/a.png is a resource of the home page');
    assert.strictEqual(served(site, '/p/layouts/partials/x.md', 'a.png'), '/p/layouts/partials/a.png', 'outside content/ the rule does not apply');
  });
});

describe('core/docs/sites: Hugo serves a single-file page at a URL folder of its own, and a relative link resolves from there', () => {
  // Modeled on gohugoio/hugoDocs: content/en mounted as content, one language, pages with url: front matter.
  const hugoDocs = {
    '/p/hugo.toml': [
      'baseURL = "https://gohugo.io/"',
      'defaultContentLanguage = "en"',
      '[languages]',
      '  [languages.en]',
      "    label = 'English'",
      '[module]',
      '  [[module.mounts]]',
      '    source = "assets"',
      '    target = "assets"',
      '  [[module.mounts]]',
      "    source = 'content/en'",
      "    target = 'content'",
      '',
    ].join('\n'),
    '/p/content/en/docs/foo.md': '',
  };
  const at = async (files: Record<string, string>, document: string, link: string, text = '', html = false): Promise<string> => {
    const site = await siteOf({ ...files, [document]: text }, document);
    const r = resolveLink(site, document, link, html, text);
    return r.kind === 'file' ? r.candidates.join(' | ') + (r.singlePage ? ' (single page)' : '') : r.kind === 'skip' ? `skip: ${r.reason}` : 'remote';
  };

  it('content/docs/foo.md is served at /docs/foo/: img.png is /docs/foo/img.png, ../img/a.png is /docs/img/a.png, from static/ then content/', async () => {
    const page = '---\ntitle: Foo\n---\n';
    assert.strictEqual(await at(hugoDocs, '/p/content/en/docs/foo.md', 'img.png', page), '/p/static/docs/foo/img.png | /p/content/en/docs/foo/img.png');
    assert.strictEqual(await at(hugoDocs, '/p/content/en/docs/foo.md', '../img/a.png', page, true), '/p/static/docs/img/a.png | /p/content/en/docs/img/a.png', 'raw HTML resolves from the same URL');
    assert.strictEqual(await at(hugoDocs, '/p/content/en/docs/foo.md', '../../../../x.png', page), '/p/static/x.png | /p/content/en/x.png', 'above / the browser stays at /');
    assert.strictEqual(await at(hugoDocs, '/p/content/en/Getting Started/First Steps.md', 'a.png', page), '/p/static/getting-started/first-steps/a.png | /p/content/en/Getting Started/First Steps/a.png', 'the URL is lower-cased, spaces made hyphens; the content folder keeps its name');
  });

  it('front matter: url: sets the whole URL (hugoDocs’ commands pages), slug: the last segment; TOML front matter too; tokens are not followed', async () => {
    const tidy = '---\ntitle: "hugo mod tidy"\nslug: hugo_mod_tidy\nurl: /commands/hugo_mod_tidy/\n---\n';
    assert.strictEqual(await at(hugoDocs, '/p/content/en/commands/hugo_mod_tidy.md', 'shot.png', tidy), '/p/static/commands/hugo_mod_tidy/shot.png | /p/content/en/commands/hugo_mod_tidy/shot.png');
    assert.strictEqual(await at(hugoDocs, '/p/content/en/posts/post-1.md', 'a.png', "+++\ntitle = 'My First Post'\nslug = 'my-first-post'\n+++\n"), '/p/static/posts/my-first-post/a.png | /p/content/en/posts/my-first-post/a.png');
    assert.strictEqual(await at(hugoDocs, '/p/content/en/posts/post-1.md', 'a.png', "---\nurl: 'articles/my-first-article.html'\n---\n"), '/p/static/articles/a.png | /p/content/en/articles/a.png', 'an extension: served as that file');
    assert.strictEqual(await at(hugoDocs, '/p/content/en/posts/post-1.md', 'a.png', '---\nurl: /about\n---\n'), '/p/static/about/a.png | /p/content/en/about/a.png', 'no trailing slash: still a folder');
    assert.strictEqual(await at(hugoDocs, '/p/content/en/posts/post-1.md', 'a.png', '---\nurl: /:sections[last]/:slug\n---\n'), '/p/content/en/posts/a.png (single page)');
    assert.strictEqual(await at(hugoDocs, '/p/content/en/posts/post-1.md', 'a.png', '+++\ntitle = "x"\n[params]\nurl = "/elsewhere/"\n+++\n'), '/p/static/posts/post-1/a.png | /p/content/en/posts/post-1/a.png', 'a key of a table is no url');
  });

  it('uglyURLs, disablePathToLower and permalinks change the URL; a pattern (or per-section ugly URLs) leaves it unknown: the link cannot be placed', async () => {
    const ugly = { '/p/hugo.toml': 'uglyURLs = true\n[params]\n  disablePathToLower = true\n' };
    assert.strictEqual(await at(ugly, '/p/content/Docs/Foo.md', 'img.png'), '/p/static/docs/img.png | /p/content/Docs/img.png', '/docs/foo.html: its folder is /docs/');
    const cased = { '/p/config/_default/hugo.yaml': 'disablePathToLower: true\nuglyURLs: false\n' };
    assert.strictEqual(await at(cased, '/p/content/Docs/Foo.md', 'img.png'), '/p/static/Docs/Foo/img.png | /p/content/Docs/Foo/img.png');
    const perSection = { '/p/hugo.toml': '[uglyURLs]\n  books = true\n' };
    assert.strictEqual(await at(perSection, '/p/content/docs/foo.md', 'img.png'), '/p/content/docs/img.png (single page)');
    const toml = { '/p/hugo.toml': "[permalinks]\n  [permalinks.page]\n    posts = '/:year/:month/:slug/'\n  [permalinks.section]\n    docs = '/:sections[1:]'\n" };
    assert.strictEqual(await at(toml, '/p/content/posts/hello.md', 'a.png'), '/p/content/posts/a.png (single page)');
    assert.strictEqual(await at(toml, '/p/content/docs/hello.md', 'a.png'), '/p/static/docs/hello/a.png | /p/content/docs/hello/a.png', 'a section pattern leaves its pages alone');
    // Modeled on Docsy’s config/doc-rooted/hugo.yaml.
    const yaml = { '/p/config/_default/hugo.yaml': 'permalinks:\n  page:\n    docs: /:sections[1:]/:slug/\n  section:\n    blog: /:sections[1:]\n' };
    assert.strictEqual(await at(yaml, '/p/content/docs/a.md', 'x.png'), '/p/content/docs/x.png (single page)');
    assert.strictEqual(await at(yaml, '/p/content/blog/a.md', 'x.png'), '/p/static/blog/a/x.png | /p/content/blog/a/x.png');
  });

  it('languages (Docsy: content/en and content/fr mounted as content): a French page is served under /fr/, and so is its static file', async () => {
    const docsy = {
      '/p/config/_default/hugo.yaml': 'languages:\n  en:\n    label: English\n  fr:\n    label: Français\nmodule:\n  mounts:\n    - source: content/fr\n      target: content\n    - source: content/en\n      target: content\n    - source: ../AGENTS.md\n      target: content/project/repo/AGENTS.md\n',
    };
    assert.strictEqual(await at(docsy, '/p/content/fr/docs/a.md', 'x.png'), '/p/static/fr/docs/a/x.png | /p/content/fr/docs/a/x.png');
    assert.strictEqual(await at(docsy, '/p/content/en/docs/a.md', '../x.png'), '/p/static/docs/x.png | /p/content/en/docs/x.png');
    assert.strictEqual(await at(docsy, '/p/content/en/docs/a.md', '/fr/x.png'), '/p/static/fr/x.png | /p/content/fr/x.png', 'the longest URL folder serves it');
    const named = { '/p/hugo.toml': 'defaultContentLanguage = "en"\n[languages.fr]\nweight = 2\n' };
    assert.strictEqual(await at(named, '/p/content/docs/a.fr.md', 'x.png'), '/p/static/fr/docs/a/x.png | /p/content/docs/a/x.png', 'a.fr.md is the French a');
    assert.strictEqual(await at(named, '/p/content/en/docs/a.md', 'x.png'), '/p/static/docs/a/x.png | /p/content/en/docs/a/x.png', 'with languages, content/en is the default language’s folder');
    const sub = { '/p/hugo.toml': 'defaultContentLanguage = "en"\ndefaultContentLanguageInSubdir = true\n[languages.en]\n' };
    assert.strictEqual(await at(sub, '/p/content/en/docs/a.md', 'x.png'), '/p/static/en/docs/a/x.png | /p/content/en/docs/a/x.png');
  });

  it('module mounts onto static/<sub> serve their source at /<sub>/, before static/; with only those, /x is served from content/ alone, or from nothing', async () => {
    const brand = await siteOf(
      {
        '/p/config/_default/hugo.toml': 'baseURL = "https://example.org/"\n',
        '/p/config/_default/module.toml': '[[mounts]]\nsource = "content"\ntarget = "content"\n[[mounts]]\nsource = "node_modules/brand/img"\ntarget = "static/brand"\n[[mounts]]\nsource = "assets/public"\ntarget = "static"\n',
        '/p/content/docs/a.md': '',
      },
      '/p/content/docs/a.md',
    );
    assert.deepStrictEqual(brand.prefixDirs, [{ prefix: '/brand/', dir: '/p/node_modules/brand/img' }]);
    assert.strictEqual(served(brand, '/p/content/docs/a.md', '/brand/logo.png'), '/p/node_modules/brand/img/logo.png | /p/assets/public/brand/logo.png | /p/content/brand/logo.png');
    assert.strictEqual(served(brand, '/p/content/docs/a.md', '../../brand/logo.png'), '/p/node_modules/brand/img/logo.png | /p/assets/public/brand/logo.png | /p/content/brand/logo.png', 'a relative link reaching /brand/ too');
    assert.strictEqual(served(brand, '/p/content/docs/a.md', '/brandnew/x.png'), '/p/assets/public/brandnew/x.png | /p/content/brandnew/x.png', 'a folder whose name only starts the same is not under it');
    assert.ok(brand.notes.some((n) => n.includes('node_modules/brand/img (at /brand/)')), brand.notes.join('\n'));
    const only = await siteOf({ '/p/hugo.yaml': 'module:\n  mounts:\n    - source: shared/img\n      target: static/img\n', '/p/content/a.md': '' }, '/p/content/a.md');
    assert.deepStrictEqual(only.publicDirs, [], 'a mount onto static replaces the default static/');
    assert.strictEqual(served(only, '/p/content/a.md', '/img/x.png'), '/p/shared/img/x.png | /p/content/img/x.png');
    assert.strictEqual(served(only, '/p/content/a.md', '/css/x.png'), '/p/content/css/x.png', 'a resource of the home page');
    const blog = await siteOf({ '/p/hugo.yaml': 'module:\n  mounts:\n    - source: shared/img\n      target: static/img\n    - source: posts\n      target: content/blog\n', '/p/posts/a.md': '' }, '/p/posts/a.md');
    assert.deepStrictEqual(blog.contentDirs, ['/p/content', '/p/posts']);
    assert.strictEqual(served(blog, '/p/posts/a.md', 'x.png'), '/p/posts/a/x.png', 'served at /blog/a/x.png, from the mounted posts/');
    assert.strictEqual(served(blog, '/p/posts/a.md', '/css/x.png'), 'skip: unserved', 'no folder serves /css/');
  });
});

describe('core/docs/sites: Jekyll serves pages at URLs of their own, and a relative link resolves from there', () => {
  // Modeled on jekyll/jekyll's docs/: collections with output and permalinks, posts with a news permalink, baseurl.
  const config = [
    '---',
    'url: https://jekyllrb.com',
    'baseurl: /jekyll # served under a sub-path',
    'collections:',
    '  docs:',
    '    permalink: "/:collection/:path/"',
    '    output: true',
    '  posts:',
    '    permalink: "/news/:year/:month/:day/:title/"',
    '    output: true',
    '  tutorials:',
    "    permalink: '/:collection/:path/'",
    '    output: true',
    '  recipes:',
    '    output: true',
    '  drafts_kept:',
    '    permalink: /kept/:path/',
    'defaults:',
    '- scope:',
    '    path: _docs',
    '',
  ].join('\n');
  const page = (front: string): string => `---\n${front}title: A page\n---\n\nText.\n`;
  const at = async (document: string, link: string, text = page('')): Promise<string> => {
    const site = await siteOf({ '/p/docs/_config.yml': config, [document]: text }, document);
    const r = resolveLink(site, document, link, true, text);
    return r.kind === 'file' ? r.candidates[0] : r.kind;
  };

  it('a collection page (output: true, /:collection/:path/): ../../img/x.png is the site’s img/ (convert-site-to-jekyll.md)', async () => {
    assert.strictEqual(await at('/p/docs/_tutorials/convert-site-to-jekyll.md', '../../img/jekylllayoutconcept.png'), '/p/docs/img/jekylllayoutconcept.png');
    assert.strictEqual(await at('/p/docs/_docs/community/bug.md', '../../../img/a.png'), '/p/docs/img/a.png', '/docs/community/bug/ is three folders down');
    assert.strictEqual(await at('/p/docs/_recipes/soup.md', '../img/a.png'), '/p/docs/img/a.png', 'no permalink: /:collection/:path.html, one folder down');
    assert.strictEqual(await at('/p/docs/_drafts_kept/a.md', 'img/a.png'), '/p/docs/_drafts_kept/img/a.png', 'a collection without output is not served: beside the source');
    assert.strictEqual(await at('/p/docs/_includes/part.md', 'img/a.png'), '/p/docs/_includes/img/a.png', 'not a page of the site: beside the source');
  });

  it('a page’s own permalink front matter wins; posts are served at their date URL; a file without front matter is not a page', async () => {
    assert.strictEqual(await at('/p/docs/_docs/community/bug.md', '../../img/a.png', page('permalink: "/community/bug/"\n')), '/p/docs/img/a.png');
    assert.strictEqual(await at('/p/docs/pages/team.md', '../img/t.png', page('permalink: /team/\n')), '/p/docs/img/t.png');
    assert.strictEqual(await at('/p/docs/pages/plain.md', 'img/t.png'), '/p/docs/pages/img/t.png', 'a page with no permalink: /pages/plain.html, beside its source');
    assert.strictEqual(await at('/p/docs/_posts/2018-08-01-jekyll-sponsoring.markdown', '../../../../../img/forestry.png'), '/p/docs/img/forestry.png', '/news/2018/08/01/jekyll-sponsoring/');
    assert.strictEqual(await at('/p/docs/_tutorials/raw.md', 'img/a.png', 'No front matter.\n'), '/p/docs/_tutorials/img/a.png');
    assert.strictEqual(await at('/p/docs/_tutorials/convert-site-to-jekyll.md', '/jekyll/img/x.png'), '/p/docs/img/x.png', 'root-absolute: baseurl stripped, as before');
  });

  it('the global permalink style: pretty puts pages and posts one folder deeper; the default date style posts under their categories', async () => {
    const pretty = await siteOf({ '/p/_config.yml': 'permalink: pretty\n', '/p/about.md': '' }, '/p/about.md');
    assert.strictEqual(served(pretty, '/p/_posts/2020-01-02-hello.md', '../../../../img/a.png'), '/p/img/a.png', '/2020/01/02/hello/');
    assert.strictEqual(resolveLink(pretty, '/p/about.md', '../img/a.png', false, page('')).kind === 'file' && served(pretty, '/p/about.md', '../img/a.png'), '/p/img/a.png', '/about/');
    const plain = await siteOf({ '/p/_config.yml': 'title: Blog\n', '/p/about.md': '' }, '/p/about.md');
    assert.strictEqual(served(plain, '/p/news/_posts/2020-01-02-hello.md', '../../../../img/a.png'), '/p/img/a.png', '/news/2020/01/02/hello.html');
    assert.strictEqual(served(plain, '/p/about.md', 'img/a.png'), '/p/img/a.png');
  });

  it('static files of a collection with output are served under its URL folder: /tutorials/x.png is _tutorials/x.png, looked in before the source', async () => {
    assert.strictEqual(await at('/p/docs/_tutorials/convert-site-to-jekyll.md', 'img/x.png'), '/p/docs/_tutorials/convert-site-to-jekyll/img/x.png', 'the tutorial is at /tutorials/convert-site-to-jekyll/');
    assert.strictEqual(await at('/p/docs/_tutorials/convert-site-to-jekyll.md', '../shot.png'), '/p/docs/_tutorials/shot.png');
    assert.strictEqual(await at('/p/docs/_tutorials/convert-site-to-jekyll.md', '/jekyll/tutorials/shot.png'), '/p/docs/_tutorials/shot.png', 'a root-absolute link under baseurl too');
    assert.strictEqual(await at('/p/docs/_docs/community/bug.md', '../../img/a.png'), '/p/docs/_docs/img/a.png', '/docs/img/a.png is the docs collection’s img/');
    assert.strictEqual(await at('/p/docs/_recipes/soup.md', 'img/a.png'), '/p/docs/_recipes/img/a.png', 'no permalink: /:collection/:path:output_ext keeps the path too');
    assert.strictEqual(await at('/p/docs/_docs/community/bug.md', '../../../img/a.png'), '/p/docs/img/a.png', 'outside every collection: the source');
    const site = await siteOf({ '/p/docs/_config.yml': config, '/p/docs/index.md': '' }, '/p/docs/index.md');
    assert.deepStrictEqual(
      site.prefixDirs,
      [
        { prefix: '/docs/', dir: '/p/docs/_docs' },
        { prefix: '/tutorials/', dir: '/p/docs/_tutorials' },
        { prefix: '/recipes/', dir: '/p/docs/_recipes' },
      ],
      'posts (a date URL) and a collection without output are not',
    );
    const r = resolveLink(site, '/p/docs/_tutorials/a.md', 'x.png', false, page(''));
    assert.deepStrictEqual(r.kind === 'file' && r.candidates, ['/p/docs/_tutorials/a/x.png', '/p/docs/tutorials/a/x.png'], 'a file at the same path of the source serves it too, second');
  });

  it('a collection’s static files keep their path only when its permalink does: /:collection/:name/ does not; collections_dir moves the folders', async () => {
    const named = await siteOf({ '/p/_config.yml': 'collections:\n  books:\n    output: true\n    permalink: /:collection/:name/\n  faq:\n    output: true\n    permalink: /help/:path/\n', '/p/a.md': '' }, '/p/a.md');
    assert.deepStrictEqual(named.prefixDirs, [{ prefix: '/help/', dir: '/p/_faq' }]);
    const moved = await siteOf({ '/p/_config.yml': 'collections_dir: my_collections\npermalink: pretty\ncollections:\n  books:\n    output: true\n', '/p/a.md': '' }, '/p/a.md');
    assert.deepStrictEqual(moved.prefixDirs, [{ prefix: '/books/', dir: '/p/my_collections/_books' }]);
    assert.strictEqual(served(moved, '/p/a.md', '/books/cover.png'), '/p/my_collections/_books/cover.png | /p/books/cover.png');
    const root = await siteOf({ '/p/_config.yml': 'collections:\n  pages:\n    output: true\n    permalink: /:path/\n', '/p/a.md': '' }, '/p/a.md');
    assert.strictEqual(served(root, '/p/a.md', '/img/x.png'), '/p/img/x.png | /p/_pages/img/x.png', 'a collection served at / comes after the source');
  });
});

describe('core/docs/sites: build output, copies, the plan’s view, overrides', () => {
  it('isBuildOutput: each generator’s output folders, not a folder whose name only starts the same', async () => {
    const docusaurus = await siteOf({ '/p/docusaurus.config.js': '', '/p/docs/a.md': '' }, '/p/docs/a.md');
    assert.strictEqual(isBuildOutput(docusaurus, '/p/build/docs/a.md'), true);
    assert.strictEqual(isBuildOutput(docusaurus, '/p/.docusaurus/x.md'), true);
    assert.strictEqual(isBuildOutput(docusaurus, '/p/build-tools/a.md'), false);
    assert.strictEqual(isBuildOutput(docusaurus, '/p/docs/build/a.md'), false);
    const vitepress = await siteOf({ '/p/.vitepress/config.ts': '', '/p/a.md': '' }, '/p/a.md');
    assert.strictEqual(isBuildOutput(vitepress, '/p/.vitepress/dist/a.md'), true);
    assert.strictEqual(isBuildOutput(vitepress, '/p/.vitepress/cache/deps/a.md'), true);
    const mkdocs = await siteOf({ '/p/mkdocs.yml': "site_dir: 'public_html'\n", '/p/docs/a.md': '' }, '/p/docs/a.md');
    assert.strictEqual(isBuildOutput(mkdocs, '/p/public_html/a/index.md'), true);
    assert.strictEqual(isBuildOutput(mkdocs, '/p/site/a.md'), false, 'site/ is the default only');
    assert.strictEqual(isBuildOutput(plainSite('/p'), '/p/build/a.md'), false, 'a plain tree has no build output');
  });

  it('isCopyPage: Docusaurus translations and versions, Hugo’s other languages, translated file names', async () => {
    const docusaurus = await siteOf({ '/p/docusaurus.config.js': '', '/p/docs/a.md': '' }, '/p/docs/a.md');
    assert.strictEqual(isCopyPage(docusaurus, '/p/i18n/fr/docusaurus-plugin-content-docs/current/a.md'), true);
    assert.strictEqual(isCopyPage(docusaurus, '/p/versioned_docs/version-1.0/a.md'), true);
    assert.strictEqual(isCopyPage(docusaurus, '/p/docs/a.md'), false);
    const hugo = await siteOf({ '/p/hugo.toml': '', '/p/content/en/a.md': '' }, '/p/content/en/a.md');
    assert.strictEqual(isCopyPage(hugo, '/p/content/fr/a.md'), true);
    assert.strictEqual(isCopyPage(hugo, '/p/content/en/a.md'), false);
    const plain = plainSite('/p');
    assert.strictEqual(isCopyPage(plain, '/p/README.chinese.md'), true);
    assert.strictEqual(isCopyPage(plain, '/p/docs/guide.zh-cn.md'), true);
    assert.strictEqual(isCopyPage(plain, '/p/docs/intro.pt-BR.mdx'), true);
    assert.strictEqual(isCopyPage(plain, '/p/docs/guide.md'), false);
    assert.strictEqual(isCopyPage(plain, '/p/docs/release.v2.md'), false);
    assert.strictEqual(isCopyPage(plain, '/p/docs/readme.en.md'), false, 'English is the usual original');
  });

  it('locale names: codes with a region or script, language words (README.english.md is a copy); the code en and other words are not', () => {
    assert.deepStrictEqual(['zh', 'pt-BR', 'zh_Hans', 'ZH-CN', 'chinese', 'Japanese', 'english'].map(isLocaleName), [true, true, true, true, true, true, true]);
    assert.deepStrictEqual(['en', 'en-US', 'xx', 'docs', 'zh-toolong', 'a'].map(isLocaleName), [false, false, false, false, false, false]);
    assert.deepStrictEqual(['a.de.md', '.zh.md', 'de.md', 'a.md'].map(isTranslatedName), [true, false, false, false]);
  });

  it('describeSite: what a plan and --json show, paths relative to the project', async () => {
    const site = await siteOf({ '/p/website/docusaurus.config.js': "module.exports = { baseUrl: '/x/' }\n", '/p/website/docs/a.md': '' }, '/p/website/docs/a.md');
    assert.deepStrictEqual(describeSite(site, rel), {
      generator: 'docusaurus',
      root: 'website',
      config: 'website/docusaurus.config.js',
      publicDirs: ['website/static'],
      base: '/x/',
      // website/ has a docs/ of its own (Docusaurus' default path): no folder beside it is taken.
      notes: ['docusaurus.config.js is a script: staticDirectories, baseUrl and docs paths read where written as a literal'],
    });
    const beside = await siteOf({ '/p/website/docusaurus.config.js': "module.exports = { baseUrl: '/x/' }\n", '/p/docs/a.md': '' }, '/p/docs/a.md');
    assert.deepStrictEqual(describeSite(beside, rel).notes.slice(1), ['no docs path written as a literal: the docs/ folder beside website/ is taken as its docs, as Docusaurus sites in their own folder usually have']);
    assert.deepStrictEqual(describeSite(plainSite('/p'), rel), { generator: 'plain', root: '.', config: null, publicDirs: ['.'], base: '/', notes: ['no site config found: links resolve as GitHub shows them (/ is the repository root)'] });
  });

  it('siteOverride: the setting’s raw value, unknown or unsafe values dropped', () => {
    assert.deepStrictEqual(siteOverride({ generator: 'hugo', root: ' site ', publicDirs: ['static', '', 7, 'a\0b'], base: '/docs/' }), { generator: 'hugo', root: 'site', publicDirs: ['static'], base: '/docs/' });
    assert.deepStrictEqual(siteOverride({ generator: 'gatsby', root: 'x' }), { generator: undefined, root: 'x', publicDirs: undefined, base: undefined });
    assert.strictEqual(siteOverride({ generator: 'gatsby' }), undefined);
    assert.strictEqual(siteOverride(['hugo']), undefined);
    assert.strictEqual(siteOverride('hugo'), undefined);
    assert.strictEqual(siteOverride(null), undefined);
    assert.strictEqual(siteOverride({ root: 'x'.repeat(501) }), undefined);
    assert.strictEqual(siteOverride({ publicDirs: Array.from({ length: 20 }, (_, i) => `d${i}`) })?.publicDirs?.length, 8);
  });

  it('an override of public folders and base keeps what was detected and says so', async () => {
    const site = await siteOf({ '/p/docusaurus.config.js': "module.exports = { baseUrl: '/a/' }\n", '/p/docs/x.md': '' }, '/p/docs/x.md', { publicDirs: ['media'], base: 'b' });
    assert.strictEqual(site.generator, 'docusaurus');
    assert.deepStrictEqual(site.publicDirs, ['/p/media']);
    assert.strictEqual(site.base, '/b/');
    assert.strictEqual(site.config, '/p/docusaurus.config.js');
    assert.strictEqual(site.notes[site.notes.length - 1], 'illustrate.site overrides what was detected');
    assert.strictEqual(served(site, '/p/docs/x.md', '/b/logo.png'), '/p/media/logo.png');
  });

  it('an override of the generator and root: that generator’s defaults in that folder, no config claimed', async () => {
    const site = await siteOf({ '/p/README.md': '', '/p/site/content/a.md': '' }, '/p/site/content/a.md', { generator: 'hugo', root: 'site' });
    assert.strictEqual(site.generator, 'hugo');
    assert.strictEqual(site.root, '/p/site');
    assert.strictEqual(site.config, undefined);
    assert.deepStrictEqual(site.publicDirs, ['/p/site/static']);
    assert.deepStrictEqual(site.contentDirs, ['/p/site/content']);
    assert.deepStrictEqual(site.notes, ['illustrate.site overrides what was detected']);
    const plain = await siteOf({ '/p/mkdocs.yml': 'docs_dir: docs\n', '/p/docs/a.md': '' }, '/p/docs/a.md', { generator: 'plain' });
    assert.strictEqual(plain.generator, 'plain');
    assert.deepStrictEqual(plain.publicDirs, ['/p']);
  });
});

describe('core/docs/sites: configs are read for literals, never run', () => {
  it('a value the config computes is not taken: the generator’s default applies and the note says literals only', async () => {
    const config = [
      "const base = process.env.BASE_URL ?? '/computed/';",
      'module.exports = {',
      '  baseUrl: base,',
      '  staticDirectories: STATIC_DIRS,',
      "  presets: [['classic', { docs: { path: require('path').join(__dirname, 'guides') } }]],",
      '};',
    ].join('\n');
    const site = await siteOf({ '/p/website/docusaurus.config.js': config, '/p/docs/a.md': '' }, '/p/docs/a.md');
    assert.strictEqual(site.base, '/');
    assert.deepStrictEqual(site.publicDirs, ['/p/website/static']);
    assert.deepStrictEqual(site.contentDirs, ['/p/docs'], 'a docs path behind a function call is not guessed: the usual docs/ beside website/');
    assert.deepStrictEqual(site.notes, [
      'docusaurus.config.js is a script: staticDirectories, baseUrl and docs paths read where written as a literal',
      'no docs path written as a literal: the docs/ folder beside website/ is taken as its docs, as Docusaurus sites in their own folder usually have',
    ]);
  });

  // Found while writing these tests: the "docs/ beside the site folder" guess is made for a site at
  // the project root too (create-docusaurus's own config has no docs path), so the plan's site line
  // says a folder outside the project ("beside p/") is its docs.
  it('a default Docusaurus site at the project root takes no docs folder outside the project, and says nothing of one', async () => {
    const config = "const config = { title: 'My Site', baseUrl: '/', presets: [['classic', { docs: { sidebarPath: './sidebars.js' } }]] };\nmodule.exports = config;\n";
    const site = await siteOf({ '/p/docusaurus.config.js': config, '/p/docs/intro.md': '' }, '/p/docs/intro.md');
    assert.deepStrictEqual(site.contentDirs.filter((d) => !d.startsWith('/p/')), [], `outside the project: ${site.contentDirs.join(', ')}`);
    assert.deepStrictEqual(site.notes, ['docusaurus.config.js is a script: staticDirectories, baseUrl and docs paths read where written as a literal']);
  });

  // Found while writing these tests: a template literal with `${…}` in it is read as if it were a
  // plain string, so the plan shows a base the site never has, and a missing /img/x.png would be
  // written into a folder literally named `${__dirname}` (its link then still broken).
  it('a template literal with ${…} is computed, not a literal: base and static folder stay the defaults', async () => {
    const config = 'module.exports = { baseUrl: `/${process.env.BASE}/`, staticDirectories: [`${__dirname}/static`] };\n';
    const site = await siteOf({ '/p/website/docusaurus.config.js': config, '/p/website/docs/a.md': '' }, '/p/website/docs/a.md');
    assert.strictEqual(site.base, '/');
    assert.strictEqual(served(site, '/p/website/docs/a.md', '/img/x.png'), '/p/website/static/img/x.png');
  });

  it('keys are read whole: a key that only ends with the name, or is in a comment word, is not it', async () => {
    const config = "module.exports = { mybaseUrl: '/wrong/', metadata: { notbaseUrl: '/wrong2/' }, baseUrl: '/right/' };\n";
    const site = await siteOf({ '/p/docusaurus.config.js': config, '/p/docs/a.md': '' }, '/p/docs/a.md');
    assert.strictEqual(site.base, '/right/');
  });

  it('hostile configs give a model, not an exception: huge, binary, unclosed quotes and lists, odd quotes', async () => {
    const cases: Record<string, string> = {
      'unclosed list': `module.exports = { staticDirectories: ['static', ${"'x', ".repeat(5000)}`,
      'odd quotes': "module.exports = { baseUrl: '/a\", staticDirectories: [\"s', `t\"], path: ''' };\n",
      'binary': '\0\u0001\u00ff\ufffd'.repeat(10_000),
      'quotes only': "'\"`".repeat(100_000),
      'keys only': 'baseUrl:'.repeat(100_000),
    };
    for (const [name, config] of Object.entries(cases)) {
      const site = await siteOf({ '/p/docusaurus.config.js': config, '/p/docs/a.md': '' }, '/p/docs/a.md');
      assert.strictEqual(site.generator, 'docusaurus', name);
      assert.ok(site.base.startsWith('/') && site.base.endsWith('/'), `${name}: base ${site.base}`);
      assert.ok(site.publicDirs.length >= 1 && site.publicDirs.length <= 16, `${name}: ${site.publicDirs.length} public folders`);
    }
  });

  it('hostile Hugo, Jekyll and Docusaurus configs at the size cap: a model, not an exception, each read in one pass', async () => {
    const cap = 256 * 1024;
    const fill = (unit: string): string => unit.repeat(Math.ceil(cap / unit.length)).slice(0, cap);
    const started = Date.now();
    const hugo = await siteOf({ '/p/config/_default/hugo.yaml': `baseURL: *a\n${fill('    - source: *nowhere\n      target: static\n')}`, '/p/content/a.md': '' }, '/p/content/a.md');
    assert.strictEqual(hugo.generator, 'hugo');
    assert.strictEqual(hugo.base, '/', 'an alias to no anchor is no value');
    const aliases = await siteOf({ '/p/config/_default/hugo.yaml': `staticDir: [${'*x, '.repeat(50)}]\n${fill('&x ')}`, '/p/content/a.md': '' }, '/p/content/a.md');
    assert.ok(aliases.publicDirs.length <= 16, `${aliases.publicDirs.length} public folders`);
    const jekyll = await siteOf({ '/p/_config.yml': `permalink: constructor\ncollections:\n${fill('  __proto__:\n    output: true\n    permalink: /:constructor/:__proto__:toString/\n')}`, '/p/a.md': '' }, '/p/a.md');
    assert.strictEqual(served(jekyll, '/p/_posts/2020-01-02-x.md', 'a.png'), '/p/a.png', 'a permalink named like an Object property is a template of no placeholders');
    assert.strictEqual(served(jekyll, '/p/___proto__/b.md', '../a.png'), '/p/a.png');
    const docusaurus = await siteOf({ '/p/docusaurus.config.js': `module.exports = { url: 'x', ${fill('a: { b: ')}`, '/p/docs/a.md': '' }, '/p/docs/a.md');
    assert.strictEqual(docusaurus.base, '/');
    // Generous: each of these reads 256 KB a few times; a quadratic reading would take minutes.
    assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
  });

  it('a config larger than the cap is read up to it: a key written after the first 256 KB is not read', async () => {
    const far = `${'// padding\n'.repeat(30_000)}module.exports = { baseUrl: '/far/' };\n`;
    assert.ok(far.length > 256 * 1024);
    const site = await siteOf({ '/p/docusaurus.config.js': far, '/p/docs/a.md': '' }, '/p/docs/a.md');
    assert.strictEqual(site.base, '/');
    const near = await siteOf({ '/p/docusaurus.config.js': `module.exports = { baseUrl: '/near/' };\n${'// padding\n'.repeat(30_000)}`, '/p/docs/a.md': '' }, '/p/docs/a.md');
    assert.strictEqual(near.base, '/near/');
  });

  it('an unreadable config (the host gives nothing) is the generator’s defaults', async () => {
    const host: SiteHost = { list: async (dir) => (dir === '/p' ? ['mkdocs.yml', 'docs'] : []), read: async () => undefined };
    const site = await new SiteFinder(host).siteFor('/p/docs/a.md', '/p');
    assert.strictEqual(site.generator, 'mkdocs');
    assert.deepStrictEqual(site.publicDirs, ['/p/docs']);
    assert.deepStrictEqual(site.buildDirs, ['/p/site']);
  });
});
