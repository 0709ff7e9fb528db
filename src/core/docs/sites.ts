/**
 * The site a markdown page belongs to, and where its image links point on disk: the file the
 * built site would serve for the link. One model for every entry point (Fill, the command line,
 * the MCP server, the Copilot tools, the Quick Fix, Generate from Alt Text). Site configs are
 * never run: a few keys are read where they are written as literals, else the generator's
 * defaults apply, and `notes` says which. Paths are posix strings (URI paths in the editor).
 */
import { localTarget } from './markdown';
import { basename, dirname, isInside, joinPath, normalizePath, splitExt } from '../paths';
import { trimOf } from '../text';
import { DOCUSAURUS_TOP_KEYS, configFlag, configValues, hugoMounts, hugoPermalinkSections, jekyllCollections, literals, mkdocsExtensions, mkdocsTheme, topLevelLiterals, yamlScalar, yamlValues } from './siteConfig';
import { collectionStaticPrefix, jekyllFolder } from './jekyll';
import { hugoContentFiles, hugoPageFolder, HugoUrls } from './hugo';
import { isLocaleName, isTranslatedName, LANGUAGE_CODES } from './locales';

export { isLocaleName, isTranslatedName } from './locales';

export type Generator = 'docusaurus' | 'vitepress' | 'hugo' | 'mkdocs' | 'starlight' | 'jekyll' | 'mdbook' | 'nextjs' | 'plain';

export const GENERATORS: readonly Generator[] = ['docusaurus', 'vitepress', 'hugo', 'mkdocs', 'starlight', 'jekyll', 'mdbook', 'nextjs', 'plain'];

/** Which indented blocks are markdown content rather than code (MkDocs' extensions). */
export interface MarkdownBlocks {
  readonly admonition: boolean;
  readonly details: boolean;
  readonly tabbed: boolean;
  readonly defList: boolean;
}

const NO_BLOCKS: MarkdownBlocks = { admonition: false, details: false, tabbed: false, defList: false };

export interface SiteModel {
  readonly generator: Generator;
  /** The site folder (where its config is; the repository for a plain tree). */
  readonly root: string;
  /** The config file read, when there is one. */
  readonly config?: string;
  /** Where root-absolute links (`/img/x.png`) are served from, in the order the generator looks. */
  readonly publicDirs: readonly string[];
  /** Folders served under a URL folder of their own (`/brand/`), looked in before publicDirs: Hugo's mounts onto static/<sub>, the static files of Jekyll's collections. */
  readonly prefixDirs: readonly { readonly prefix: string; readonly dir: string }[];
  /** Path aliases (`@site/` → the site folder). */
  readonly aliases: readonly { readonly prefix: string; readonly dir: string }[];
  /** The base path the site is served under (`/jest/`), stripped from absolute links; '/' for none. */
  readonly base: string;
  /** Folders of pages that belong to this site beyond its own folder (Docusaurus' `../docs`). */
  readonly contentDirs: readonly string[];
  /** Build output: never scanned, never written to. */
  readonly buildDirs: readonly string[];
  /** Copies of pages (translations, versions): their alt text is not the first choice for a prompt. */
  readonly copyDirs: readonly string[];
  /** Markdown blocks that hold content when indented (MkDocs). */
  readonly blocks: MarkdownBlocks;
  /** MkDocs `use_directory_urls`: a raw HTML `src` is relative to the page's own URL folder. */
  readonly directoryUrls: boolean;
  /** Hugo: pages that are not bundles have no folder of their own for relative images. */
  readonly singlePagesHaveNoFolder: boolean;
  /** Jekyll: pages are served at URLs of their own (collections, posts, permalinks); a relative link resolves from there. */
  readonly jekyll?: JekyllUrls;
  /** Hugo: a single page is served at a URL folder of its own, and content files as the resources of their bundle. */
  readonly hugo?: HugoUrls;
  /** MkDocs: the theme's name (`material`…), when the config names one. */
  readonly theme?: string;
  /** Hugo: raw HTML in markdown is rendered (`markup.goldmark.renderer.unsafe = true`); Goldmark drops it otherwise. */
  readonly rawHtml?: boolean;
  /** How the site was read (a script config read for literals only, defaults used, an override). */
  readonly notes: readonly string[];
}

/** What Jekyll's `_config.yml` says of the URLs it serves pages at. */
export interface JekyllUrls {
  /** Where `_<collection>` folders are (`collections_dir`, default the source). */
  readonly collectionsDir: string;
  /** Collections with `output: true`, and their `permalink` when written. */
  readonly collections: readonly { readonly name: string; readonly permalink?: string }[];
  /** The site's `permalink` (a style such as `pretty`, or a template), when written. */
  readonly permalink?: string;
}

/** The files a site finder may look at: listings and small text files, never run. */
export interface SiteHost {
  /** Names in a folder ([] when it is not one). */
  list(dir: string): Promise<readonly string[]>;
  /** A small text file (a config), or undefined. The host caps its size. */
  read(file: string): Promise<string | undefined>;
}

/** `illustrate.site`: what a user says of their site when detection cannot know. */
export interface SiteOverride {
  readonly generator?: Generator;
  /** The site folder, relative to the workspace folder (or the project for the command line). */
  readonly root?: string;
  /** Folders served at `/`, relative to the site folder. */
  readonly publicDirs?: readonly string[];
  readonly base?: string;
}

/** The override from a setting's raw value; unknown values are dropped. */
export function siteOverride(value: unknown): SiteOverride | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  const o = value as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() && v.length <= 500 && !v.includes('\0') ? v.trim() : undefined);
  const generator = GENERATORS.find((g) => g === o.generator);
  const publicDirs = Array.isArray(o.publicDirs) ? o.publicDirs.map(str).filter((v): v is string => v !== undefined).slice(0, 8) : undefined;
  const out: SiteOverride = { generator, root: str(o.root), publicDirs, base: str(o.base) };
  return Object.values(out).some((v) => v !== undefined) ? out : undefined;
}

const MAX_CONFIG_TEXT = 256 * 1024;

function normalizeBase(base: string | undefined): string {
  if (!base) {
    return '/';
  }
  const b = `/${trimOf(base, /\//)}/`;
  return b === '//' ? '/' : b;
}

const CONFIG_NAMES: readonly { readonly generator: Exclude<Generator, 'plain' | 'vitepress'>; readonly names: readonly string[] }[] = [
  { generator: 'docusaurus', names: ['docusaurus.config.js', 'docusaurus.config.ts', 'docusaurus.config.mjs', 'docusaurus.config.cjs', 'docusaurus.config.mts', 'docusaurus.config.cts'] },
  { generator: 'mkdocs', names: ['mkdocs.yml', 'mkdocs.yaml'] },
  { generator: 'hugo', names: ['hugo.toml', 'hugo.yaml', 'hugo.yml', 'hugo.json'] },
  { generator: 'starlight', names: ['astro.config.mjs', 'astro.config.js', 'astro.config.ts', 'astro.config.mts'] },
  { generator: 'mdbook', names: ['book.toml'] },
  { generator: 'jekyll', names: ['_config.yml', '_config.yaml'] },
  { generator: 'nextjs', names: ['next.config.js', 'next.config.mjs', 'next.config.ts', 'theme.config.tsx', 'theme.config.jsx'] },
];
const VITEPRESS_CONFIGS = ['config.js', 'config.ts', 'config.mjs', 'config.mts', 'config.cjs', 'config.cts'];
const HUGO_OLD_CONFIGS = ['config.toml', 'config.yaml', 'config.json'];
/** Site configs in Hugo's config folder (`config/_default/hugo.yaml`), and the module's own file there. */
const HUGO_FOLDER_CONFIGS = ['hugo.toml', 'hugo.yaml', 'hugo.yml', 'hugo.json', 'config.toml', 'config.yaml', 'config.yml', 'config.json'];
const HUGO_MODULE_CONFIGS = ['module.toml', 'module.yaml', 'module.yml', 'module.json'];
/** `hugo` builds with the production environment: its folder is merged over _default. */
const HUGO_ENVIRONMENTS = ['_default', 'production'];

/** A glob of every file whose change may change a site model (for a host that keeps models between operations). */
export const SITE_CONFIG_GLOB = `**/{${[...CONFIG_NAMES.flatMap((c) => c.names), ...VITEPRESS_CONFIGS.map((n) => `.vitepress/${n}`), ...HUGO_OLD_CONFIGS, ...HUGO_ENVIRONMENTS.flatMap((e) => [...HUGO_FOLDER_CONFIGS, ...HUGO_MODULE_CONFIGS].map((n) => `config/${e}/${n}`))].join(',')}}`;

/**
 * The Hugo config files of a site, in the order Hugo merges them: `config` itself when it is in
 * the site folder, then the config folder's `_default/` and `production/` (site configs and
 * module.*). Read as data, never run.
 */
async function hugoConfigs(root: string, config: string, text: string, host: SiteHost): Promise<{ file: string; text: string; module: boolean }[]> {
  const out: { file: string; text: string; module: boolean }[] = [];
  if (dirname(config) === root) {
    out.push({ file: config, text, module: false });
  }
  const environments = new Set(await host.list(joinPath(root, 'config')));
  for (const environment of HUGO_ENVIRONMENTS.filter((e) => environments.has(e))) {
    const dir = joinPath(root, `config/${environment}`);
    const names = new Set(await host.list(dir));
    for (const name of [...HUGO_FOLDER_CONFIGS, ...HUGO_MODULE_CONFIGS].filter((n) => names.has(n))) {
      const file = joinPath(dir, name);
      const body = file === config ? text : ((await host.read(file)) ?? '').slice(0, MAX_CONFIG_TEXT);
      out.push({ file, text: body, module: HUGO_MODULE_CONFIGS.includes(name) });
    }
  }
  return out;
}

/** The model of the site whose config is `config` in folder `root`. */
async function readSite(generator: Exclude<Generator, 'plain' | 'vitepress'>, root: string, config: string, host: SiteHost): Promise<SiteModel> {
  const raw = (await host.read(config)) ?? '';
  const text = raw.slice(0, MAX_CONFIG_TEXT);
  const isScript = /\.(m|c)?[jt]sx?$/.test(config);
  const notes: string[] = [];
  const read = (what: string): void => {
    notes.push(isScript ? `${basename(config)} is a script: ${what} read where written as a literal` : `${what} read from ${basename(config)}`);
  };
  const common = { root, config, aliases: [] as { prefix: string; dir: string }[], prefixDirs: [] as { prefix: string; dir: string }[], contentDirs: [] as string[], copyDirs: [] as string[], blocks: NO_BLOCKS, directoryUrls: false, singlePagesHaveNoFolder: false };
  switch (generator) {
    case 'docusaurus': {
      // The config object's own keys only: a function inside it may have a local `baseUrl` (react-native-website's editUrl).
      const own = topLevelLiterals(text, DOCUSAURUS_TOP_KEYS);
      const statics = own.get('staticDirectories') ?? [];
      const base = own.get('baseUrl')?.[0];
      const paths = literals(text, 'path').filter((p) => !/^https?:/.test(p));
      read('staticDirectories, baseUrl and docs paths');
      const contentDirs = paths.map((p) => joinPath(root, p));
      // An unreadable config of a site in its own folder (website/) keeps the usual layout: docs/ beside it.
      // A site with a docs/ of its own (Docusaurus' default `path`) takes that one, never a folder above it.
      if (!paths.length && basename(root) !== '' && dirname(root) !== root && !(await host.list(root)).includes('docs')) {
        contentDirs.push(joinPath(dirname(root), 'docs'));
        notes.push(`no docs path written as a literal: the docs/ folder beside ${basename(root)}/ is taken as its docs, as Docusaurus sites in their own folder usually have`);
      }
      return {
        ...common,
        generator,
        publicDirs: (statics.length ? statics : ['static']).map((d) => joinPath(root, d)),
        aliases: [{ prefix: '@site/', dir: root }],
        base: normalizeBase(base),
        contentDirs,
        buildDirs: [joinPath(root, 'build'), joinPath(root, '.docusaurus')],
        copyDirs: [joinPath(root, 'i18n'), joinPath(root, 'versioned_docs'), joinPath(root, 'versioned_sidebars')],
        notes,
      };
    }
    case 'mkdocs': {
      const docsDir = joinPath(root, yamlScalar(text, 'docs_dir') || 'docs');
      const extensions = mkdocsExtensions(text);
      const has = (...names: string[]): boolean => names.some((n) => extensions.has(n));
      notes.push(`docs_dir, use_directory_urls and markdown_extensions read from ${basename(config)}`);
      return {
        ...common,
        generator,
        publicDirs: [docsDir],
        base: '/',
        contentDirs: [docsDir],
        buildDirs: [joinPath(root, yamlScalar(text, 'site_dir') || 'site')],
        blocks: { admonition: has('admonition', 'pymdownx.blocks.admonition'), details: has('pymdownx.details', 'pymdownx.blocks.details'), tabbed: has('pymdownx.tabbed', 'pymdownx.blocks.tab'), defList: has('def_list') },
        directoryUrls: !/^use_directory_urls\s*:\s*false\b/m.test(text),
        theme: mkdocsTheme(text),
        notes,
      };
    }
    case 'hugo': {
      const files = await hugoConfigs(root, config, text, host);
      // Later files win: the root file, then config/_default/, then config/production/.
      const last = (key: string): string[] => files.reduce<string[]>((found, f) => (f.module ? found : configValues(f.text, f.file, key).length ? configValues(f.text, f.file, key) : found), []);
      const flag = (key: string): boolean | 'other' | undefined => files.reduce<boolean | 'other' | undefined>((found, f) => (f.module ? found : (configFlag(f.text, f.file, key) ?? found)), undefined);
      // A mount onto a component replaces its default folder; `static/brand` serves its source at /brand/.
      const mountsOn = (component: string): { source: string; target: string }[] =>
        files.reduce<{ source: string; target: string }[]>((found, f) => {
          const on = hugoMounts(f.text).filter((m) => m.target === component || m.target.startsWith(`${component}/`));
          return on.length ? on : found;
        }, []);
      const staticMounts = mountsOn('static');
      const mounts = staticMounts.filter((m) => m.target === 'static').map((m) => m.source);
      const statics = last('staticDir');
      const content = last('contentDir')[0] ?? 'content';
      const language = last('defaultContentLanguage')[0] ?? 'en';
      const inSubdir = flag('defaultContentLanguageInSubdir') === true;
      const names = files.map((f) => (dirname(f.file) === root ? basename(f.file) : f.file.slice(root.length + 1))).join(', ');
      notes.push(`staticDir, contentDir and defaultContentLanguage read from ${names}`);
      if (staticMounts.length) {
        notes.push(`module mounts onto static replace static/: ${staticMounts.map((m) => (m.target === 'static' ? m.source : `${m.source} (at /${m.target.slice('static/'.length)}/)`)).join(', ')}`);
      }
      const contentDir = joinPath(root, content);
      // Content folders and the URL each is served at: a language's folder under its own (`content/fr` at /fr/), the default language's at /.
      const languageUrl = (dir: string, url: string): string => {
        const name = basename(dir).toLowerCase();
        const own = (isLocaleName(name) || name === 'en') && (name !== language.toLowerCase() || inSubdir);
        return normalizeBase(`${own ? `/${name}` : ''}${url}`);
      };
      const contentMounts = mountsOn('content').filter((m) => !splitExt(basename(m.target)).ext);
      const languages = files.some((f) => /^[ \t]*(?:\[\[?languages\b|"?languages"?[ \t]*[:=])/im.test(f.text));
      const contentRoots = contentMounts.length
        ? contentMounts.map((m) => ({ dir: joinPath(root, m.source), url: languageUrl(m.source, m.target.slice('content'.length)) }))
        : [{ dir: contentDir, url: '/' }, ...(languages ? [{ dir: joinPath(contentDir, language), url: languageUrl(language, '/') }] : [])];
      const hugo: HugoUrls = {
        contentRoots: contentRoots.sort((a, b) => b.url.length - a.url.length),
        uglyUrls: ((u) => (u === 'other' ? undefined : u === true))(flag('uglyURLs')),
        lowercase: flag('disablePathToLower') !== true,
        permalinkSections: files.flatMap((f) => (f.module ? [] : hugoPermalinkSections(f.text, f.file))),
        defaultLanguage: language,
        defaultLanguageInSubdir: inSubdir,
      };
      return {
        ...common,
        generator,
        publicDirs: (staticMounts.length ? mounts : statics.length ? statics : ['static']).map((d) => joinPath(root, d)),
        prefixDirs: staticMounts.filter((m) => m.target !== 'static').map((m) => ({ prefix: normalizeBase(m.target.slice('static'.length)), dir: joinPath(root, m.source) })),
        base: normalizeBase(last('baseURL')[0]?.replace(/^https?:\/\/[^/]*/, '')),
        contentDirs: [contentDir, ...contentRoots.map((r) => r.dir).filter((d) => !isInside(d, contentDir))],
        buildDirs: [joinPath(root, 'public'), joinPath(root, 'resources/_gen')],
        // Every language folder but the default one is a translation, English included.
        copyDirs: [...LANGUAGE_CODES, 'en'].filter((l) => l !== language).map((l) => joinPath(contentDir, l)),
        singlePagesHaveNoFolder: true,
        hugo,
        rawHtml: files.some((f) => !f.module && /^[ \t]*"?unsafe"?[ \t]*[:=][ \t]*true\b/im.test(f.text)),
        notes,
      };
    }
    case 'starlight':
      read('base');
      return { ...common, generator, publicDirs: [joinPath(root, 'public')], base: normalizeBase(literals(text, 'base')[0]), buildDirs: [joinPath(root, 'dist'), joinPath(root, '.astro')], notes };
    case 'jekyll': {
      const source = joinPath(root, yamlScalar(text, 'source') || '.');
      read('source, baseurl, permalink and collections');
      const jekyll: JekyllUrls = { collectionsDir: joinPath(source, yamlScalar(text, 'collections_dir') || '.'), collections: jekyllCollections(text), permalink: yamlValues(text, 'permalink')[0] };
      // A collection with output copies its static files under its own URL folder.
      const prefixDirs = jekyll.collections.flatMap((c) => {
        const prefix = collectionStaticPrefix(jekyll, c.name);
        return prefix === undefined ? [] : [{ prefix, dir: joinPath(jekyll.collectionsDir, `_${c.name}`) }];
      });
      return { ...common, generator, publicDirs: [source], prefixDirs, base: normalizeBase(yamlScalar(text, 'baseurl')), buildDirs: [joinPath(root, '_site')], jekyll, notes };
    }
    case 'mdbook': {
      const src = joinPath(root, literals(text, 'src')[0] ?? 'src');
      read('src');
      return { ...common, generator, publicDirs: [src], base: '/', contentDirs: [src], buildDirs: [joinPath(root, literals(text, 'build-dir')[0] ?? 'book')], notes };
    }
    case 'nextjs':
      read('basePath');
      return { ...common, generator, publicDirs: [joinPath(root, 'public')], base: normalizeBase(literals(text, 'basePath')[0]), buildDirs: [joinPath(root, '.next'), joinPath(root, 'out')], notes };
  }
}

async function readVitePress(root: string, config: string, host: SiteHost): Promise<SiteModel> {
  const text = ((await host.read(config)) ?? '').slice(0, MAX_CONFIG_TEXT);
  const srcDir = joinPath(root, literals(text, 'srcDir')[0] ?? '.');
  // Locales are top-level folders of srcDir; the root locale is the default language.
  const names = await host.list(srcDir);
  const locales = names.filter((n) => isLocaleName(n));
  return {
    generator: 'vitepress',
    root,
    config,
    publicDirs: [joinPath(srcDir, 'public'), srcDir],
    prefixDirs: [],
    aliases: [],
    base: normalizeBase(literals(text, 'base')[0]),
    contentDirs: [srcDir],
    buildDirs: [joinPath(root, '.vitepress/dist'), joinPath(root, '.vitepress/cache')],
    copyDirs: locales.map((l) => joinPath(srcDir, l)),
    blocks: NO_BLOCKS,
    directoryUrls: false,
    singlePagesHaveNoFolder: false,
    notes: [`${basename(config)} is a script: srcDir and base read where written as literals${locales.length ? `; ${locales.join(', ')} taken as translations` : ''}`],
  };
}

/** A plain tree, as GitHub shows it: `/` is the repository root. */
export function plainSite(root: string): SiteModel {
  return {
    generator: 'plain',
    root,
    publicDirs: [root],
    prefixDirs: [],
    aliases: [],
    base: '/',
    contentDirs: [],
    buildDirs: [],
    copyDirs: [],
    // A plain tree is often MkDocs-flavoured docs without their config: `!!! note` blocks hold content.
    blocks: { admonition: true, details: true, tabbed: true, defList: false },
    directoryUrls: false,
    singlePagesHaveNoFolder: false,
    notes: ['no site config found: links resolve as GitHub shows them (/ is the repository root)'],
  };
}

/** A host that lists each folder once (Hugo's config folder is listed to detect it, then to read it). */
function listingOnce(host: SiteHost): SiteHost {
  const listed = new Map<string, Promise<readonly string[]>>();
  return {
    list: (dir) => {
      let names = listed.get(dir);
      if (!names) {
        names = host.list(dir);
        listed.set(dir, names);
      }
      return names;
    },
    read: (file) => host.read(file),
  };
}

/** The site whose config is in `dir`, if any. */
async function siteIn(dir: string, anyHost: SiteHost): Promise<SiteModel | undefined> {
  const host = listingOnce(anyHost);
  const names = new Set(await host.list(dir));
  for (const { generator, names: configs } of CONFIG_NAMES) {
    const config = configs.find((n) => names.has(n));
    if (config) {
      return readSite(generator, dir, joinPath(dir, config), host);
    }
  }
  if (names.has('.vitepress')) {
    const inner = new Set(await host.list(joinPath(dir, '.vitepress')));
    const config = VITEPRESS_CONFIGS.find((n) => inner.has(n));
    if (config) {
      return readVitePress(dir, joinPath(dir, `.vitepress/${config}`), host);
    }
  }
  const looksHugo = names.has('content') && (names.has('layouts') || names.has('themes') || names.has('archetypes'));
  const oldHugo = HUGO_OLD_CONFIGS.find((n) => names.has(n));
  if (oldHugo && looksHugo) {
    return readSite('hugo', dir, joinPath(dir, oldHugo), host);
  }
  // Hugo's config folder: `hugo.*` says Hugo; the older `config.*` only beside Hugo's folders.
  if (names.has('config') && (await host.list(joinPath(dir, 'config'))).includes('_default')) {
    const inner = new Set(await host.list(joinPath(dir, 'config/_default')));
    const config = HUGO_FOLDER_CONFIGS.find((n) => inner.has(n) && (n.startsWith('hugo.') || looksHugo));
    if (config) {
      return readSite('hugo', dir, joinPath(dir, `config/_default/${config}`), host);
    }
  }
  return undefined;
}

function applyOverride(site: SiteModel, override: SiteOverride, projectRoot: string): SiteModel {
  const root = override.root ? joinPath(projectRoot, override.root) : site.root;
  return {
    ...site,
    root,
    publicDirs: override.publicDirs ? override.publicDirs.map((d) => joinPath(root, d)) : site.publicDirs,
    base: override.base !== undefined ? normalizeBase(override.base) : site.base,
    notes: [...site.notes, 'illustrate.site overrides what was detected'],
  };
}

/**
 * Finds the site of each page, reading each folder's listing and each config once: the nearest
 * site config above the page (up to the project root), else a site in the project whose docs
 * folder holds it, else the project as a plain tree.
 */
export class SiteFinder {
  private readonly inFolder = new Map<string, Promise<SiteModel | undefined>>();
  private readonly nearest = new Map<string, Map<string, Promise<SiteModel | undefined>>>();
  private discovered: Promise<SiteModel[]> | undefined;

  constructor(
    private readonly host: SiteHost,
    private readonly override?: SiteOverride,
  ) {}

  private siteInFolder(dir: string): Promise<SiteModel | undefined> {
    let found = this.inFolder.get(dir);
    if (!found) {
      found = siteIn(dir, this.host);
      this.inFolder.set(dir, found);
    }
    return found;
  }

  /** The sites at the project root and one folder down: where pages outside a site folder may belong. */
  private discover(projectRoot: string): Promise<SiteModel[]> {
    if (!this.discovered) {
      this.discovered = (async () => {
        const out: SiteModel[] = [];
        const top = await this.siteInFolder(projectRoot);
        if (top) {
          out.push(top);
        }
        for (const name of (await this.host.list(projectRoot)).slice(0, 200)) {
          if (name.startsWith('.') || name === 'node_modules') {
            continue;
          }
          const site = await this.siteInFolder(joinPath(projectRoot, name));
          if (site) {
            out.push(site);
          }
        }
        return out;
      })();
    }
    return this.discovered;
  }

  /** The site `document` belongs to, within `projectRoot`. */
  async siteFor(document: string, projectRoot: string): Promise<SiteModel> {
    const site = await this.detect(document, projectRoot);
    if (!this.override) {
      return site;
    }
    const generator = this.override.generator;
    if (generator && generator !== site.generator) {
      const root = this.override.root ? joinPath(projectRoot, this.override.root) : site.root;
      const base = generator === 'plain' ? plainSite(root) : generator === 'vitepress' ? await readVitePress(root, joinPath(root, '.vitepress/config.ts'), this.host) : await readSite(generator, root, joinPath(root, '(illustrate.site)'), this.host);
      return applyOverride({ ...base, config: undefined, notes: [] }, this.override, projectRoot);
    }
    return applyOverride(site, this.override, projectRoot);
  }

  /** The site whose config is nearest at or above `dir`, up to the project root; each folder asked once. */
  private nearestSite(dir: string, projectRoot: string): Promise<SiteModel | undefined> {
    let folders = this.nearest.get(projectRoot);
    if (!folders) {
      folders = new Map();
      this.nearest.set(projectRoot, folders);
    }
    let found = folders.get(dir);
    if (!found) {
      found = isInside(dir, projectRoot)
        ? this.siteInFolder(dir).then((site) => site ?? (dir === projectRoot || dir === '/' ? undefined : this.nearestSite(dirname(dir), projectRoot)))
        : Promise.resolve(undefined);
      folders.set(dir, found);
    }
    return found;
  }

  private async detect(document: string, projectRoot: string): Promise<SiteModel> {
    const nearest = await this.nearestSite(dirname(document), projectRoot);
    if (nearest) {
      return nearest;
    }
    for (const site of await this.discover(projectRoot)) {
      if (site.contentDirs.some((d) => isInside(document, d))) {
        return site;
      }
    }
    return plainSite(projectRoot);
  }
}

/** What a link names on a site: the files that would serve it, in order, or why it names none. */
export type LinkResolution =
  | { readonly kind: 'file'; readonly candidates: readonly string[]; readonly singlePage?: boolean }
  | { readonly kind: 'remote' }
  | { readonly kind: 'skip'; readonly reason: 'pathname' | 'singlePage' | 'unserved' };

/**
 * The files that serve a URL path of the site (without its base), first match wins: folders
 * served under a URL folder of their own, then the public folders (a folder served at / itself
 * after them), then Hugo's content files (page resources), or `content` when the page says which.
 * None on a site whose folders all serve other paths (Hugo's mounts onto static/<sub>).
 */
function servedResolution(site: SiteModel, url: string, content?: readonly string[]): LinkResolution {
  const under = site.prefixDirs.filter((m) => url.startsWith(m.prefix));
  const at = (m: { prefix: string; dir: string }): string => joinPath(m.dir, url.slice(m.prefix.length));
  const resources = content ?? (site.hugo ? hugoContentFiles(site.hugo, url) : []);
  const candidates = [...new Set([...under.filter((m) => m.prefix !== '/').map(at), ...site.publicDirs.map((d) => joinPath(d, url)), ...under.filter((m) => m.prefix === '/').map(at), ...resources])];
  return candidates.length ? { kind: 'file', candidates } : { kind: 'skip', reason: 'unserved' };
}

/**
 * The files a link in `document` would be served from on `site`, first match wins; the first is
 * where a missing image is written. `html`: the link is a raw HTML `src` (MkDocs does not rewrite it).
 * `page`: the page's text, when known (a Jekyll page's own `permalink:`, a Hugo page's `url:` and `slug:`).
 */
export function resolveLink(site: SiteModel, document: string, target: string, html = false, page?: string): LinkResolution {
  const trimmed = target.trim();
  if (/^pathname:\/\//i.test(trimmed)) {
    return { kind: 'skip', reason: 'pathname' };
  }
  const local = localTarget(trimmed);
  if (local === undefined || local === '') {
    return { kind: 'remote' };
  }
  for (const alias of site.aliases) {
    if (local.startsWith(alias.prefix)) {
      return { kind: 'file', candidates: [joinPath(alias.dir, local.slice(alias.prefix.length))] };
    }
  }
  if (local.startsWith('/')) {
    let rel = local;
    if (site.base !== '/' && rel.startsWith(site.base)) {
      rel = rel.slice(site.base.length - 1);
    }
    return servedResolution(site, normalizePath(rel));
  }
  // Jekyll does not rewrite links: the browser resolves them from the page's served URL.
  const served = site.jekyll ? jekyllFolder(site, site.jekyll, document, page) : undefined;
  if (served !== undefined) {
    return servedResolution(site, normalizePath(served + local));
  }
  const folder = dirname(document);
  const { stem } = splitExt(basename(document));
  const isIndex = /^_?index$/i.test(stem) || /^readme$/i.test(stem);
  if (site.generator === 'mkdocs' && html && site.directoryUrls && !isIndex) {
    return { kind: 'file', candidates: [joinPath(joinPath(folder, stem), local)] };
  }
  if (site.singlePagesHaveNoFolder && !isIndex && site.contentDirs.some((d) => isInside(document, d))) {
    // A single-file Hugo page is served at a URL folder of its own (/docs/foo/), which has no
    // source folder: the link is served from that URL (static/docs/foo/x.png, or content/docs/foo/x.png
    // as a resource of the bundle around it), where a missing image is written too.
    const own = site.hugo ? hugoPageFolder(site.hugo, document, page) : undefined;
    if (own) {
      // The content folder that mirrors the URL keeps its own names (the URL is lower-cased); a link above it is the URL's alone.
      const source = own.source === undefined ? undefined : joinPath(own.source, local);
      const root = site.hugo?.contentRoots.find((r) => own.source !== undefined && isInside(own.source, r.dir));
      return servedResolution(site, normalizePath(own.url + local), source !== undefined && root && isInside(source, root.dir) ? [source] : undefined);
    }
    // Its URL is not known (a permalinks pattern): the image exists only if it is beside the page by chance; a missing one cannot be placed.
    return { kind: 'file', candidates: [joinPath(folder, local)], singlePage: true };
  }
  return { kind: 'file', candidates: [joinPath(folder, local)] };
}

/** Whether a page is a copy (a translation, an older version): its alt text is a prompt only when no original has one. */
export function isCopyPage(site: SiteModel, document: string): boolean {
  return site.copyDirs.some((d) => isInside(document, d)) || isTranslatedName(document);
}

/** Whether a path is in the site's build output. */
export function isBuildOutput(site: SiteModel, path: string): boolean {
  return site.buildDirs.some((d) => isInside(path, d));
}

/** What was detected, for plans and `--json`, with paths from `rel`. */
export function describeSite(site: SiteModel, rel: (path: string) => string): { generator: Generator; root: string; config: string | null; publicDirs: string[]; base: string; notes: readonly string[] } {
  return { generator: site.generator, root: rel(site.root), config: site.config ? rel(site.config) : null, publicDirs: site.publicDirs.map(rel), base: site.base, notes: site.notes };
}
