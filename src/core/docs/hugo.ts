/**
 * Hugo serves a single-file page (`content/docs/foo.md`) at a URL folder of its own (`/docs/foo/`)
 * that has no source folder: the browser resolves its relative links from that URL. A URL is
 * served from the static folders, and from content/ as page resources of the bundle around them.
 */
import { basename, dirname, isInside, joinPath, normalizePath, splitExt } from '../paths';
import { isLocaleName } from './locales';
import { literals, yamlValues } from './siteConfig';

/** What Hugo's config says of the URLs it serves pages and content files at. */
export interface HugoUrls {
  /** Content folders and the URL folder each is served at (`content/en` at `/`, `content/fr` at `/fr/`), longest URL first. */
  readonly contentRoots: readonly { readonly dir: string; readonly url: string }[];
  /** `uglyURLs`: pages at `/docs/foo.html`; undefined when set per section (the URL is not known). */
  readonly uglyUrls: boolean | undefined;
  /** Page paths are lower-cased (`disablePathToLower` is false, the default). */
  readonly lowercase: boolean;
  /** Sections whose pages have a `permalinks` pattern ('*': any); their URLs are not known. */
  readonly permalinkSections: readonly string[];
  /** `defaultContentLanguage`; served without a language folder unless `defaultContentLanguageInSubdir`. */
  readonly defaultLanguage: string;
  readonly defaultLanguageInSubdir: boolean;
}

/** A page's front matter as text (YAML between `---`, TOML between `+++`), capped; '' when it has none. */
function frontMatter(text: string): { body: string; toml: boolean } {
  const fence = text.startsWith('---') ? '---' : text.startsWith('+++') ? '+++' : '';
  if (!fence) {
    return { body: '', toml: false };
  }
  const head = text.slice(0, 64 * 1024);
  const end = head.indexOf(`\n${fence}`, 3);
  const body = head.slice(head.indexOf('\n') + 1, end < 0 ? head.length : end);
  // TOML's own keys come before its first table (`[params]`).
  const table = fence === '+++' ? body.search(/^\[/m) : -1;
  return { body: table < 0 ? body : body.slice(0, table), toml: fence === '+++' };
}

function frontValue(front: { body: string; toml: boolean }, key: string): string | undefined {
  const value = front.toml ? literals(front.body, key)[0] : yamlValues(front.body, key)[0];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** The last page's `url:` and `slug:`: a page's links are resolved one after another, its front matter read once. */
let lastPage: { text: string; url?: string; slug?: string } | undefined;

function urlAndSlug(text: string): { url?: string; slug?: string } {
  if (lastPage?.text !== text) {
    const front = frontMatter(text);
    lastPage = { text, url: frontValue(front, 'url'), slug: frontValue(front, 'slug') };
  }
  return lastPage;
}

/** A path segment as Hugo makes it part of a URL: spaces to hyphens, lower case unless disabled. */
function urlSegment(hugo: HugoUrls, segment: string): string {
  const made = segment.trim().split(' ').filter(Boolean).join('-');
  return hugo.lowercase ? made.toLowerCase() : made;
}

/**
 * The URL folder Hugo serves a single-file page at (`/docs/foo/`, without the base path, which
 * relative links keep), and the folder of content/ that mirrors it when the URL follows the
 * page's path (`content/docs/foo/`). Undefined when the URL is not known from what is read here
 * (a `permalinks` pattern of its section, per-section ugly URLs, tokens in `url:`): the link then
 * cannot be placed. `page` is the page's text, when known (its `url:` and `slug:`).
 */
export function hugoPageFolder(hugo: HugoUrls, document: string, page: string | undefined): { url: string; source?: string } | undefined {
  const root = hugo.contentRoots.filter((r) => isInside(document, r.dir)).sort((a, b) => b.dir.length - a.dir.length)[0];
  if (!root) {
    return undefined;
  }
  const segments = document.slice(root.dir.length + 1).split('/');
  const named = splitExt(basename(document)).stem;
  // `foo.fr.md`: the French page foo, under /fr/ unless French is the default language.
  const dot = named.lastIndexOf('.');
  const language = dot > 0 && (isLocaleName(named.slice(dot + 1)) || named.slice(dot + 1).toLowerCase() === 'en') ? named.slice(dot + 1).toLowerCase() : undefined;
  const stem = language ? named.slice(0, dot) : named;
  const inSubdir = language !== undefined && (language !== hugo.defaultLanguage.toLowerCase() || hugo.defaultLanguageInSubdir);
  const prefix = normalizePath(`${inSubdir ? `/${language}` : ''}${root.url}`);
  const { url, slug } = urlAndSlug(page ?? '');
  if (url !== undefined) {
    // Tokens (`/:sections/:slug`) are not filled in here.
    if (url.includes(':')) {
      return undefined;
    }
    // Without a leading slash, a multilingual site puts it under the language's folder.
    const path = normalizePath(url.startsWith('/') ? url : `${prefix}/${url}`);
    const folder = splitExt(basename(path)).ext ? dirname(path) : path;
    return { url: folder === '/' ? '/' : `${folder}/` };
  }
  const sections = segments.slice(0, -1);
  if (hugo.uglyUrls === undefined || hugo.permalinkSections.some((s) => s === '*' || s.toLowerCase() === (sections[0] ?? '').toLowerCase())) {
    return undefined;
  }
  const own = hugo.uglyUrls ? [] : [slug ?? stem];
  const path = normalizePath(`${prefix}/${[...sections, ...own].map((s) => urlSegment(hugo, s)).join('/')}`);
  const folder = path === '/' ? '/' : `${path}/`;
  // A slug names a folder content/ does not have: the URL alone says where its files would be.
  return slug !== undefined && !hugo.uglyUrls ? { url: folder } : { url: folder, source: joinPath(root.dir, [...sections, ...own].join('/')) };
}

/** The content files that serve a URL path as page resources: the path under the content folders served there (the longest URL first). */
export function hugoContentFiles(hugo: HugoUrls, url: string): string[] {
  const served = hugo.contentRoots.filter((r) => url.startsWith(r.url));
  const longest = Math.max(...served.map((r) => r.url.length));
  return served.filter((r) => r.url.length === longest).map((r) => joinPath(r.dir, url.slice(r.url.length)));
}
