/** Jekyll serves a page at a URL of its own (collections, posts, `permalink:`): relative links resolve from there. */
import { basename, dirname, isInside, normalizePath, splitExt } from '../paths';
import type { JekyllUrls, SiteModel } from './sites';
import { yamlValues } from './siteConfig';

const JEKYLL_STYLES: Record<string, string> = {
  date: '/:categories/:year/:month/:day/:title:output_ext',
  pretty: '/:categories/:year/:month/:day/:title/',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  weekdate: '/:categories/:year/W:week/:short_day/:title:output_ext',
  none: '/:categories/:title:output_ext',
};

/** The site's `permalink` as a template: a style's (`pretty`), or as written. */
function styleTemplate(permalink: string | undefined): string | undefined {
  return permalink === undefined ? undefined : Object.prototype.hasOwnProperty.call(JEKYLL_STYLES, permalink) ? JEKYLL_STYLES[permalink] : permalink;
}

/** A collection's URL template: its `permalink`, else `/:collection/:path` ending as the site's style does. */
function collectionTemplate(jekyll: JekyllUrls, name: string): string {
  return jekyll.collections.find((c) => c.name === name)?.permalink ?? (styleTemplate(jekyll.permalink)?.endsWith('/') ? '/:collection/:path/' : '/:collection/:path:output_ext');
}

/** A page's `permalink:` front matter, or undefined; null when the text has no front matter (Jekyll copies it as a file, it is no page). */
function frontMatterPermalink(text: string): string | undefined | null {
  if (!text.startsWith('---')) {
    return null;
  }
  const end = text.indexOf('\n---', 3);
  const front = text.slice(0, end < 0 ? Math.min(text.length, 64 * 1024) : Math.min(end, 64 * 1024));
  return yamlValues(front.slice(front.indexOf('\n') + 1), 'permalink')[0];
}

/** A permalink template filled in: `:name` placeholders replaced (unknown ones empty), one pass. */
function fillPermalink(template: string, values: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < template.length; ) {
    if (template[i] !== ':') {
      out += template[i++];
      continue;
    }
    let j = i + 1;
    while (j < template.length && ((template[j] >= 'a' && template[j] <= 'z') || template[j] === '_')) {
      j++;
    }
    // `:title:output_ext`: the longest known name wins (`:title` before `:output_ext`).
    let name = template.slice(i + 1, j);
    while (name && !Object.prototype.hasOwnProperty.call(values, name)) {
      name = name.slice(0, -1);
    }
    out += name ? values[name] : '';
    i += 1 + (name ? name.length : j - i - 1);
  }
  return out;
}

/**
 * The URL folder Jekyll serves a page at (`/tutorials/convert-site-to-jekyll/`, without baseurl,
 * which relative links cancel out), or undefined where a link resolves beside the source (a file
 * Jekyll does not render, or a page at its own folder). `page` is the page's text, when known.
 */
export function jekyllFolder(site: SiteModel, jekyll: JekyllUrls, document: string, page: string | undefined): string | undefined {
  const source = site.publicDirs[0];
  if (!source || !isInside(document, source)) {
    return undefined;
  }
  const own = page === undefined ? undefined : frontMatterPermalink(page);
  if (own === null) {
    return undefined;
  }
  const { stem } = splitExt(basename(document));
  const segments = document.slice(source.length + 1).split('/').slice(0, -1);
  const posts = segments.indexOf('_posts');
  const style = styleTemplate(jekyll.permalink);
  let template = own;
  let values: Record<string, string> = { output_ext: '.html', basename: stem, name: stem, slug: stem, title: stem };
  const date = /^(\d{4})-(\d{2})-(\d{2})-(.+)$/.exec(stem);
  const collection = isInside(document, jekyll.collectionsDir) ? document.slice(jekyll.collectionsDir.length + 1).split('/')[0] : '';
  if (posts >= 0 && date) {
    const [, year, month, day, title] = date;
    values = { ...values, year, month, day, i_month: String(Number(month)), i_day: String(Number(day)), short_year: year.slice(2), title, slug: title, name: title, categories: segments.slice(0, posts).join('/'), collection: 'posts' };
    template ??= jekyll.collections.find((c) => c.name === 'posts')?.permalink ?? style ?? JEKYLL_STYLES.date;
  } else if (collection.startsWith('_') && jekyll.collections.some((c) => c.name === collection.slice(1))) {
    const name = collection.slice(1);
    const inner = document.slice(jekyll.collectionsDir.length + collection.length + 2);
    values = { ...values, collection: name, path: splitExt(inner).stem };
    template ??= collectionTemplate(jekyll, name);
  } else if (segments.some((s) => s.startsWith('_'))) {
    return undefined;
  } else if (template === undefined) {
    // A page: /:path/:basename/ when the site's permalink ends with a slash, else beside its source.
    if (style === undefined || !style.endsWith('/') || /^(index|readme)$/i.test(stem)) {
      return undefined;
    }
    template = '/:path/:basename/';
    values = { ...values, path: segments.join('/') };
  }
  const filled = fillPermalink(template, values);
  const folder = filled.endsWith('/') ? normalizePath(filled) : dirname(normalizePath(filled));
  return folder === '/' ? '/' : `${folder}/`;
}

/**
 * The URL folder Jekyll writes a collection's static files under (`/tutorials/` for `_tutorials/`
 * with `/:collection/:path/`): the collection's permalink filled in for a file, whose URL is the
 * template with `:path` its path under the collection (`:output_ext` empty), the extension added.
 * Undefined when the template names anything else (`:name`, `:year`): their files do not keep their path.
 */
export function collectionStaticPrefix(jekyll: JekyllUrls, name: string): string | undefined {
  const template = collectionTemplate(jekyll, name);
  const names = template.split(':').slice(1).map((part) => /^[a-z_]*/.exec(part)?.[0] ?? '');
  if (name === 'posts' || !names.includes('path') || names.some((n) => n !== 'collection' && n !== 'path' && n !== 'output_ext')) {
    return undefined;
  }
  const filled = fillPermalink(template, { collection: name, path: '/\u0000', output_ext: '' });
  const mark = filled.indexOf('\u0000');
  // What follows the path can only be the slash Jekyll takes off.
  if (mark < 0 || filled.slice(mark + 1).replace(/\/$/, '') !== '') {
    return undefined;
  }
  const folder = normalizePath(`/${filled.slice(0, mark)}`);
  return folder === '/' ? '/' : `${folder}/`;
}
