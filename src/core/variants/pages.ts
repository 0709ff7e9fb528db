/**
 * Which page is a translation of which, per generator, and where a translated page's own copy of
 * a picture goes so that only that locale's pages link it. Paths are posix strings, as the site
 * model speaks of them; nothing here reads a file.
 */
import { basename, dirname, isInside, joinPath, splitExt } from '../paths';
import { fileLanguage, isLocaleName, languageTag } from '../docs/locales';
import { SiteModel } from '../docs/sites';

/** A translated page: its language as its path names it, and the pages it may translate (most likely first). */
export interface PageTranslation {
  /** The locale as the path writes it (`ja`, `zh-cn`, `chinese`): a translated picture's name takes it as it is. */
  readonly locale: string;
  /** Its language tag (`ja`, `zh-CN`, `zh`). */
  readonly lang: string;
  readonly sources: readonly string[];
  /** How the translation is told: a locale folder, or the file name (`index.fr.md`). */
  readonly by: 'folder' | 'suffix';
  /** Docusaurus: the translated tree and the tree it copies (`i18n/ja/docusaurus-plugin-content-docs/current` ↔ `docs`). */
  readonly tree?: { readonly translated: string; readonly source: string };
}

/** Docusaurus' content plugins: the folder a plugin's translated files are in, and where its own files are. */
function docusaurusTrees(site: SiteModel, plugin: string, version: string | undefined): string[] {
  const docs = [...site.contentDirs, joinPath(site.root, 'docs')];
  switch (plugin) {
    case 'docusaurus-plugin-content-docs':
      return version === 'current' ? docs : version?.startsWith('version-') ? [joinPath(site.root, `versioned_docs/${version}`)] : [];
    case 'docusaurus-plugin-content-blog':
      return [joinPath(site.root, 'blog')];
    case 'docusaurus-plugin-content-pages':
      return [joinPath(site.root, 'src/pages')];
    default:
      return [];
  }
}

/** A Docusaurus page under `i18n/<locale>/<plugin>/…` and the files it translates. */
function docusaurusTranslation(site: SiteModel, page: string): PageTranslation | undefined {
  const i18n = joinPath(site.root, 'i18n');
  if (!isInside(page, i18n)) {
    return undefined;
  }
  const parts = page.slice(i18n.length + 1).split('/');
  const [locale, plugin] = parts;
  if (!locale || !plugin || parts.length < 3) {
    return undefined;
  }
  const versioned = plugin === 'docusaurus-plugin-content-docs';
  const version = versioned ? parts[2] : undefined;
  const rest = parts.slice(versioned ? 3 : 2).join('/');
  const trees = docusaurusTrees(site, plugin, version);
  if (!rest || !trees.length) {
    return undefined;
  }
  const translated = joinPath(i18n, [locale, plugin, ...(version ? [version] : [])].join('/'));
  return { locale, lang: languageTag(locale), sources: trees.map((t) => joinPath(t, rest)), by: 'folder', tree: { translated, source: trees[0] } };
}

/** The folder whose first level names locales for `site` (VitePress' srcDir, Hugo's content, Starlight's docs, MkDocs' docs_dir, a plain tree's root). */
function localeParent(site: SiteModel, page: string): { dir: string; defaults: readonly string[] } | undefined {
  switch (site.generator) {
    case 'vitepress':
    case 'mkdocs':
      return site.contentDirs[0] ? { dir: site.contentDirs[0], defaults: ['', 'en'] } : undefined;
    case 'hugo': {
      const content = site.contentDirs.find((d) => isInside(page, d));
      const language = site.hugo?.defaultLanguage ?? 'en';
      return content ? { dir: content, defaults: [language.toLowerCase(), ''] } : undefined;
    }
    case 'starlight':
      return { dir: joinPath(site.root, 'src/content/docs'), defaults: ['', 'en'] };
    case 'docusaurus':
      return undefined;
    default:
      return { dir: site.root, defaults: ['', 'en'] };
  }
}

/**
 * What `page` translates, when it is a translated page: a Docusaurus `i18n/<locale>/…` page, a
 * page in a locale folder (VitePress, Hugo's `content/<lang>/`, Starlight, MkDocs' folder
 * structure), or a page whose name ends in a language (`index.fr.md`, `README.chinese.md`: Hugo,
 * the MkDocs i18n plugin, a plain repository). English is taken as the source language.
 */
export function translationOf(site: SiteModel, page: string): PageTranslation | undefined {
  if (site.generator === 'docusaurus') {
    const d = docusaurusTranslation(site, page);
    if (d) {
      return d;
    }
  }
  const named = fileLanguage(page);
  if (named && languageTag(named.language) !== 'en') {
    const { ext } = splitExt(basename(page));
    const dir = dirname(page);
    return { locale: named.language, lang: languageTag(named.language), sources: [joinPath(dir, `${named.stem}${ext}`), joinPath(dir, `${named.stem}.en${ext}`)], by: 'suffix' };
  }
  const parent = localeParent(site, page);
  if (!parent || !isInside(page, parent.dir)) {
    return undefined;
  }
  const [first, ...rest] = page.slice(parent.dir.length + 1).split('/');
  if (!rest.length || !isLocaleName(first) || parent.defaults.includes(first.toLowerCase())) {
    return undefined;
  }
  const rel = rest.join('/');
  return { locale: first, lang: languageTag(first), sources: parent.defaults.map((d) => joinPath(parent.dir, d ? `${d}/${rel}` : rel)), by: 'folder' };
}

/** Where a translated picture goes, and whether the translated pages' links must change to reach it. */
export interface TranslatedPlace {
  readonly path: string;
  readonly relink: boolean;
  /** Which rule placed it, for the plan. */
  readonly rule: 'mkdocsSuffix' | 'docusaurusI18n' | 'besideSource';
}

/** `NAME.<locale>.EXT` beside `image`. */
function suffixed(image: string, locale: string): string {
  const { stem, ext } = splitExt(basename(image));
  return joinPath(dirname(image), `${stem}.${locale}${ext}`);
}

/**
 * Where the picture `image` translated for `page` goes, per generator:
 * - MkDocs (the i18n plugin): `NAME.<lang>.EXT` beside it, which the plugin serves in that
 *   language's build by itself: no link changes.
 * - Docusaurus: in the locale's own tree, at the place the picture has in the tree it translates
 *   (`docs/img/x.png` → `i18n/ja/docusaurus-plugin-content-docs/current/img/x.png`), or beside the
 *   translated page for a picture from elsewhere (`static/`); the translated page's link changes.
 * - every other site: `NAME.<lang>.EXT` beside the picture; the translated page's link changes.
 */
export function translatedPlace(site: SiteModel, translation: PageTranslation, image: string, page: string): TranslatedPlace {
  if (site.generator === 'mkdocs') {
    return { path: suffixed(image, translation.locale), relink: false, rule: 'mkdocsSuffix' };
  }
  if (site.generator === 'docusaurus' && translation.tree) {
    const { source, translated } = translation.tree;
    const path = isInside(image, source) ? joinPath(translated, image.slice(source.length + 1)) : joinPath(dirname(page), basename(image));
    return { path, relink: true, rule: 'docusaurusI18n' };
  }
  return { path: suffixed(image, translation.locale), relink: true, rule: 'besideSource' };
}
