import * as assert from 'assert';
import { AdaptiveLimit, mapLimit, runAdaptive } from '../../src/core/fill/concurrency';
import { codeRegions, linkText, scanDocument } from '../../src/core/docs/docScan';

describe('filling a docs tree: the scan and the pace', () => {
  describe('scanDocument', () => {
    const doc = [
      '# Guide',
      '',
      '![the build pipeline](images/build.png) and ![a diagram with spaces](<my images/flow chart.png>)',
      '',
      '![a reference image][ref]',
      '',
      '<img src="images/html.png" alt="an HTML image" width="300">',
      '',
      '```md',
      '![in a fence](images/fenced.png)',
      '```',
      '',
      '    ![indented code](images/indented.png)',
      '',
      'Inline `![in code](images/inline.png)` here.',
      '',
      '![remote](https://example.com/a.png) ![data](data:image/png;base64,AAAA) ![vector](images/logo.svg) ![](images/no-alt.png)',
      '',
      '[ref]: images/ref.jpg',
      '',
    ].join('\n');

    it('finds inline, <…>, reference-style and HTML images, with the reason each skipped one is left alone', () => {
      const found = scanDocument(doc).map((i) => [i.alt, i.local ?? i.target, i.skip ?? 'ok', i.html === true]);
      assert.deepStrictEqual(found, [
        ['the build pipeline', 'images/build.png', 'ok', false],
        ['a diagram with spaces', 'my images/flow chart.png', 'ok', false],
        ['a reference image', 'images/ref.jpg', 'ok', false],
        ['an HTML image', 'images/html.png', 'ok', true],
        ['in a fence', 'images/fenced.png', 'inCode', false],
        ['indented code', 'images/indented.png', 'inCode', false],
        ['in code', 'images/inline.png', 'inCode', false],
        ['remote', 'https://example.com/a.png', 'remote', false],
        ['data', 'data:image/png;base64,AAAA', 'dataUri', false],
        ['vector', 'images/logo.svg', 'unsupportedFormat', false],
        ['', 'images/no-alt.png', 'emptyAlt', false],
      ]);
      const html = scanDocument(doc).find((i) => i.html)!;
      assert.strictEqual(doc.slice(html.targetStart, html.targetEnd), 'images/html.png');
    });

    it('an HTML alt spanning lines is one line, its white space collapsed, as the prompt and as the plan shows the link', () => {
      const text = '<img\n  src="img/flow.png"\n  alt="The request flow:\n    browser, cache,\t\tdatabase "\n/>\n';
      const [image] = scanDocument(text);
      assert.strictEqual(image.alt, 'The request flow: browser, cache, database');
      assert.strictEqual(linkText(image), '<img src="img/flow.png" alt="The request flow: browser, cache, database">');
      assert.strictEqual(text.slice(image.altValue!.start, image.altValue!.end), 'The request flow:\n    browser, cache,\t\tdatabase ', 'the attribute itself is where it was written');
    });

    it('a `>` inside a quoted attribute value does not end the tag: `<img alt="A -> B" src=…>` is found whole, as HTML reads it', () => {
      const text = '<img alt="Flow: A -> B" src="img/flow.png" width="300">\n\n<img src=\'img/gt.png\' alt=\'x > y\'/> and <img alt="no src > here">\n';
      const images = scanDocument(text);
      assert.deepStrictEqual(
        images.map((i) => [i.alt, i.target, text.slice(i.start, i.end)]),
        [
          ['Flow: A -> B', 'img/flow.png', '<img alt="Flow: A -> B" src="img/flow.png" width="300">'],
          ['x > y', 'img/gt.png', "<img src='img/gt.png' alt='x > y'/>"],
        ],
      );
      // A value left open ends the tag at its first `>`, as before.
      const [open] = scanDocument('<img src=a.png alt="unclosed>\n');
      assert.deepStrictEqual([open.target, open.alt], ['a.png', '']);
    });

    it('MDX: an image a page imports (import, require, useBaseUrl) is found at its module path, shown as written; other code is skipped', () => {
      const page = [
        "import hero from './hero.png';",
        "import Image from '@theme/IdealImage';",
        'import shot from "../../assets/shot.webp";',
        '',
        '# Page',
        '',
        '<img src={hero} alt="A lighthouse at dusk" />',
        '<Image src={shot} alt="The settings screen" />',
        "<img src={require('./img/diagram.png').default} alt=\"The build pipeline\" />",
        "<img src={useBaseUrl('/img/logo.png')} alt=\"The project logo\" />",
        '<img src={someVariable} alt="computed" />',
        "<img src={require('pkg/x.png')} alt=\"a package image\" />",
        '',
      ].join('\n');
      const found = scanDocument(page).map((i) => [i.local ?? i.target, i.skip ?? 'ok', linkText(i)]);
      assert.deepStrictEqual(found, [
        ['./hero.png', 'ok', '<img src={hero} alt="A lighthouse at dusk">'],
        ['../../assets/shot.webp', 'ok', '<Image src={shot} alt="The settings screen">'],
        ['./img/diagram.png', 'ok', "<img src={require('./img/diagram.png').default} alt=\"The build pipeline\">"],
        ['/img/logo.png', 'ok', "<img src={useBaseUrl('/img/logo.png')} alt=\"The project logo\">"],
        ['{someVariable}', 'jsx', '<img src="{someVariable}" alt="computed">'],
        ["{require('pkg/x.png')}", 'jsx', '<img src="{require(\'pkg/x.png\')}" alt="a package image">'],
      ]);
      const hero = scanDocument(page)[0];
      assert.strictEqual(page.slice(hero.targetStart, hero.targetEnd), './hero.png', 'the import’s path is where the link is');
    });

    it('code regions: an unclosed fence runs to the end; backtick runs pair by length', () => {
      const text = 'a ``x ` y`` b `z`\n\n```\n![](a.png)';
      const regions = codeRegions(text).map(([s, e]) => text.slice(s, e));
      assert.deepStrictEqual(regions, ['``x ` y``', '`z`', '```\n![](a.png)']);
    });

    it('code spans are read wherever an image starts, however far the last backtick; a fence or indented code after white space of another kind is code', () => {
      const skips = (text: string): string[] => scanDocument(text).map((i) => `${i.alt}:${i.skip ?? 'kept'}`);
      assert.deepStrictEqual(skips('`a` text\n\nno image here `b`\n\n`![x](y.png)` and ![z](w.png)'), ['x:inCode', 'z:kept']);
      assert.deepStrictEqual(skips(`${'`plain` '.repeat(5000)}\n\n${'no code here\n'.repeat(5000)}\`![far](f.png)\``), ['far:inCode']);
      assert.deepStrictEqual(skips('\u00a0```\n![in](fence.png)\n```\n![out](o.png)'), ['in:inCode', 'out:kept'], 'a no-break space before a fence');
      assert.deepStrictEqual(skips('text\r\n\r\n    ![code](c.png)\r\n'), ['code:inCode'], 'a blank line of "\\r"');
      assert.deepStrictEqual(skips('text `code\n![a](b.png)` end'), ['a:kept'], 'a code span does not run over a line end');
    });

    it('stays linear on hostile text: long lines of unmatched backticks, many fences', () => {
      const hostile = `${'` `` ``` '.repeat(50_000)}\n${'```\n'.repeat(20_000)}![last](last.png)\n`;
      const last = scanDocument(hostile).at(-1);
      assert.strictEqual(last?.local, 'last.png');
    });
  });

  describe('lookups a few at a time (mapLimit)', () => {
    it('gives the results in the items\' order, with never more than the limit running', async () => {
      let running = 0;
      let most = 0;
      const delays = [30, 5, 20, 1, 15, 8, 2, 25, 3, 12];
      const out = await mapLimit(delays, 3, async (ms, i) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, ms));
        running--;
        return `${i}:${ms}`;
      });
      assert.deepStrictEqual(out, delays.map((ms, i) => `${i}:${ms}`));
      assert.strictEqual(most, 3);
      assert.deepStrictEqual(await mapLimit([], 4, async () => 1), []);
    });
    it('rejects when one lookup does', async () => {
      await assert.rejects(
        mapLimit([1, 2, 3], 2, async (n) => {
          if (n === 2) {
            throw new Error('unreadable');
          }
          return n;
        }),
        /unreadable/,
      );
    });
  });

  describe('adaptive concurrency', () => {
    it('starts at one and grows by one per round of successes; a rate limit halves it, pauses, and sets a ceiling below the load that hit it', () => {
      const limit = new AdaptiveLimit(8);
      limit.succeeded();
      assert.strictEqual(limit.current, 2);
      limit.succeeded();
      limit.succeeded();
      assert.strictEqual(limit.current, 3);
      for (let i = 0; i < 3; i++) {
        limit.succeeded();
      }
      assert.strictEqual(limit.current, 4);
      limit.rateLimited(500, 1000, 4);
      assert.deepStrictEqual([limit.current, limit.pausedUntil], [2, 1500]);
      for (let i = 0; i < 50; i++) {
        limit.succeeded();
      }
      assert.strictEqual(limit.current, 3, 'back up after successes, one at a time, below the load that was refused');
    });

    it('never runs more jobs at once than the limit, requeues rate-limited jobs, and keeps order', async () => {
      const limit = new AdaptiveLimit(3);
      let inFlight = 0;
      let most = 0;
      let limited = false;
      const results = await runAdaptive(
        Array.from({ length: 12 }, (_, i) => i),
        limit,
        async (job) => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((r) => setTimeout(r, 5));
          inFlight--;
          if (job === 4 && !limited) {
            limited = true;
            throw new Error('429');
          }
          return job * 2;
        },
        { signal: new AbortController().signal, retryLater: (e) => (e instanceof Error && e.message === '429' ? { waitMs: 20 } : undefined) },
      );
      assert.ok(most <= 3, `at most 3 at once, saw ${most}`);
      assert.deepStrictEqual(results.map((r) => (r.ok ? r.value : 'failed')), Array.from({ length: 12 }, (_, i) => i * 2));
    });

    it('cancel starts nothing new; finished results stay', async () => {
      const controller = new AbortController();
      const started: number[] = [];
      const results = await runAdaptive(
        [0, 1, 2, 3, 4, 5],
        new AdaptiveLimit(2),
        async (job) => {
          started.push(job);
          if (job === 1) {
            controller.abort();
          }
          await new Promise((r) => setTimeout(r, 5));
          return job;
        },
        { signal: controller.signal },
      );
      assert.deepStrictEqual(started, [0, 1]);
      assert.deepStrictEqual(results.map((r) => r.ok), [true, true, false, false, false, false]);
    });
  });
});
