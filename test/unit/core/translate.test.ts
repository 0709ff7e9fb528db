/**
 * Translated pictures in core (core/variants): which page translates which and where its picture
 * goes, per generator (in-memory sites); the link edit of each kind of link; the instruction; and
 * on the real translated sites (../shared/real-docs: VitePress's eight locales, nodebestpractices'
 * README.<language>.md, Docsy's content/fr) exactly which pictures are planned and which links change.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SiteFinder, SiteHost, SiteModel } from '../../../src/core/docs/sites';
import { languageTag } from '../../../src/core/docs/locales';
import { scanDocument } from '../../../src/core/docs/docScan';
import { applyEdits } from '../../../src/core/docs/altText';
import { translatedPlace, translationOf } from '../../../src/core/variants/pages';
import { ownLanguageName, languageName } from '../../../src/core/variants/language';
import { asksForText, captionAfter, langMatches, planTranslations, translatedLinkEdit, translationInstruction, TranslationPlan } from '../../../src/core/variants/translate';
import { scanMissing } from '../../../src/core/fill/fill';
import { DiskWorkspace } from '../../../src/node/disk';
import { readSmallFile } from '../../../src/node/files';
import { readProjectFile } from '../../../src/node/realPath';
import { SHARED, skipWithoutShared } from '../../fixtures/shared';

class MemorySite implements SiteHost {
  constructor(private readonly files: Record<string, string>) {}
  async list(dir: string): Promise<readonly string[]> {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    return [...new Set(Object.keys(this.files).filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length).split('/')[0]))];
  }
  async read(file: string): Promise<string | undefined> {
    return this.files[file];
  }
}

function siteOf(files: Record<string, string>, page: string): Promise<SiteModel> {
  return new SiteFinder(new MemorySite(files)).siteFor(page, '/p');
}

/** What a page translates and where a picture of it goes: `lang sources… | out (relink)`, or `-` for a page that is no translation. */
async function placed(files: Record<string, string>, page: string, image: string): Promise<string> {
  const site = await siteOf(files, page);
  const t = translationOf(site, page);
  if (!t) {
    return '-';
  }
  const p = translatedPlace(site, t, image, page);
  return `${t.lang} ${t.sources.join(' ')} | ${p.path}${p.relink ? '' : ' (no link change)'}`;
}

describe('translated pictures: pages, places, links (core/variants)', () => {
  it('Docusaurus: an i18n/<locale> page translates its docs, blog or versioned page; the picture goes into the locale\'s tree', async () => {
    const files = { '/p/docusaurus.config.js': '', '/p/docs/guide.md': '', '/p/i18n/ja/docusaurus-plugin-content-docs/current/guide.md': '' };
    assert.strictEqual(await placed(files, '/p/i18n/ja/docusaurus-plugin-content-docs/current/a/guide.md', '/p/docs/a/img/x.png'), 'ja /p/docs/a/guide.md | /p/i18n/ja/docusaurus-plugin-content-docs/current/a/img/x.png');
    assert.strictEqual(await placed(files, '/p/i18n/ja/docusaurus-plugin-content-docs/current/guide.md', '/p/static/img/x.png'), 'ja /p/docs/guide.md | /p/i18n/ja/docusaurus-plugin-content-docs/current/x.png');
    assert.strictEqual(await placed(files, '/p/i18n/zh-Hans/docusaurus-plugin-content-docs/version-2.0/guide.md', '/p/versioned_docs/version-2.0/x.png'), 'zh-Hans /p/versioned_docs/version-2.0/guide.md | /p/i18n/zh-Hans/docusaurus-plugin-content-docs/version-2.0/x.png');
    assert.strictEqual(await placed(files, '/p/i18n/fr/docusaurus-plugin-content-blog/2024-01-01-hi.md', '/p/blog/x.png'), 'fr /p/blog/2024-01-01-hi.md | /p/i18n/fr/docusaurus-plugin-content-blog/x.png');
    assert.strictEqual(await placed(files, '/p/docs/guide.md', '/p/docs/x.png'), '-');
  });

  it('VitePress, Hugo, Starlight and plain trees: NAME.<locale>.EXT beside the picture, the link changes; MkDocs (i18n plugin): the same name and no link change', async () => {
    const vite = { '/p/.vitepress/config.ts': '', '/p/guide.md': '', '/p/zh/guide.md': '', '/p/public/a.png': '' };
    assert.strictEqual(await placed(vite, '/p/zh/guide.md', '/p/public/a.png'), 'zh /p/guide.md /p/en/guide.md | /p/public/a.zh.png');
    const hugo = { '/p/hugo.toml': 'defaultContentLanguage = "en"\n[languages]\n[languages.fr]\n', '/p/content/en/_index.md': '', '/p/content/fr/_index.md': '' };
    assert.strictEqual(await placed(hugo, '/p/content/fr/docs/_index.md', '/p/static/img/a.png'), 'fr /p/content/en/docs/_index.md /p/content/docs/_index.md | /p/static/img/a.fr.png');
    assert.strictEqual(await placed({ '/p/hugo.toml': '' }, '/p/content/post/index.fr.md', '/p/content/post/a.png'), 'fr /p/content/post/index.md /p/content/post/index.en.md | /p/content/post/a.fr.png');
    assert.strictEqual(await placed({ '/p/astro.config.mjs': '' }, '/p/src/content/docs/zh-cn/guide.md', '/p/src/assets/a.png'), 'zh-CN /p/src/content/docs/guide.md /p/src/content/docs/en/guide.md | /p/src/assets/a.zh-cn.png');
    assert.strictEqual(await placed({ '/p/mkdocs.yml': 'plugins:\n  - i18n\n' }, '/p/docs/index.fr.md', '/p/docs/img/a.png'), 'fr /p/docs/index.md /p/docs/index.en.md | /p/docs/img/a.fr.png (no link change)');
    assert.strictEqual(await placed({ '/p/README.md': '' }, '/p/README.chinese.md', '/p/assets/a.jpg'), 'zh /p/README.md /p/README.en.md | /p/assets/a.chinese.jpg');
    assert.strictEqual(await placed({ '/p/README.md': '' }, '/p/README.en.md', '/p/assets/a.jpg'), '-', 'English is the source language');
  });

  it('the link edit: same style beside the source (absolute, relative, bracketed, HTML escaped), relative into another folder', () => {
    const edited = (text: string, out: string, source = '/p/public/a.png', doc = '/p/zh/guide.md'): string => {
      const image = scanDocument(text)[0];
      const edit = translatedLinkEdit(image, doc, source, out);
      return edit ? applyEdits(text, [edit]) : 'none';
    };
    assert.strictEqual(edited('![图](/a.png "t")\n', '/p/public/a.zh.png'), '![图](/a.zh.png "t")\n');
    assert.strictEqual(edited('![图](../public/a.png)\n', '/p/public/a.zh.png'), '![图](../public/a.zh.png)\n');
    assert.strictEqual(edited('![图](<../my pics/a b.png>)\n', '/p/my pics/a b.zh.png', '/p/my pics/a b.png'), '![图](<../my pics/a b.zh.png>)\n');
    assert.strictEqual(edited('<img src="/a.png" alt="图">\n', '/p/public/a.zh.png'), '<img src="/a.zh.png" alt="图">\n');
    assert.strictEqual(edited('<img src="/a.png" alt="图">\n', '/p/zh/x&"y.png'), '<img src="x&amp;&quot;y.png" alt="图">\n');
    assert.strictEqual(edited('![図](/img/x.png)\n', '/p/i18n/ja/docusaurus-plugin-content-docs/current/a b.png', '/p/static/img/x.png', '/p/i18n/ja/docusaurus-plugin-content-docs/current/guide.md'), '![図](<a b.png>)\n');
  });

  it('languages: tags from folder and file names, matching asked tags, names in English and in themselves', () => {
    assert.deepStrictEqual(['chinese', 'zh_cn', 'zh-hans', 'pt-br', 'brazilian-portuguese', 'JA'].map(languageTag), ['zh', 'zh-CN', 'zh-Hans', 'pt-BR', 'pt-BR', 'ja']);
    assert.deepStrictEqual([langMatches('zh-CN', 'zh'), langMatches('zh', 'zh-CN'), langMatches('ja', 'zh'), langMatches('pt_br', 'pt-BR')], [true, true, false, true]);
    assert.deepStrictEqual([languageName('ja'), ownLanguageName('ja'), ownLanguageName('fr'), languageName('zh')], ['Japanese', '日本語', 'français', 'Chinese']);
  });

  it('words that ask for text, a figure caption, and the instruction with the page\'s words as JSON strings', () => {
    assert.deepStrictEqual(['A flow chart labelled "Start"', 'a button titled Save', 'a cat on a sofa', 'sunset over hills'].map(asksForText), [true, true, false, false]);
    assert.strictEqual(captionAfter('![a](x.png)\n*Figure 1: the flow*\n', 11), 'Figure 1: the flow');
    assert.strictEqual(captionAfter('<figure><img src="x.png"><figcaption>Le <b>flux</b></figcaption></figure>', 24), 'Le flux');
    assert.strictEqual(captionAfter('![a](x.png)\n\nText.\n', 11), undefined);
    const i = translationInstruction('Japanese', 'ja', [{ alt: '「開始」', sourceAlt: 'A "Start" chart', caption: '図 1' }]);
    assert.match(i, /^Edit the provided image: translate every piece of text in it into Japanese \(ja\)\./);
    assert.match(i, /\n- alt text "A \\"Start\\" chart" is "「開始」"\n- caption "" is "図 1"$/);
  });
});

describe('translated pictures on the real translated sites (../shared/real-docs)', function () {
  this.timeout(120_000);

  async function plan(name: string, scan: string): Promise<{ plan: TranslationPlan<string>; rel: (p: string) => string; root: string }> {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `illustrate-lang-${name}-`)));
    execFileSync('tar', ['-xzf', path.join(SHARED, 'real-docs', `${name}.tar.gz`), '-C', dir]);
    const root = path.join(dir, name, scan).split(path.sep).join('/').replace(/\/\.$/, '');
    const workspace = new DiskWorkspace(root);
    const scanned = await scanMissing(await workspace.markdownFiles([]), workspace.scanHost());
    const host = { ...workspace.scanHost(), head: (f: string) => readSmallFile(f, 256 * 1024).then((r) => r?.bytes), read: (f: string) => readProjectFile(root, f, 1 << 24) };
    return { plan: await planTranslations(scanned, host, []), rel: (p) => workspace.relative(p), root };
  }

  it('VitePress: the two pictures its seven locales share from public/, each beside it as NAME.<locale>.EXT, looked at first; only each locale\'s own page changes', async function () {
    if (skipWithoutShared('real-docs')) {
      this.skip();
    }
    const { plan: p, rel } = await plan('vitepress', 'docs');
    const rows = p.targets.map((t) => `${rel(t.uri)} → ${rel(t.out)} ${t.text} ${t.edits.map((e) => rel(e.document)).join(',')}`).sort();
    const locales = ['es', 'fa', 'ja', 'ko', 'pt', 'ru', 'zh'];
    assert.deepStrictEqual(rows, [
      ...locales.map((l) => `public/appearance-toggle-transition.webp → public/appearance-toggle-transition.${l}.webp look ${l}/guide/extending-default-theme.md`),
      ...locales.map((l) => `public/search.png → public/search.${l}.png look ${l}/reference/default-theme-search.md`),
    ]);
    const ja = p.targets.find((t) => rel(t.out) === 'public/search.ja.png');
    assert.deepStrictEqual(ja?.edits.map((e) => applyEdits(e.text, [e.edit]).split('\n')[25]), ['![screenshot of the search modal](/search.ja.png)']);
    const ko = p.targets.find((t) => rel(t.out) === 'public/search.ko.png');
    assert.deepStrictEqual(ko?.words, [{ alt: '검색 모달의 스크린샷', sourceAlt: 'screenshot of the search modal' }]);
  });

  it('nodebestpractices: README.<language>.md and sections/*.<language>.md share the English pages\' pictures; each translation is NAME.<language>.EXT beside it', async function () {
    if (skipWithoutShared('real-docs')) {
      this.skip();
    }
    const { plan: p, rel } = await plan('nodebestpractices', '.');
    const perLang = new Map<string, number>();
    p.targets.forEach((t) => perLang.set(t.lang, (perLang.get(t.lang) ?? 0) + 1));
    assert.deepStrictEqual(Object.fromEntries([...perLang].sort()), { eu: 49, fr: 54, he: 19, id: 16, ja: 51, ko: 33, pl: 44, 'pt-BR': 43, ru: 45, zh: 19 });
    const banner = p.targets.find((t) => rel(t.out) === 'assets/images/banner-2.chinese.jpg');
    assert.ok(banner, 'the banner, for README.chinese.md');
    assert.deepStrictEqual([rel(banner.uri), banner.lang, banner.language, banner.edits.map((e) => rel(e.document))], ['assets/images/banner-2.jpg', 'zh', 'Chinese', ['README.chinese.md']]);
    // Every change is the link's target, in a translated page, to a file beside its source.
    for (const t of p.targets) {
      assert.strictEqual(path.posix.dirname(rel(t.out)), path.posix.dirname(rel(t.uri)));
      assert.ok(t.edits.every((e) => /\.[a-z-]+\.md$/.test(rel(e.document)) && e.text.slice(e.edit.start, e.edit.end).endsWith(path.posix.basename(rel(t.uri)))));
    }
    assert.ok(p.skipped.some((k) => k.reason === 'its source page does not link this picture: only the translated page has it'));
  });

  it('Docsy: content/fr translates content/en, and shares no local picture with it (its one image is a remote badge): nothing to translate', async function () {
    if (skipWithoutShared('real-docs')) {
      this.skip();
    }
    const { plan: p, root } = await plan('docsy', 'docsy.dev');
    assert.deepStrictEqual([p.targets.length, p.skipped.length], [0, 0]);
    const site = await new DiskWorkspace(root).scanHost().site(`${root}/content/fr/_index.md`, root);
    assert.deepStrictEqual(translationOf(site, `${root}/content/fr/_index.md`)?.sources, [`${root}/content/en/_index.md`, `${root}/content/_index.md`]);
  });
});
