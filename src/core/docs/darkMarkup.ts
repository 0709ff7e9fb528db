/**
 * How a page shows an image's dark twin, per site generator: the decisions in one table
 * (`DARK_MARKUP`, from each generator's docs), and the exact edits that make one link switch.
 * The light image stays as it is written for readers without the switch: its alt text, title and
 * attributes are never rewritten, only markup added around it or a fragment after its path.
 */
import * as l10n from '@vscode/l10n';
import { Dialect, srcsetUrl } from '../escape';
import { TextEdit } from './altText';
import { DocImage } from './docScan';
import { Generator, SiteModel } from './sites';

/**
 * - `picture`: the link wrapped in `<picture>` with `<source media="(prefers-color-scheme: dark)">`
 *   naming the twin (inline, so a markdown image inside stays markdown and keeps its path rules);
 * - `fragments`: the link's path gets the light fragment, and a copy of the link naming the twin
 *   with the dark fragment follows it (the site's CSS shows one of the two).
 */
export type DarkSwitch = 'picture' | 'fragments';

export interface DarkMarkupRule {
  /** The generator, and for MkDocs the theme (`mkdocs-material`). */
  readonly site: Generator | 'mkdocs-material';
  readonly switch: DarkSwitch;
  /** For `fragments`: what ends the light and the dark image's path. */
  readonly fragments?: { readonly light: string; readonly dark: string };
  /** A relative path in raw HTML (the `srcset`) is served as a relative markdown link is; false: only root-absolute links can switch. */
  readonly rawRelative: boolean;
  /** What the site needs for the switch to work, in English (the README's table). */
  readonly needs?: string;
  /** What follows the reader's choice: the operating system's (`prefers-color-scheme`) or the site's own toggle. */
  readonly follows: 'system' | 'site toggle';
  /** The pages the decision is confirmed on. */
  readonly docs: readonly string[];
}

const PICTURE_DOCS = 'https://github.blog/changelog/2022-08-15-specify-theme-context-for-images-in-markdown-ga';

/** The decisions, one row per generator (and MkDocs' Material theme). */
export const DARK_MARKUP: readonly DarkMarkupRule[] = [
  { site: 'plain', switch: 'picture', rawRelative: true, follows: 'system', docs: [PICTURE_DOCS] },
  {
    site: 'docusaurus',
    switch: 'fragments',
    fragments: { light: 'gh-light-mode-only', dark: 'gh-dark-mode-only' },
    rawRelative: true,
    needs: "the CSS rule of Docusaurus' docs in src/css/custom.css: [data-theme='light'] img[src$='#gh-dark-mode-only'], [data-theme='dark'] img[src$='#gh-light-mode-only'] { display: none; }",
    follows: 'site toggle',
    docs: ['https://docusaurus.io/docs/markdown-features/assets#github-style-themed-images', 'https://docusaurus.io/docs/markdown-features/assets#themed-images'],
  },
  {
    site: 'mkdocs-material',
    switch: 'fragments',
    fragments: { light: 'only-light', dark: 'only-dark' },
    rawRelative: true,
    follows: 'site toggle',
    docs: ['https://squidfunk.github.io/mkdocs-material/reference/images/#light-and-dark-mode'],
  },
  { site: 'mkdocs', switch: 'picture', rawRelative: false, follows: 'system', docs: [PICTURE_DOCS, 'https://www.mkdocs.org/user-guide/writing-your-docs/#linking-to-images-and-media'] },
  { site: 'vitepress', switch: 'picture', rawRelative: true, follows: 'system', docs: [PICTURE_DOCS, 'https://github.com/vuejs/vitepress/issues/3146'] },
  { site: 'hugo', switch: 'picture', rawRelative: true, needs: 'raw HTML rendered: markup.goldmark.renderer.unsafe = true', follows: 'system', docs: [PICTURE_DOCS, 'https://gohugo.io/configuration/markup/#rendererunsafe'] },
  { site: 'starlight', switch: 'picture', rawRelative: false, follows: 'system', docs: [PICTURE_DOCS, 'https://starlight.astro.build/guides/authoring-content/#images', 'https://github.com/withastro/starlight/discussions/1829'] },
  { site: 'jekyll', switch: 'picture', rawRelative: true, follows: 'system', docs: [PICTURE_DOCS, 'https://kramdown.gettalong.org/syntax.html#html-blocks'] },
  { site: 'mdbook', switch: 'picture', rawRelative: true, follows: 'system', docs: [PICTURE_DOCS, 'https://rust-lang.github.io/mdBook/format/markdown.html'] },
  { site: 'nextjs', switch: 'picture', rawRelative: false, follows: 'system', docs: [PICTURE_DOCS, 'https://nextjs.org/docs/app/api-reference/file-conventions/public-folder'] },
];

/** The rule for a page of `site`. */
export function darkRuleFor(site: Pick<SiteModel, 'generator' | 'theme'>): DarkMarkupRule {
  const key = site.generator === 'mkdocs' && site.theme === 'material' ? 'mkdocs-material' : site.generator;
  return DARK_MARKUP.find((r) => r.site === key) ?? DARK_MARKUP[0];
}

/** `NAME.EXT` → `NAME<suffix>.EXT` in a path or link target as written (its query or fragment kept); undefined without an extension. */
export function withTwinSuffix(target: string, suffix: string): string | undefined {
  let pathEnd = target.length;
  for (const mark of ['?', '#']) {
    const at = target.indexOf(mark);
    if (at >= 0 && at < pathEnd) {
      pathEnd = at;
    }
  }
  const dot = target.lastIndexOf('.', pathEnd - 1);
  const slash = target.lastIndexOf('/', pathEnd - 1);
  if (dot <= slash + 1) {
    return undefined;
  }
  return `${target.slice(0, dot)}${suffix}${target.slice(dot)}`;
}

/** Whether a file name is already a twin's (`logo.dark.png` for `.dark`). */
export function isTwinName(name: string, suffix: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && name.slice(0, dot).toLowerCase().endsWith(suffix.toLowerCase()) && dot > suffix.length;
}

const SWITCH_FRAGMENT = /#(?:gh-)?(?:dark|light)-mode-only$|#only-(?:dark|light)$/i;
const SWITCH_CLASS = /\bclass(?:Name)?\s*=\s*["'{][^"'}]*(?:\bonly-(?:dark|light)\b|\b(?:dark|light)-only\b|\b(?:dark|light):sl-hidden\b)/i;
const DARK_ONLY_FRAGMENT = /#(?:gh-)?dark-mode-only$|#only-dark$/i;

/** Whether a link's path ends in a fragment that shows it in dark mode only (the dark half of a switching pair). */
export function showsOnlyInDarkMode(target: string): boolean {
  return DARK_ONLY_FRAGMENT.test(target.trim());
}

/** How far back an open `<picture>` around a link is looked for. */
const PICTURE_WINDOW = 2000;

/**
 * Whether a link already switches between a light and a dark picture: a switch fragment on its
 * path, a class a theme hides by mode on its tag, or an open `<picture>` around it.
 */
export function alreadySwitching(text: string, image: Pick<DocImage, 'start' | 'end' | 'target' | 'html'>): boolean {
  if (SWITCH_FRAGMENT.test(image.target.trim())) {
    return true;
  }
  if (image.html && SWITCH_CLASS.test(text.slice(image.start, image.end))) {
    return true;
  }
  const from = Math.max(0, image.start - PICTURE_WINDOW);
  const window = text.slice(from, image.start).toLowerCase();
  const open = window.lastIndexOf('<picture');
  return open >= 0 && open > window.lastIndexOf('</picture');
}

/** The few character references an attribute value may hold, decoded (a `srcset` is written from the URL itself). */
function attributeValue(raw: string): string {
  return raw.replace(/&(amp|quot|#39|apos|lt|gt);/g, (_m, name: string) => ({ amp: '&', quot: '"', '#39': "'", apos: "'", lt: '<', gt: '>' })[name] ?? '');
}

export type DarkLinkEdits = { readonly edits: readonly TextEdit[] } | { readonly already: true } | { readonly skip: string };

/**
 * The edits that make one link show the twin in dark mode, by the page's rule: offsets in `text`,
 * the document as the scan read it. Nothing of the light link is rewritten but a fragment after its
 * path (`fragments`); the dark copy keeps its alt text, title and attributes.
 */
export function darkLinkEdits(text: string, image: DocImage, rule: DarkMarkupRule, site: Pick<SiteModel, 'generator' | 'rawHtml'>, suffix: string, dialect: Dialect): DarkLinkEdits {
  if (alreadySwitching(text, image)) {
    return { already: true };
  }
  if (image.imported) {
    return { skip: l10n.t('its src is code (an import), which Illustrate does not rewrite: switch it with the site\'s own component') };
  }
  const raw = text.slice(image.targetStart, image.targetEnd);
  const twin = withTwinSuffix(raw, suffix);
  if (twin === undefined) {
    return { skip: l10n.t('its path has no extension') };
  }
  if (rule.switch === 'fragments') {
    const fragments = rule.fragments as { light: string; dark: string };
    if (image.reference !== undefined) {
      return { skip: l10n.t('a reference-style link: its path is in a definition other links may share; write the image inline, then run this again') };
    }
    if (raw.includes('#')) {
      return { skip: l10n.t('its path already ends in a #fragment') };
    }
    const copy = `${text.slice(image.start, image.targetStart)}${twin}#${fragments.dark}${text.slice(image.targetEnd, image.end)}`;
    return {
      edits: [
        { start: image.targetEnd, end: image.targetEnd, text: `#${fragments.light}` },
        { start: image.end, end: image.end, text: copy },
      ],
    };
  }
  if (site.generator === 'hugo' && !site.rawHtml) {
    return { skip: l10n.t('Hugo leaves raw HTML such as <picture> out of its pages unless markup.goldmark.renderer.unsafe is true in its config') };
  }
  const url = image.html ? attributeValue(twin) : twin;
  if (!rule.rawRelative && !url.trim().startsWith('/')) {
    return { skip: l10n.t('a relative link, which this site serves only from markdown, not from the <picture> markup that switches it: link the image from the site\'s public folder (/…)') };
  }
  const attribute = dialect === 'mdx' ? 'srcSet' : 'srcset';
  const close = dialect === 'mdx' ? ' />' : '>';
  return {
    edits: [
      { start: image.start, end: image.start, text: `<picture><source media="(prefers-color-scheme: dark)" ${attribute}="${srcsetUrl(url.trim())}"${close}` },
      { start: image.end, end: image.end, text: '</picture>' },
    ],
  };
}
