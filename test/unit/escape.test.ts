/**
 * One escape per sink (core/escape): a hostile model answer or file name written into every link
 * form, then rendered as the docs sites render it (markdown-it with HTML on, as VitePress does; the
 * MDX compiler, as Docusaurus does), adds no element and no attribute, and reads back as itself.
 */
import * as assert from 'assert';
import MarkdownIt from 'markdown-it';
import { altEdit, applyEdits } from '../../src/core/docs/altText';
import { scanDocument } from '../../src/core/docs/docScan';
import { actionsAnnotation, actionsLogLine, htmlAttribute, imageDescription, markdownText, printable, tableCode, urlInMarkup } from '../../src/core/escape';
import { imageLink } from '../../src/core/images/placement';

/** Answers a page can ask the model for (finding 2), and file names a repository can hold. */
const HOSTILE = [
  "Settings page' onerror='alert(1)",
  'Settings page" onerror="alert(1)',
  'a `code](x) <img src=x onerror=alert(1)> `',
  '<img src=x onerror=alert(1)>',
  'a ] (javascript:alert(1)) [b',
  'text {alert(1)} and {/* c */} more',
  '<script>alert(1)</script>',
  'ends with a backslash \\',
  '![nested](x.png)',
  'two\n\nparagraphs <b>x</b>',
  '&lt;img src=x onerror=alert(1)&gt;',
  '<!-- open comment',
  '<https://evil.example/>',
  '\u202eRLO \u001b[31mred',
  'export const a = 1',
  '} { <Foo bar={1} /> <>',
  '` ` `` ```',
  '*emph* _u_ ~~s~~ [link](http://x) [ref]',
];

const md = new MarkdownIt({ html: true });

/** The tags and attributes of rendered HTML, in order (markdown-it escapes text, so any `<` is markup). */
function markup(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<\/?([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:=(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/g)) {
    const attrs = [...m[2].matchAll(/\s+([^\s=>/]+)(?:=(?:"[^"]*"|'[^']*'|[^\s"'>]+))?/g)].map((a) => a[1]);
    out.push(`${m[0].startsWith('</') ? '/' : ''}${m[1]}${attrs.length ? `[${attrs.sort().join(',')}]` : ''}`);
  }
  return out;
}

/** The alt attribute markdown-it wrote, decoded. */
function altOf(html: string): string | undefined {
  const m = /<img [^>]*?\balt=(?:"([^"]*)"|'([^']*)')/.exec(html);
  return (m?.[1] ?? m?.[2])?.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** Writes `alt` into the one image of `text`, as a run does. */
function written(text: string, alt: string, dialect: 'markdown' | 'mdx' = 'markdown'): string {
  const [image] = scanDocument(text, { gif: true });
  const edit = altEdit(image, alt, false, dialect);
  assert.ok(edit, text);
  return applyEdits(text, [edit]);
}

const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, ' ').replace(/\s+/g, ' ').trim();

/** Every link form an alt text is written into. */
const FORMS: readonly { readonly name: string; readonly page: string; readonly tags: readonly string[] }[] = [
  { name: 'an inline image', page: 'See ![](img/a.png) here.\n', tags: ['p', 'img[alt,src]', '/p'] },
  { name: 'a reference image', page: 'See ![][a] here.\n\n[a]: img/a.png\n', tags: ['p', 'img[alt,src]', '/p'] },
  { name: 'an <img> with no alt', page: '<p>See <img src="img/a.png"> here.</p>\n', tags: ['p', 'img[alt,src]', '/p'] },
  { name: "an <img> with alt='…'", page: "<p>See <img src=\"img/a.png\" alt='x'> here.</p>\n", tags: ['p', 'img[alt,src]', '/p'] },
  { name: 'an <img> with alt="…"', page: '<p>See <img src="img/a.png" alt="image"> here.</p>\n', tags: ['p', 'img[alt,src]', '/p'] },
  { name: 'an <img> with alt=…', page: '<p>See <img src="img/a.png" alt=image> here.</p>\n', tags: ['p', 'img[alt,src]', '/p'] },
];

type Node = { type: unknown; props: Record<string, unknown> };

/** MDX's output as a tree of plain nodes: the elements and props a Docusaurus page would get. */
async function mdxTree(source: string): Promise<Node> {
  const load = new Function('m', 'return import(m)') as (m: string) => Promise<typeof import('@mdx-js/mdx')>;
  const { evaluate } = await load('@mdx-js/mdx');
  const jsx = (type: unknown, props: Record<string, unknown>): Node => ({ type, props });
  const Fragment = 'fragment';
  const { default: Content } = await evaluate(source, { Fragment, jsx, jsxs: jsx, development: false } as unknown as Parameters<typeof evaluate>[1]);
  return (Content as unknown as (p: object) => Node)({});
}

function mdxElements(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    node.forEach((n) => mdxElements(n, out));
  } else if (node && typeof node === 'object' && 'props' in node) {
    const n = node as Node;
    if (typeof n.type === 'string' && n.type !== 'fragment') {
      out.push(`${n.type}[${Object.keys(n.props).filter((k) => k !== 'children').sort().join(',')}]`);
    } else if (typeof n.type === 'function') {
      out.push('component');
    }
    mdxElements(n.props.children, out);
  }
  return out;
}

function mdxAlt(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    return node.map(mdxAlt).find((a) => a !== undefined);
  }
  if (node && typeof node === 'object' && 'props' in node) {
    const n = node as Node;
    return n.type === 'img' ? String(n.props.alt) : mdxAlt(n.props.children);
  }
  return undefined;
}

describe('one escape per sink: hostile text written into every link form', () => {
  for (const form of FORMS) {
    it(`${form.name}: markdown-it (HTML on) renders no new element or attribute, and the alt text reads as written`, () => {
      for (const answer of HOSTILE) {
        const page = written(form.page, answer);
        const html = md.render(page);
        assert.deepStrictEqual(markup(html), form.tags, `${JSON.stringify(answer)} → ${page} → ${html}`);
        assert.strictEqual(altOf(html), oneLine(answer), `${JSON.stringify(answer)} → ${page}`);
      }
    });
  }

  it('a new link (![alt](target) from a prompt) renders as one image with the prompt as its alt text', () => {
    for (const answer of HOSTILE) {
      const page = `${imageLink(answer, '/w/docs', '/w/docs/img/a b.png')}\n`;
      const html = md.render(page);
      assert.deepStrictEqual(markup(html), ['p', 'img[alt,src]', '/p'], `${page} → ${html}`);
      assert.strictEqual(altOf(html), oneLine(answer));
    }
  });

  it('MDX (Docusaurus): every markdown and JSX form compiles to one img with src and alt, the alt as written', async function () {
    this.timeout(60_000);
    const forms = [
      { page: 'See ![](img/a.png) here.\n', dialect: 'mdx' as const },
      { page: 'See ![][a] here.\n\n[a]: img/a.png\n', dialect: 'mdx' as const },
      { page: 'See <img src="img/a.png" /> here.\n', dialect: 'mdx' as const },
      { page: 'See <img src="img/a.png" alt="image" /> here.\n', dialect: 'mdx' as const },
    ];
    for (const form of forms) {
      for (const answer of HOSTILE) {
        const page = written(form.page, answer, form.dialect);
        let tree: Node;
        try {
          tree = await mdxTree(page);
        } catch (e: unknown) {
          assert.fail(`${JSON.stringify(answer)} broke the page: ${page}\n${(e as Error).message}`);
        }
        assert.deepStrictEqual(mdxElements(tree), ['p[]', 'img[alt,src]'], `${JSON.stringify(answer)} → ${page}`);
        assert.strictEqual(mdxAlt(tree), oneLine(answer), `${JSON.stringify(answer)} → ${page}`);
      }
    }
    // A new link in an .mdx page, too.
    for (const answer of HOSTILE) {
      const page = `${imageLink(answer, '/w/docs', '/w/docs/img/a.png', 'mdx')}\n`;
      const tree = await mdxTree(page);
      assert.deepStrictEqual(mdxElements(tree), ['p[]', 'img[alt,src]'], page);
      assert.strictEqual(mdxAlt(tree), oneLine(answer), page);
    }
  });

  it('an HTML attribute value is safe inside either quote', () => {
    for (const answer of HOSTILE) {
      for (const q of ['"', "'"]) {
        const html = md.render(`<p><img src="a.png" alt=${q}${htmlAttribute(answer)}${q}></p>\n`);
        assert.deepStrictEqual(markup(html), ['p', 'img[alt,src]', '/p'], answer);
      }
    }
  });

  it('a URL in trusted markup cannot end its attribute, its destination or its line', () => {
    const url = urlInMarkup('file:///w/a"b\'c (d)\n\n<a href=\'command:x?[1]\'>e</a>|f.png');
    assert.doesNotMatch(url, /["'()<>\s|[\]]/);
    assert.strictEqual(decodeURIComponent(url), 'file:///w/a"b\'c (d)\n\n<a href=\'command:x?[1]\'>e</a>|f.png');
  });

  it('a code span in a table cell (the job summary) keeps its row\'s cells and shows the text as written, pipes and backticks included', () => {
    const text = '![x `|` <img src=x onerror=alert(1)>](a|b``c.png)';
    const html = md.render(`| Link | Fix |\n| --- | --- |\n| ${tableCode(text)} | ${tableCode('|')} |\n`);
    assert.deepStrictEqual(/<tbody>\n<tr>\n<td><code>(.*)<\/code><\/td>\n<td><code>(.*)<\/code><\/td>\n<\/tr>/.exec(html)?.slice(1), [md.utils.escapeHtml(text), '|'], html);
  });

  it('markdown prose shows text as itself on one line', () => {
    const html = md.render(`Made from "${markdownText('<img src=x onerror=alert(1)> [x](command:y) **b**\n\n# h')}"`);
    assert.deepStrictEqual(markup(html), ['p', '/p']);
  });

  it('a GitHub Actions log line never starts a workflow command; an annotation is one printable line', () => {
    for (const line of ['::stop-commands::x', '  ::error::x', '##[stop-commands]x', '\t##[warning]x', 'fine ::x']) {
      const shown = actionsLogLine(line);
      assert.ok(!shown.trimStart().startsWith('::') && !shown.trimStart().startsWith('##['), shown);
    }
    assert.strictEqual(actionsLogLine('fine ::x'), 'fine ::x');
    const a = actionsAnnotation('warning', { file: 'docs/a,b:c.md', line: 3, title: 'Illustrate: missing' }, 'x\u001b]8;;http://e\u0007y\u202ez\n::error::w');
    assert.strictEqual(a.split('\n').length, 1);
    assert.doesNotMatch(a, /[\u0000-\u001f\u202e]/);
    assert.match(a, /^::warning file=docs\/a%2Cb%3Ac\.md,line=3,title=Illustrate%3A missing::x\\x1b\]8;;http:\/\/e\\x07y\\u202ez\\n::error::w$/);
    assert.strictEqual(printable('a\u001bb'), 'a\\x1bb');
    assert.strictEqual(imageDescription('a\nb'), 'a b');
  });
});
