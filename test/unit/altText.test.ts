/**
 * Alt text for the images a docs tree already has: which links need it, the exact edit for every
 * link form, the answer's cleanup, the page's language and context; the describe call against the
 * stand-in (real HTTP: a description, a too-long one, "decorative", a refusal, a 429, an image
 * sent too large). Through the command line: test/cli/altText.test.ts.
 */
import * as assert from 'assert';
import { ClientConfig } from '../../src/core/api/client';
import { cleanDescription, describeImage, describeInstruction, documentLanguage, imageContext } from '../../src/core/api/describe';
import { altEdit, altNeed, applyEdits } from '../../src/core/docs/altText';
import { scanDocument } from '../../src/core/docs/docScan';
import { IllustrateError } from '../../src/core/errors';
import { nodeFetch } from '../../src/node/http';
import { makeJpeg, makePng } from '../fake-gemini/images';
import { FAKE_KEY } from '../fake-gemini/server';
import { standIn } from '../fixtures/cli';

/** Writes `alt` into the one image of `text`, as the run would. */
function written(text: string, alt: string, decorative = false): string {
  const [image] = scanDocument(text, { gif: true });
  const edit = altEdit(image, alt, decorative);
  return edit ? applyEdits(text, [edit]) : text;
}

describe('alt text: which images need it, and the exact edit', () => {
  it('needs: none, generic or a file name; alt="" is decorative and aria-hidden is hidden', () => {
    const need = (text: string): string | undefined => altNeed(scanDocument(text, { gif: true })[0]);
    assert.strictEqual(need('![](a.png)'), 'missing');
    assert.strictEqual(need('![ ](a.png)'), 'missing');
    assert.strictEqual(need('![image](a.png)'), 'generic');
    assert.strictEqual(need('![Screen Shot 2024-05-01 at 10.32.11](a.png)'), 'generic');
    assert.strictEqual(need('![a.png](a.png)'), 'fileName');
    assert.strictEqual(need('![The build pipeline](a.png)'), undefined);
    assert.strictEqual(need('![][flow]\n\n[flow]: a.png\n'), 'missing');
    assert.strictEqual(need('<img src="a.png">'), 'missing');
    assert.strictEqual(need('<img src="a.png" alt="">'), undefined, 'alt="" marks it decorative');
    assert.strictEqual(need('<img src="a.png" aria-hidden="true">'), undefined);
    assert.strictEqual(need('<img src="a.png" alt="screenshot">'), 'generic');
    assert.strictEqual(need('<img src="a.png" alt="The build pipeline">'), undefined);
  });

  it('changes only the alt text, for every link form; the rest of the line stays byte for byte', () => {
    const alt = 'The request flow: browser → API [v2] → DB';
    assert.strictEqual(written('See ![](img/flow.png "Flow") here.\n', alt), 'See ![The request flow: browser → API \\[v2\\] → DB](img/flow.png "Flow") here.\n');
    assert.strictEqual(written('![image](<img/my flow.png>)', 'A flow'), '![A flow](<img/my flow.png>)');
    assert.strictEqual(written('Ref: ![][flow] end\n\n[flow]: img/flow.png "T"\n', 'A flow'), 'Ref: ![A flow][flow] end\n\n[flow]: img/flow.png "T"\n');
    assert.strictEqual(written('Ref: ![flow.png][f]\n\n[f]: flow.png\n', 'A flow'), 'Ref: ![A flow][f]\n\n[f]: flow.png\n');
    assert.strictEqual(written('<p><img src="a.png" width="16"></p>', 'Say "hi" & <go>'), '<p><img alt="Say &quot;hi&quot; &amp; &lt;go&gt;" src="a.png" width="16"></p>');
    assert.strictEqual(written("<img src='a.png' alt='image' />", 'A flow'), "<img src='a.png' alt='A flow' />");
    assert.strictEqual(written('<img src=a.png alt=image>', 'A flow'), '<img src=a.png alt="A flow">');
    assert.strictEqual(written('<img src="a.png">', '', true), '<img alt="" src="a.png">', 'decorative HTML: alt=""');
    assert.strictEqual(written('![](a.png)', '', true), '![](a.png)', 'markdown has no decorative marker: unchanged');
    assert.strictEqual(written('![](a.png)', 'two\nlines'), '![two lines](a.png)');
  });

  it('cleans the answer: one line, no lead-in, no quotes, within the length; "DECORATIVE" is a verdict', () => {
    assert.deepStrictEqual(cleanDescription('"Image of a fox reading a map."', 150), { text: 'A fox reading a map.', decorative: false });
    assert.deepStrictEqual(cleanDescription('Alt text: **screenshot of the settings page**', 150), { text: 'The settings page', decorative: false });
    assert.deepStrictEqual(cleanDescription(' DECORATIVE. ', 150), { text: '', decorative: true });
    const long = cleanDescription(`A diagram ${'with many boxes and arrows '.repeat(20)}`, 80);
    assert.ok(long.text.length <= 80 && !long.text.endsWith(' '), long.text);
    assert.ok(/arrows|boxes|with|many/.test(long.text.split(' ').pop()!), 'cut at a word');
  });

  it('the page: its language (script, then path) and the heading and paragraph before the image', () => {
    assert.strictEqual(documentLanguage('# 安装\n\n运行以下命令来安装依赖，然后启动开发服务器。', 'docs/zh/guide.md'), 'Simplified Chinese');
    assert.strictEqual(documentLanguage('# Installation\n\nLancez la commande.', 'docs/fr/guide.md'), 'French');
    assert.strictEqual(documentLanguage('# Install\n\nRun the command.', 'docs/guide.md'), 'English');
    const text = '# Guide\n\n## Deploy\n\nPush the branch, then open the\ndashboard:\n\n![](shot.png)\n';
    assert.deepStrictEqual(imageContext(text, text.indexOf('![')), { heading: 'Deploy', paragraph: 'Push the branch, then open the dashboard:' });
    assert.match(describeInstruction({ heading: 'Deploy' }, 'Simplified Chinese', 120), /in Simplified Chinese, at most 120 characters[\s\S]*Section heading: Deploy/);
  });
});

describe('the describe call, against the stand-in', function () {
  this.timeout(30_000);
  const { fake } = standIn();
  const config = (): ClientConfig => ({ baseUrl: fake.url, authHeader: 'auto', apiKey: FAKE_KEY, timeoutMs: 10_000 });
  const small = makeJpeg(640, 360);
  const ask = (directive = '', image: Uint8Array = small, mimeType = 'image/jpeg') =>
    describeImage(config(), { model: 'gemini-3.1-flash-lite', image: { mimeType, data: image }, instruction: describeInstruction({ paragraph: `The flow ${directive}` }, 'English', 150), maxLength: 150 }, new AbortController().signal, { fetch: nodeFetch, sleep: () => Promise.resolve() });

  it('a description: one line, its cost from the usage; the image and instruction as sent', async () => {
    const d = await ask();
    assert.strictEqual(d.text, 'A diagram of the request flow from the browser through the API gateway to the database.');
    assert.strictEqual(d.decorative, false);
    assert.ok(d.cost !== undefined && d.cost > 0 && d.cost < 0.001, String(d.cost));
    const body = fake.requests[0].body as { contents: { parts: { text?: string; inlineData?: { data: string } }[] }[]; generationConfig: Record<string, unknown> };
    assert.ok(Buffer.from(body.contents[0].parts[1].inlineData!.data, 'base64').equals(Buffer.from(small)));
    assert.strictEqual(body.generationConfig.mediaResolution, 'MEDIA_RESOLUTION_LOW');
  });

  it('too long: cut to the length, without its "Image of" lead-in; "decorative"; a refusal; a 429 retried', async () => {
    const long = await ask('[fake:describeLong]');
    assert.ok(long.text.length <= 150 && !/^image of/i.test(long.text), long.text);
    assert.deepStrictEqual([(await ask('[fake:decorative]')).decorative], [true]);
    await assert.rejects(ask('[fake:refuse]'), (e: unknown) => e instanceof IllustrateError && e.kind === 'blocked' && /would not describe this image \(SAFETY\)/.test(e.message));
    fake.reset();
    fake.script('quota');
    assert.match((await ask()).text, /^A diagram/);
    assert.deepStrictEqual(fake.requests.map((r) => r.status), [429, 200]);
  });

  it('an image sent at full size is refused by the stand-in (Illustrate sends it small)', async () => {
    await assert.rejects(ask('', makePng(1600, 900), 'image/png'), (e: unknown) => e instanceof IllustrateError && /sent at 1600x900/.test(e.message));
  });
});
