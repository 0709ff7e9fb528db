/**
 * core/fill/alt.ts called directly, on small fill plans in memory: which images need alt text
 * (one description per picture and language), what is left out and why (the format), the edits a
 * run writes per document (none for a decorative markdown image, `alt=""` for HTML), and the cost
 * shown before a run (core/api/describe.ts).
 */
import * as assert from 'assert';
import { estimateDescribeCost, worstAltCost } from '../../../src/core/api/describe';
import { applyEdits } from '../../../src/core/docs/altText';
import { scanDocument } from '../../../src/core/docs/docScan';
import { plainSite } from '../../../src/core/docs/sites';
import { AltPlan, AltTarget, altTextEdits, Described, DESCRIBABLE, planAltText } from '../../../src/core/fill/alt';
import { FillHost, FillLink, FillPlan, lineIndex, scanMissing } from '../../../src/core/fill/fill';
import { joinWithInsert, metadataInsert } from '../../../src/core/images/metadata';
import { makeJpeg, makePng, makeWebp } from '../../fake-gemini/images';

const PNG = makePng(40, 30);
const GIF = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([40, 0, 30, 0, 0, 0, 0]), Buffer.from(';')]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
const HEIC = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic', 'latin1'), Buffer.alloc(12)]);

/** A docs tree in memory: documents and images by absolute path, `/p` the project. */
class MemoryTree implements FillHost<string> {
  readonly headsRead: string[] = [];
  readonly textsRead: string[] = [];

  constructor(
    readonly docs: Record<string, string>,
    readonly images: Record<string, Uint8Array> = {},
  ) {}

  async text(document: string): Promise<string> {
    this.textsRead.push(document);
    const t = this.docs[document];
    if (t === undefined) {
      throw new Error(`no such document ${document}`);
    }
    return t;
  }
  root(): string {
    return '/p';
  }
  async site(): Promise<ReturnType<typeof plainSite>> {
    return plainSite('/p');
  }
  path(location: string): string {
    return location;
  }
  at(_root: string, path: string): string {
    return path;
  }
  key(location: string): string {
    return location;
  }
  inside(root: string, location: string): boolean {
    return location.startsWith(`${root}/`);
  }
  name(location: string): string {
    return location.slice(location.lastIndexOf('/') + 1);
  }
  async exists(location: string): Promise<boolean> {
    return location in this.images || location in this.docs;
  }
  async checkReal(): Promise<void> {}
  async checkRealFile(): Promise<void> {}

  /** The first bytes of an image, as the editor and the command line read them (rejects when it is gone). */
  readonly head = async (file: string): Promise<Uint8Array | undefined> => {
    this.headsRead.push(file);
    const bytes = this.images[file];
    if (!bytes) {
      throw new Error(`ENOENT ${file}`);
    }
    return bytes.subarray(0, 64 * 1024);
  };

  /** The link of image number `n` (0-based) in `document`, as a scan records it. */
  link(document: string, n = 0, copy = false): FillLink<string> {
    const text = this.docs[document];
    const image = scanDocument(text, { gif: true })[n];
    assert.ok(image, `image ${n} of ${document}`);
    return { document, image, line: lineIndex(text)(image.start), copy };
  }
}

function plan(present: { uri: string; links: FillLink<string>[] }[], documents = 1): FillPlan<string> {
  return { targets: [], skipped: [], existing: present.length, documents, present };
}

/** What a plan shows: each target as "file [language] page:line(need), …", each skip as "page:line file: reason". */
function shown(p: AltPlan<string>): { targets: string[]; skipped: string[]; fine: number } {
  return {
    targets: p.targets.map((t) => `${t.uri} ${t.format} [${t.language}] ${t.links.map((l) => `${l.document}:${l.line}(${l.need})`).join(', ')}`),
    skipped: p.skipped.map((k) => `${k.link.document}:${k.link.line} ${k.file}: ${k.reason}`),
    fine: p.fine,
  };
}

describe('core/fill/alt: planAltText', () => {
  it('needs alt text: none, a generic word, a file name; a real description is fine and counted', async () => {
    const tree = new MemoryTree(
      { '/p/docs/a.md': '# Setup\n\n![](img/flow.png)\n\n![image](img/flow.png)\n\n![flow.png](img/flow.png)\n\n![The request flow, browser to database](img/flow.png)\n' },
      { '/p/docs/img/flow.png': PNG },
    );
    const p = await planAltText(plan([{ uri: '/p/docs/img/flow.png', links: [0, 1, 2, 3].map((n) => tree.link('/p/docs/a.md', n)) }]), tree, tree.head);
    assert.deepStrictEqual(shown(p), {
      targets: ['/p/docs/img/flow.png png [English] /p/docs/a.md:3(missing), /p/docs/a.md:5(generic), /p/docs/a.md:7(fileName)'],
      skipped: [],
      fine: 1,
    });
    assert.strictEqual(p.documents, 1);
    assert.deepStrictEqual(p.targets[0].context, { heading: 'Setup', paragraph: undefined });
    assert.deepStrictEqual([...p.texts.keys()], ['/p/docs/a.md'], 'the text the edits’ offsets are in');
    assert.strictEqual(p.texts.get('/p/docs/a.md'), tree.docs['/p/docs/a.md']);
  });

  it('one description per picture: links from several pages of one language share one target, with the first original page’s context', async () => {
    const tree = new MemoryTree(
      {
        '/p/docs/old.md': '# Archive\n\nA copy of the old page.\n\n![](../img/arch.png)\n',
        '/p/docs/guide.md': '# Architecture\n\nThe services talk through a queue.\n![](../img/arch.png)\n',
        '/p/docs/faq.md': '![diagram](../img/arch.png)\n',
      },
      { '/p/img/arch.png': PNG },
    );
    const links = [tree.link('/p/docs/old.md', 0, true), tree.link('/p/docs/guide.md'), tree.link('/p/docs/faq.md')];
    const p = await planAltText(plan([{ uri: '/p/img/arch.png', links }], 3), tree, tree.head);
    assert.strictEqual(p.targets.length, 1);
    assert.deepStrictEqual(shown(p).targets, ['/p/img/arch.png png [English] /p/docs/old.md:5(missing), /p/docs/guide.md:4(missing), /p/docs/faq.md:1(generic)']);
    assert.deepStrictEqual(p.targets[0].context, { heading: 'Architecture', paragraph: 'The services talk through a queue.' }, 'not the copy’s');
    assert.strictEqual(p.targets[0].prompt, '');
    assert.deepStrictEqual([...p.texts.keys()].sort(), ['/p/docs/faq.md', '/p/docs/guide.md', '/p/docs/old.md']);
    assert.deepStrictEqual(tree.headsRead, ['/p/img/arch.png'], 'the image is read once');
  });

  it('a translated page gets its own description, in its language; each page’s text is read once', async () => {
    const tree = new MemoryTree(
      {
        '/p/docs/guide.md': '# Deploy\n\n![](img/deploy.png)\n',
        '/p/docs/zh/guide.md': '# 部署\n\n运行以下命令来部署服务，然后检查日志。\n\n![](../img/deploy.png)\n',
        '/p/docs/fr/guide.md': '# Déployer\n\n![image](../img/deploy.png)\n',
      },
      { '/p/docs/img/deploy.png': PNG },
    );
    const links = [tree.link('/p/docs/guide.md'), tree.link('/p/docs/zh/guide.md', 0, true), tree.link('/p/docs/fr/guide.md', 0, true)];
    const p = await planAltText(plan([{ uri: '/p/docs/img/deploy.png', links }], 3), tree, tree.head);
    assert.deepStrictEqual(shown(p).targets, [
      '/p/docs/img/deploy.png png [English] /p/docs/guide.md:3(missing)',
      '/p/docs/img/deploy.png png [Simplified Chinese] /p/docs/zh/guide.md:5(missing)',
      '/p/docs/img/deploy.png png [French] /p/docs/fr/guide.md:3(generic)',
    ]);
    assert.deepStrictEqual(p.targets[1].context, { heading: '部署', paragraph: '运行以下命令来部署服务，然后检查日志。' });
    assert.deepStrictEqual([...tree.textsRead].sort(), ['/p/docs/fr/guide.md', '/p/docs/guide.md', '/p/docs/zh/guide.md'], 'one read per page');
  });

  it('PNG, JPEG, WebP and GIF (sent as its first frame) are described; the format comes from the bytes, not the name', async () => {
    assert.deepStrictEqual(DESCRIBABLE, ['png', 'jpeg', 'webp', 'gif']);
    const tree = new MemoryTree(
      { '/p/a.md': '![](a.png)\n![](b.jpg)\n![](c.webp)\n![](d.gif)\n![](e.png)\n' },
      { '/p/a.png': PNG, '/p/b.jpg': makeJpeg(40, 30), '/p/c.webp': makeWebp(40, 30), '/p/d.gif': GIF, '/p/e.png': makeJpeg(20, 10) },
    );
    const present = ['a.png', 'b.jpg', 'c.webp', 'd.gif', 'e.png'].map((f, n) => ({ uri: `/p/${f}`, links: [tree.link('/p/a.md', n)] }));
    const p = await planAltText(plan(present), tree, tree.head);
    assert.deepStrictEqual(
      p.targets.map((t) => `${t.uri} ${t.format}`),
      ['/p/a.png png', '/p/b.jpg jpeg', '/p/c.webp webp', '/p/d.gif gif', '/p/e.png jpeg'],
    );
    assert.deepStrictEqual(p.skipped, []);
  });

  it('left out, with the reason on each link: an SVG named .png, a HEIC, an image that cannot be read', async () => {
    const tree = new MemoryTree(
      { '/p/a.md': '![](logo.png)\n<img src="photo.heic">\n![](gone.png)\n![screenshot](logo.png)\n![The logo](logo.png)\n' },
      { '/p/logo.png': SVG, '/p/photo.heic': HEIC },
    );
    const present = [
      { uri: '/p/logo.png', links: [tree.link('/p/a.md', 0), tree.link('/p/a.md', 3), tree.link('/p/a.md', 4)] },
      { uri: '/p/photo.heic', links: [tree.link('/p/a.md', 1)] },
      { uri: '/p/gone.png', links: [tree.link('/p/a.md', 2)] },
    ];
    const p = await planAltText(plan(present), tree, tree.head);
    assert.deepStrictEqual(shown(p), {
      targets: [],
      skipped: [
        '/p/a.md:1 /p/logo.png: not a PNG, JPEG, WebP or GIF image',
        '/p/a.md:4 /p/logo.png: not a PNG, JPEG, WebP or GIF image',
        '/p/a.md:2 /p/photo.heic: not a PNG, JPEG, WebP or GIF image',
        '/p/a.md:3 /p/gone.png: not a PNG, JPEG, WebP or GIF image',
      ],
      fine: 1,
    });
    assert.deepStrictEqual(p.texts.size, 0, 'no edits will be made: no text kept');
  });

  it('an image whose links are all fine, decorative or hidden is not even read', async () => {
    const tree = new MemoryTree({ '/p/a.md': '![A map of the city](map.png)\n<img src="map.png" alt="">\n<img src="map.png" aria-hidden="true">\n' }, { '/p/map.png': PNG });
    const p = await planAltText(plan([{ uri: '/p/map.png', links: [0, 1, 2].map((n) => tree.link('/p/a.md', n)) }]), tree, tree.head);
    assert.deepStrictEqual(shown(p), { targets: [], skipped: [], fine: 3 });
    assert.deepStrictEqual(tree.headsRead, []);
  });

  it('an image Illustrate made carries its record into the target (the description is kept there too)', async () => {
    const meta = { prompt: 'a lighthouse at dusk', model: 'gemini-3.1-flash-image', aspectRatio: '16:9', imageSize: '1K', date: '2026-11-30T06:00:00.000Z' };
    const made = joinWithInsert([PNG], PNG.length, metadataInsert('png', meta));
    const tree = new MemoryTree({ '/p/a.md': '![](made.png)\n![](other.png)\n' }, { '/p/made.png': made, '/p/other.png': PNG });
    const p = await planAltText(plan([{ uri: '/p/made.png', links: [tree.link('/p/a.md', 0)] }, { uri: '/p/other.png', links: [tree.link('/p/a.md', 1)] }]), tree, tree.head);
    assert.strictEqual(p.targets[0].meta?.prompt, 'a lighthouse at dusk');
    assert.strictEqual(p.targets[0].meta?.model, 'gemini-3.1-flash-image');
    assert.strictEqual(p.targets[1].meta, undefined);
  });

  it('through the scan (with GIFs on, as illustrate alt scans): a tree in memory, from pages to targets', async () => {
    const tree = new MemoryTree(
      { '/p/README.md': '# Demo\n\n![](media/demo.gif)\n\n![](https://example.org/remote.png)\n\n![](media/missing.png)\n', '/p/docs/use.md': '![img_0231](../media/demo.gif)\n' },
      { '/p/media/demo.gif': GIF },
    );
    const scanned = await scanMissing(['/p/README.md', '/p/docs/use.md'], tree, () => false, { gif: true });
    const p = await planAltText(scanned, tree, tree.head);
    assert.deepStrictEqual(shown(p).targets, ['/p/media/demo.gif gif [English] /p/README.md:3(missing), /p/docs/use.md:1(generic)']);
    assert.strictEqual(p.documents, 2);
    const withoutGifs = await planAltText(await scanMissing(['/p/README.md', '/p/docs/use.md'], tree, () => false), tree, tree.head);
    assert.deepStrictEqual(withoutGifs.targets, [], 'a scan without GIFs leaves them out: illustrate alt must scan with them');
  });
});

describe('core/fill/alt: altTextEdits', () => {
  async function planned(docs: Record<string, string>): Promise<{ tree: MemoryTree; p: AltPlan<string> }> {
    const tree = new MemoryTree(docs, { '/p/img/a.png': PNG, '/p/img/b.png': PNG });
    const present = new Map<string, FillLink<string>[]>();
    for (const [document, text] of Object.entries(docs)) {
      scanDocument(text, { gif: true }).forEach((image, n) => {
        const uri = `/p/img/${image.target.slice(image.target.lastIndexOf('/') + 1)}`;
        present.set(uri, [...(present.get(uri) ?? []), tree.link(document, n)]);
      });
    }
    const p = await planAltText(plan([...present].map(([uri, links]) => ({ uri, links })), Object.keys(docs).length), tree, tree.head);
    return { tree, p };
  }

  function written(p: AltPlan<string>, descriptions: Record<string, Described>): Record<string, string> {
    const made = p.targets.map((target: AltTarget<string>) => ({ target, described: descriptions[target.uri] }));
    const edits = altTextEdits(made, (l) => l);
    return Object.fromEntries([...edits].map(([key, { document, edits: e }]) => [document, applyEdits(p.texts.get(key) as string, e)]));
  }

  it('every link of a picture gets its description, escaped for its page; the rest of each line is untouched', async () => {
    const { p } = await planned({
      '/p/a.md': 'See ![](img/a.png "Flow") and <img src="img/b.png" width="16">.\n',
      '/p/docs/b.md': '![image](../img/a.png)\n',
    });
    assert.deepStrictEqual(
      written(p, { '/p/img/a.png': { text: 'The flow: browser → API [v2] → DB', decorative: false }, '/p/img/b.png': { text: 'Say "hi" & <go>', decorative: false } }),
      {
        '/p/a.md': 'See ![The flow: browser → API \\[v2\\] → DB](img/a.png "Flow") and <img alt="Say &quot;hi&quot; &amp; &lt;go&gt;" src="img/b.png" width="16">.\n',
        '/p/docs/b.md': '![The flow: browser → API \\[v2\\] → DB](../img/a.png)\n',
      },
    );
  });

  it('edits are grouped per document, in one entry each, whatever the number of targets', async () => {
    const { p } = await planned({ '/p/a.md': '![](img/a.png)\n![](img/b.png)\n![](img/a.png)\n' });
    const edits = altTextEdits(
      p.targets.map((target) => ({ target, described: { text: `About ${target.uri}`, decorative: false } })),
      (l) => l,
    );
    assert.deepStrictEqual([...edits.keys()], ['/p/a.md']);
    assert.deepStrictEqual(
      [...(edits.get('/p/a.md')?.edits ?? [])].sort((x, y) => x.start - y.start),
      [
        { start: 2, end: 2, text: 'About /p/img/a.png' },
        { start: 17, end: 17, text: 'About /p/img/b.png' },
        { start: 32, end: 32, text: 'About /p/img/a.png' },
      ],
    );
  });

  it('decorative: an HTML image gets alt=""; a markdown image has no marker, so its page gets no edit at all', async () => {
    const { p } = await planned({ '/p/a.md': '![](img/a.png)\n', '/p/b.md': '<p><img src="img/a.png"></p>\n' });
    const edits = altTextEdits([{ target: p.targets[0], described: { text: '', decorative: true } }], (l) => l);
    assert.deepStrictEqual([...edits.keys()], ['/p/b.md']);
    assert.strictEqual(applyEdits(p.texts.get('/p/b.md') as string, edits.get('/p/b.md')?.edits ?? []), '<p><img alt="" src="img/a.png"></p>\n');
  });

  it('an MDX page escapes what MDX reads as code ({ and }); a .md page does not need to', async () => {
    const { p } = await planned({ '/p/a.mdx': '![](img/a.png)\n', '/p/b.md': '![](img/a.png)\n' });
    assert.deepStrictEqual(written(p, { '/p/img/a.png': { text: 'The config {port: 80} and <b>', decorative: false } }), {
      '/p/a.mdx': '![The config \\{port: 80\\} and \\<b\\>](img/a.png)\n',
      '/p/b.md': '![The config {port: 80} and \\<b>](img/a.png)\n',
    });
  });

  it('no descriptions made: no edits', () => {
    assert.strictEqual(altTextEdits([], (l: string) => l).size, 0);
  });
});

describe('core/api/describe: the cost shown before an alt-text run', () => {
  const context = { heading: 'Deploy', paragraph: 'Run the command, then check the logs.' };

  it('estimateDescribeCost: per image, at the table’s price or the user’s; unknown model: undefined', () => {
    const one = estimateDescribeCost('gemini-3.1-flash-lite', 150);
    assert.ok(one !== undefined && one > 0 && one < 0.001, String(one));
    assert.strictEqual(estimateDescribeCost('gemini-3.1-flash-lite', 150, 4), (one as number) * 4);
    // An answer of at most 150 characters: 60 output tokens; at $1M per million output tokens and no input price, $60.
    assert.strictEqual(estimateDescribeCost('gemini-3.1-flash-lite', 150, 1, { 'gemini-3.1-flash-lite': { inputPerMillion: 0, outputPerMillion: 1e6 } }), 60);
    assert.strictEqual(estimateDescribeCost('some-text-model', 150), undefined);
    assert.strictEqual(estimateDescribeCost('some-text-model', 150, 1, { 'some-text-model': { inputPerMillion: 0, outputPerMillion: 1e6 } }), 60);
  });

  it('worstAltCost: each call at its worst (1,024 output tokens, the image at high resolution, the instruction byte by byte)', () => {
    const targets = [
      { context, language: 'English' },
      { context: { heading: '部署' }, language: 'Simplified Chinese' },
    ];
    assert.strictEqual(worstAltCost('gemini-3.1-flash-lite', targets, { altTextMaxLength: 150, prices: { 'gemini-3.1-flash-lite': { inputPerMillion: 0, outputPerMillion: 1e6 } } }), 2 * 1024);
    const inputOnly = worstAltCost('gemini-3.1-flash-lite', [{ context: {}, language: 'English' }], { altTextMaxLength: 150, prices: { 'gemini-3.1-flash-lite': { inputPerMillion: 1e6, outputPerMillion: 0 } } });
    assert.ok(inputOnly !== undefined && inputOnly > 1120 && inputOnly < 1120 + 1000, String(inputOnly));
    assert.strictEqual(worstAltCost('some-text-model', targets, { altTextMaxLength: 150, prices: {} }), undefined);
    assert.strictEqual(worstAltCost('gemini-3.1-flash-lite', [], { altTextMaxLength: 150, prices: {} }), 0);
    const worst = worstAltCost('gemini-3.1-flash-lite', targets, { altTextMaxLength: 150, prices: {} }) as number;
    assert.ok(worst > (estimateDescribeCost('gemini-3.1-flash-lite', 150, 2) as number), 'the budget’s worst case is above the estimate');
  });
});
