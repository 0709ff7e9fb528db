/**
 * Every reader of repository or server text, fed the largest input its cap allows, shaped against
 * it (a run that a backtracking pattern would rescan from every position). Each must give the
 * right answer within the suite's timeout, as glob.test.ts does: before issue 31 each of these took
 * from seconds to years.
 */
import * as assert from 'assert';
import { ESLint } from 'eslint';
import * as path from 'path';
import { cleanDescription, imageContext } from '../../src/core/api/describe';
import { genericAlt } from '../../src/core/docs/altText';
import { scanDocument } from '../../src/core/docs/docScan';
import { gitignoreRules, globRules, isIgnored } from '../../src/core/docs/glob';
import { SiteFinder, SiteModel } from '../../src/core/docs/sites';
import { cleanServerText } from '../../src/core/errors';
import { crc32, readProvenance } from '../../src/core/images/metadata';
import { altTextFromPrompt, expandVariables, fileNameFor } from '../../src/core/images/placement';
import { compileLinear } from '../../src/core/linearRegex';
import { insertLine } from '../../src/node/disk';
import { makePng } from '../fake-gemini/images';

/** What sites.ts reads of a config (MAX_CONFIG_TEXT). */
const CONFIG_CAP = 256 * 1024;
/** An error page is read up to MAX_ERROR_BYTES. */
const ERROR_CAP = 256 * 1024;
/** A model's answer (describe.ts MAX_ANSWER) and the longest alt text it may write (altTextMaxLength). */
const ANSWER_CAP = 256 * 1024;
const ALT_MAX = 500;
/** An image read whole (the hover, diagnostics: imageLifecycle's MAX_IMAGE_BYTES). */
const IMAGE_CAP = 64 * 1024 * 1024;
/** A markdown document (MAX_DOCUMENT_BYTES); imageContext reads the 20,000 characters before an image. */
const DOCUMENT_CAP = 16 * 1024 * 1024;
const CONTEXT_WINDOW = 20_000;
/** Ignore files and the project's settings file. */
const IGNORE_CAP = 256 * 1024;
const SETTINGS_CAP = 1024 * 1024;
/** The scanner's longest alt text. */
const MAX_ALT = 2000;

/** A site finder over files in memory (`/p` is the project). */
async function siteOf(files: Record<string, string>): Promise<SiteModel> {
  const host = {
    async list(dir: string): Promise<string[]> {
      const prefix = `${dir}/`;
      return [...new Set(Object.keys(files).filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length).split('/')[0]))];
    },
    async read(file: string): Promise<string | undefined> {
      return files[file];
    },
  };
  return new SiteFinder(host).siteFor('/p/pages/a.md', '/p');
}

/** `head` then `fill` repeated up to `total` characters, then `tail`. */
function padded(head: string, fill: string, tail: string, total: number): string {
  const room = total - head.length - tail.length;
  return head + fill.repeat(Math.floor(room / fill.length)) + tail;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A PNG with the older provenance's Description and Comment (no Software chunk), `total` bytes long. */
function pngWithComment(comment: (room: number) => string, total: number): Buffer {
  const png = makePng(8, 8);
  const description = pngChunk('iTXt', Buffer.concat([Buffer.from('Description\0\0\0\0\0', 'latin1'), Buffer.from('a fox')]));
  const room = total - png.length - description.length - 12 - 'Comment\0\0\0\0\0'.length;
  const text = Buffer.from(comment(room));
  return Buffer.concat([png.subarray(0, 33), description, pngChunk('iTXt', Buffer.concat([Buffer.from('Comment\0\0\0\0\0', 'latin1'), text])), png.subarray(33)]);
}

describe('readers of outside text, at their caps, in linear time', () => {
  it('site config: a docs_dir: line of spaces as long as the cap is skipped, the next docs_dir: is read (mkdocs.yml)', async () => {
    const tail = "\ndocs_dir: pages # the docs\nsite_dir: 'public'\n";
    const mkdocs = padded('docs_dir:', ' ', `'x'y${tail}`, CONFIG_CAP);
    assert.strictEqual(mkdocs.length <= CONFIG_CAP, true);
    const site = await siteOf({ '/p/mkdocs.yml': mkdocs, '/p/pages/a.md': '' });
    assert.strictEqual(site.generator, 'mkdocs');
    assert.deepStrictEqual(site.publicDirs, ['/p/pages']);
    assert.deepStrictEqual(site.buildDirs, ['/p/public']);
  });

  it('site config: Jekyll source: and baseurl: lines of spaces and slashes (_config.yml)', async () => {
    const half = CONFIG_CAP / 2;
    const config = padded('source:', ' ', "'x'y\nsource: pages\n", half) + padded('baseurl: x', '/', 'blog\n', half);
    assert.strictEqual(config.length <= CONFIG_CAP, true);
    const site = await siteOf({ '/p/_config.yml': config, '/p/pages/a.md': '' });
    assert.strictEqual(site.generator, 'jekyll');
    assert.deepStrictEqual(site.publicDirs, ['/p/pages']);
    assert.strictEqual(site.base, `/x${'/'.repeat(half - 'baseurl: x'.length - 'blog\n'.length)}blog/`);
  });

  it('site config: a base of slashes only, and unclosed lists and strings, in a script config (docusaurus.config.js)', async () => {
    const third = Math.floor(CONFIG_CAP / 3);
    const config = `baseUrl: '${'/'.repeat(400)}',\n` + padded('', 'path:[', '\n', 2 * third) + padded('', ' ', "path: 'guides'\n", third - 500);
    assert.strictEqual(config.length <= CONFIG_CAP, true);
    const site = await siteOf({ '/p/docusaurus.config.js': config, '/p/pages/a.md': '' });
    assert.strictEqual(site.generator, 'docusaurus');
    assert.strictEqual(site.base, '/');
    assert.deepStrictEqual(site.contentDirs, ['/p/guides']);
  });

  it('provenance: a PNG comment of model= as long as a whole image is not Illustrate’s; with a date it is', () => {
    const bare = pngWithComment((room) => 'model='.repeat(Math.floor(room / 6)), IMAGE_CAP);
    assert.strictEqual(bare.length <= IMAGE_CAP, true);
    assert.strictEqual(readProvenance(bare), undefined);
    let repeats = 0;
    const dated = pngWithComment((room) => {
      repeats = Math.floor((room - 20) / 6);
      return `${'model='.repeat(repeats)}; date=2026-05-01`;
    }, IMAGE_CAP);
    assert.strictEqual(dated.length <= IMAGE_CAP, true);
    const meta = readProvenance(dated);
    assert.strictEqual(meta?.prompt, 'a fox');
    assert.strictEqual(meta?.date, '2026-05-01');
    assert.strictEqual(meta?.model, 'model='.repeat(repeats - 1));
  });

  it('alt-text context: a heading of # a, spaces to the window’s size, b', () => {
    const heading = padded('# a', ' ', 'b', CONTEXT_WINDOW - 10);
    const text = `# Intro\n\n${heading}\n\n![](x.png)\n`;
    assert.deepStrictEqual(imageContext(text, text.indexOf('![')), { heading: `a${' '.repeat(199)}`, paragraph: undefined });
    const closed = `${padded('## Deploy', ' ', ' ##', CONTEXT_WINDOW - 10)}\n\n![](x.png)\n`;
    assert.strictEqual(imageContext(closed, closed.indexOf('![')).heading, 'Deploy');
  });

  it('alt-text context: a paragraph of unclosed image links and tags as long as the window, in a document at its cap', () => {
    const paragraph = `${'!['.repeat(5000)}\n${'<img'.repeat(2400)}\n`;
    const image = `${paragraph}![](x.png)\n\n`;
    const text = image.repeat(Math.floor(DOCUMENT_CAP / image.length));
    const last = text.lastIndexOf('![](x.png)');
    assert.deepStrictEqual(imageContext(text, last), { heading: undefined, paragraph: `${'!['.repeat(5000)} ${'<img'.repeat(2400)}`.slice(-800) });
    const links = `![a](b.png) and <img src="c.png" alt="d"> here\n![](x.png)`;
    assert.strictEqual(imageContext(links, links.lastIndexOf('![')).paragraph, 'and here');
  });

  it('describe: an answer of x, stars to the answer cap, y', () => {
    const answer = padded('x', '*', 'y', ANSWER_CAP);
    assert.deepStrictEqual(cleanDescription(answer, ALT_MAX), { text: `X${'*'.repeat(0.8 * ALT_MAX - 1)}`, decorative: false });
    const spaced = padded('a', ' ,;:', 'b', ANSWER_CAP);
    assert.deepStrictEqual(cleanDescription(spaced, 40), { text: 'A', decorative: false });
    assert.deepStrictEqual(cleanDescription(`**${'_'.repeat(1000)}A fox.${'*'.repeat(1000)}"`, 40), { text: 'A fox.', decorative: false });
  });

  it('server text: an error page of < to its cap is one short line', () => {
    const page = '<'.repeat(ERROR_CAP);
    assert.strictEqual(cleanServerText(page), `${'<'.repeat(299)}…`);
    assert.strictEqual(cleanServerText(`<html><body><h1>Bad   gateway</h1>${'<'.repeat(ERROR_CAP)}`).slice(0, 20), 'Bad gateway <<<<<<<<');
  });

  it('ignore rules: lines of spaces and of slashes to the ignore file’s cap, a settings glob of slashes to the settings cap', () => {
    const half = IGNORE_CAP / 2;
    const text = `${padded('a', ' ', 'b', half)}\n${padded('x', '/', 'a', half - 20)}\n*.log\nbuild/\\ \n`;
    const warned: string[] = [];
    const rules = gitignoreRules(text, '', (w) => warned.push(w), '.gitignore');
    assert.deepStrictEqual(warned, ['.gitignore:1', '.gitignore:2']);
    assert.strictEqual(isIgnored(rules, 'x.log', false), true);
    assert.strictEqual(isIgnored(rules, 'build/ ', true), true);
    const glob = padded('x', '/', 'a', SETTINGS_CAP);
    const warnedGlobs: string[] = [];
    assert.strictEqual(globRules([glob, `docs${'/'.repeat(SETTINGS_CAP)}`], (g) => warnedGlobs.push(g)).length, 1);
    assert.deepStrictEqual(warnedGlobs, [`${glob.slice(0, 80)}…`]);
  });

  it('alt text rules: alt text of the scanner’s longest, of dots, separators and digits', () => {
    assert.strictEqual(genericAlt(padded('x', '.', 'y', MAX_ALT), 'a.png'), undefined);
    assert.strictEqual(genericAlt(padded('x', '-', '1', MAX_ALT), 'a.png'), 'fileName');
    assert.strictEqual(genericAlt(padded('image', ' ', '12', MAX_ALT), 'a.png'), 'generic');
    assert.strictEqual(genericAlt(padded('image', '.', '', MAX_ALT), 'a.png'), 'generic');
    assert.strictEqual(genericAlt(padded('diagram', '.', ':!', MAX_ALT), 'a.png'), 'generic');
  });

  it('file names: a file-name setting of dots to the settings cap; a prompt of separators', () => {
    const name = fileNameFor(padded('x', '.', 'y', SETTINGS_CAP), { prompt: 'p', documentBaseName: 'd', model: 'm', now: new Date(0) }, '.png');
    assert.strictEqual(name, `x${'.'.repeat(245)}.png`);
    assert.strictEqual(fileNameFor(padded('x', '. ', 'y', SETTINGS_CAP), { prompt: 'p', documentBaseName: 'd', model: 'm', now: new Date(0) }, '.png').length, 250);
    assert.strictEqual(fileNameFor(`${'.'.repeat(SETTINGS_CAP)}`, { prompt: 'a fox', documentBaseName: 'd', model: 'm', now: new Date(0) }, '.png'), 'image.png');
    assert.strictEqual(altTextFromPrompt(padded('a fox', ' -', 'b', SETTINGS_CAP)), 'a fox');
  });

  it('HTML images: tags full of <img, unclosed quotes and repeated attributes, in a document at its cap', function () {
    // Four 16 MB documents, about 2 s a 2 MB in a quiet run and growing with the size (linear);
    // a quadratic reader would take hours. The wider limit is for a loaded 2-core machine.
    this.timeout(60_000);
    // The last two: quoted values holding `>` (a tag reaching past its first `>`), and tags whose quotes close only inside later tags.
    const shapes = [
      `${'<img'.repeat(499)}>\n`,
      `${'<img alt="'.repeat(190)}>\n`,
      `<img src=x.png ${' src="'.repeat(330)}>\n`,
      `<img${' alt=a'.repeat(300)} SRC='y.png'>\n`,
      `<img alt="A -> B" src="c.png"${' title=">"'.repeat(150)}>\n`,
      `<img a=">" ${'<img b=\'>" src="d.png" '.repeat(90)}\n`,
    ];
    const expected = (i: number, count: number): number => [0, 0, count, count, count, 0][i];
    for (const [i, shape] of shapes.entries()) {
      const text = shape.repeat(Math.floor(DOCUMENT_CAP / shape.length));
      const images = scanDocument(text);
      assert.strictEqual(images.length, expected(i, Math.floor(DOCUMENT_CAP / shape.length)), `shape ${i}`);
    }
    const [one] = scanDocument(`<img ALT = 'a fox' data-x="src=no" Src=fox.png aria-hidden="TRUE">`);
    assert.deepStrictEqual([one.alt, one.target, one.ariaHidden], ['a fox', 'fox.png', true]);
  });

  it('inserting a link at the end of a document of newlines at the document cap', () => {
    const text = padded('', '\n', 'x', DOCUMENT_CAP);
    assert.strictEqual(insertLine(text, '![a](b.png)'), `${text}\n\n![a](b.png)\n`);
    assert.strictEqual(insertLine(padded('x', '\r\n', '', DOCUMENT_CAP), '![a](b.png)'), 'x\r\n\r\n![a](b.png)\r\n');
    assert.strictEqual(insertLine(`x\r${'\n'.repeat(100)}`, 'l'), 'x\r\n\r\nl\r\n');
  });
});

describe('variable transforms from settings, without backtracking', () => {
  const cases: [string, string, string][] = [
    ['(.*)', '${1}-img', 'intro'],
    ['^(\\w+)-(\\d+)$', '$2_$1', 'guide-12'],
    ['[^a-z0-9]+', '-', 'Getting Started: Part 2'],
    ['a|ab', 'X', 'abab'],
    ['(a|ab)(c|bcd)(d*)', '[$1|$2|$3]', 'abcd'],
    ['x*', '-', 'abc'],
    ['(a*)+', '<$1>', 'aaab'],
    ['b*?', '.', 'abba'],
    ['\\bdocs\\b', 'guides', 'docs/docs-old/docs'],
    ['\\Bs', 'S', 'docs sets'],
    ['^', '>', 'a\nb'],
    ['$', '<', 'a\nb'],
    ['[\\d.]{2,3}', '#', 'v1.2.3.4'],
    ['(\\.[a-z]+)?$', '', 'file.md'],
    ['\\x41|\\u0062|\\.|\\/', '_', 'Ab./'],
    ['[\\w-]+?', '($&)', 'a-b c'],
    ['(\\d)(\\d)?', '$2$1$$', '123'],
    ['.', '$`|', 'ab'],
    ['.', "$'|", 'ab'],
    ['(a)', '$11$0$<x>', 'a'],
    ['[^]', '.', 'a\nb'],
    ['[]', '.', 'ab'],
    ['a{2}|b{1,}|c{0,1}', '_', 'aaabbbccc'],
    ['{', '(', 'a{b'],
  ];
  for (const flags of ['', 'g', 'gi', 'gm', 'gs', 'gim']) {
    it(`gives what JavaScript's RegExp gives (flags "${flags}")`, () => {
      for (const [re, rep, text] of cases) {
        const linear = compileLinear(re, flags);
        assert.ok(linear, re);
        assert.strictEqual(linear.replace(text, rep), text.replace(new RegExp(re, flags), rep), `/${re}/${flags} on ${JSON.stringify(text)}`);
        // In upper case too (`\\X41` is no escape this engine reads: left out).
        if (!/\\[xu]/.test(re)) {
          assert.strictEqual(compileLinear(re.toUpperCase(), flags)?.replace(text.toUpperCase(), rep), text.toUpperCase().replace(new RegExp(re.toUpperCase(), flags), rep), `upper /${re}/${flags}`);
        }
      }
    });
  }

  it('refuses what it cannot run in linear time, and what is not a pattern: the value stays', () => {
    for (const re of ['(a)\\1', '(?=a)', '(?<=a)b', '(?<n>a)', 'a**', '(a', 'a)', '[a', 'a{101}', '\\p{L}', '\\c1', '\\k<n>', '[z-a]']) {
      assert.strictEqual(compileLinear(re, 'g'), undefined, re);
    }
    assert.strictEqual(compileLinear('a', 'u'), undefined);
    assert.strictEqual(compileLinear('a', 'gg'), undefined);
    assert.strictEqual(expandVariables('${documentBaseName/(a)\\1/x/}', { documentBaseName: 'aa' }), 'aa');
  });

  it('a backtracking pattern from a repository’s settings against a long name: linear, or left as it is past its budget', () => {
    const name = `${'a'.repeat(4096)}!`;
    const hostile: [string, string][] = [
      ['(a+)+$', name],
      ['(a|a)*$', `${name}X`],
      ['(a|aa)*b', name],
      ['(.*)*x', name],
      ['(\\w+\\s?)+$', name],
      ['^(a?){30}a{30}$', name],
      ['(a*)*!', 'X'],
    ];
    for (const [re, want] of hostile) {
      const got = expandVariables(`\${documentBaseName/${re}/X/g}`, { documentBaseName: name });
      assert.ok(got === want, `${re}: ${got.length} characters, ${JSON.stringify(got.slice(-3))} at the end`);
      if (!re.includes('{30}')) {
        const short = `${'a'.repeat(12)}!`;
        assert.strictEqual(compileLinear(re, 'g')?.replace(short, 'X'), short.replace(new RegExp(re, 'g'), 'X'), `${re} as JavaScript`);
      }
    }
    assert.strictEqual(expandVariables('${documentBaseName/a+/X/}', { documentBaseName: name }), 'X!');
    assert.strictEqual(expandVariables('${documentBaseName/(.*)!/$1-img/}', { documentBaseName: 'intro!' }), 'intro-img');
    // A program long enough to pass its budget on a long name leaves the name as it is.
    assert.ok(expandVariables('${documentBaseName/(?:(?:a?){100}){3}!/X/}', { documentBaseName: name }) === name);
    assert.strictEqual(expandVariables('${documentBaseName/(?:(?:a?){100}){3}!/X/}', { documentBaseName: 'aaa!' }), 'X');
    // Many short matches through a long name stay within the budget.
    assert.ok(expandVariables('${documentBaseName/a/b/g}', { documentBaseName: name }) === `${'b'.repeat(4096)}!`);
  });
});

describe('the linter holds it', () => {
  it('a planted super-linear pattern, or a RegExp built at run time, in src/ fails lint', async () => {
    const root = path.resolve(__dirname, '../../..');
    const planted = ['export const bad = /(a+)+b/;', 'export const trail = (s: string): boolean => /\\s*a\\s*b\\s*$/.test(s);', 'export const built = (key: string): RegExp => new RegExp(`^${key}:`);'].join('\n');
    const [result] = await new ESLint({ cwd: root }).lintText(`${planted}\n`, { filePath: path.join(root, 'src/core/planted.ts') });
    const found = result.messages.map((m) => `${m.line} ${m.ruleId}`);
    assert.deepStrictEqual([...new Set(found)].sort(), ['1 regexp/no-super-linear-backtracking', '1 regexp/no-super-linear-move', '2 regexp/no-super-linear-move', '3 no-restricted-globals']);
  });
});
