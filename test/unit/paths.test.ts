import * as assert from 'assert';
import { isInside, joinPath, normalizePath, relativePath, slugify } from '../../src/core/paths';
import { settingsFrom, withStyle } from '../../src/core/settings';
import { altTextFromPrompt, expandVariables, fileNameFor, imageLink, PathPlanner, resolveDestination, retargetLink, safeFileName, timeVariables, unsafeLinkName } from '../../src/core/images/placement';
import { linkDestination } from '../../src/core/escape';

const NOW = new Date('2026-11-24T10:00:00Z');

describe('paths, names and links', () => {
  it('slugs a prompt to lowercase ascii words of at most 48 characters', () => {
    assert.strictEqual(slugify('A Lighthouse at Dusk, with gulls!'), 'a-lighthouse-at-dusk-with-gulls');
    assert.strictEqual(slugify('Café crème — brûlée'), 'cafe-creme-brulee');
    const long = slugify('an isometric diagram of the build pipeline with caches and artifact stores everywhere');
    assert.ok(long.length <= 48, long);
    assert.ok(!long.endsWith('-'));
    assert.strictEqual(long, 'an-isometric-diagram-of-the-build-pipeline-with');
    assert.strictEqual(slugify('日本語だけ'), 'image');
  });

  it('names clashes name-1, name-2 and never overwrites, nor gives a name out twice in one operation', async () => {
    const taken = new Set(['/w/images/cat.png', '/w/images/cat-1.png']);
    const planner = new PathPlanner({ exists: async (p) => taken.has(p) });
    assert.strictEqual(await planner.free('/w/images/cat.png'), '/w/images/cat-2.png');
    assert.strictEqual(await planner.free('/w/images/cat.png'), '/w/images/cat-3.png', 'cat-2 is already planned');
    assert.strictEqual(await planner.free('/w/images/dog.png'), '/w/images/dog.png');
    planner.reject('/w/images/fox.png');
    assert.strictEqual(await planner.free('/w/images/fox.png'), '/w/images/fox-1.png');
    await assert.rejects(planner.free('/w/images/cat.png', () => true), /cancelled/);
  });

  it('one set of time variables, fit for file names and destinations alike', () => {
    assert.deepStrictEqual(timeVariables(NOW), { unixTime: '1795514400', isoTime: '2026-11-24T10-00-00-000Z' });
    const ctx = { documentPath: '/w/docs/intro.md', workspaceFolderPath: '/w', fileName: 'cat.png', now: NOW };
    assert.strictEqual(resolveDestination('images/${isoTime}/', ctx), '/w/docs/images/2026-11-24T10-00-00-000Z/cat.png');
    assert.strictEqual(fileNameFor('${promptSlug}-${isoTime}', { prompt: 'A cat', documentBaseName: 'intro', model: 'm', now: NOW }, '.png'), 'a-cat-2026-11-24T10-00-00-000Z.png');
  });

  it('one link builder: relative posix path from the document, <…> when needed; retargets keep the style', () => {
    assert.strictEqual(imageLink('a cat', '/w/docs', '/w/docs/images/my cat.png'), '![a cat](<images/my cat.png>)');
    assert.strictEqual(imageLink('a cat', '/w/docs/guide', '/w/assets/cat.png'), '![a cat](../../assets/cat.png)');
    assert.strictEqual(retargetLink('img/cat.png', false, 'cat.jpg'), 'img/cat.jpg');
    assert.strictEqual(retargetLink('my pics/cat.png', true, 'cat-1.png'), 'my pics/cat-1.png');
    assert.strictEqual(retargetLink('cat.png', false, 'cat (1).jpg'), '<cat (1).jpg>');
  });

  it('puts images in images/ beside the document by default', () => {
    const ctx = { documentPath: '/w/docs/guide/intro.md', workspaceFolderPath: '/w', fileName: 'cat.png', now: NOW };
    assert.strictEqual(resolveDestination('images/', ctx), '/w/docs/guide/images/cat.png');
    assert.strictEqual(resolveDestination('/assets/${documentBaseName}/', ctx), '/w/assets/intro/cat.png');
    assert.strictEqual(resolveDestination('${documentWorkspaceFolder}/media/${fileName}', ctx), '/w/media/cat.png');
    assert.strictEqual(resolveDestination('${documentDirName}/img/', ctx), '/w/docs/guide/img/cat.png');
  });

  it('refuses a destination outside the workspace folder', () => {
    const ctx = { documentPath: '/w/docs/intro.md', workspaceFolderPath: '/w', fileName: 'cat.png', now: NOW };
    assert.strictEqual(resolveDestination('../../elsewhere/', ctx), undefined);
    assert.strictEqual(resolveDestination('/../outside/', ctx), undefined);
    assert.strictEqual(resolveDestination('/etc/', { ...ctx, workspaceFolderPath: '/w' }), '/w/etc/cat.png');
  });

  it('handles Windows drive paths, case-insensitively', () => {
    const ctx = { documentPath: '/c:/Users/Ann/docs/README.md', workspaceFolderPath: '/c:/Users/Ann/docs', fileName: 'cat.png', now: NOW };
    assert.strictEqual(resolveDestination('images/', ctx), '/c:/Users/Ann/docs/images/cat.png');
    assert.strictEqual(resolveDestination('C:\\Users\\Ann\\docs\\pics\\', ctx), '/c:/Users/Ann/docs/pics/cat.png');
    assert.strictEqual(resolveDestination('D:\\other\\', ctx), undefined);
    assert.ok(isInside('/C:/Users/Ann/docs/x.png', '/c:/Users/Ann/docs'));
    assert.ok(!isInside('/c:/Users/Ann/docs2/x.png', '/c:/Users/Ann/docs'));
    assert.strictEqual(normalizePath('c:\\a\\b\\..\\c'), '/c:/a/c');
  });

  it('normalizes paths: a normal one is kept as it is, every other made so', () => {
    assert.strictEqual(normalizePath('/w/.github/docs/..note.md'), '/w/.github/docs/..note.md');
    assert.strictEqual(normalizePath('/w/./docs/../img//a.png'), '/w/img/a.png');
    assert.strictEqual(normalizePath('/w/docs/'), '/w/docs');
    assert.strictEqual(normalizePath('/w/docs/.'), '/w/docs');
    assert.strictEqual(normalizePath('/w/docs/..'), '/w');
    assert.strictEqual(normalizePath('/'), '/');
    assert.strictEqual(normalizePath('/C:/w'), '/c:/w');
    assert.strictEqual(normalizePath('/w\\a'), '/w/a');
    assert.strictEqual(joinPath('/site/static', '/img/x.png'), '/site/static/img/x.png');
    assert.strictEqual(joinPath('/w/docs', './/./a.png'), '/w/docs/a.png');
    assert.strictEqual(joinPath('/w/docs', '../../../a.png'), '/a.png');
    assert.strictEqual(joinPath('', '/C:/x'), '/C:/x', 'a drive is read where the joined path starts');
    assert.ok(isInside('/w/docs', '/w/docs/') && isInside('/w/docs/a', '/') && !isInside('/w/docsa', '/w/docs'));
  });

  it('makes links relative to the document with / separators', () => {
    assert.strictEqual(relativePath('/w/docs/guide', '/w/docs/guide/images/cat.png'), 'images/cat.png');
    assert.strictEqual(relativePath('/w/docs/guide', '/w/assets/cat.png'), '../../assets/cat.png');
    assert.strictEqual(relativePath('/c:/w/docs', '/C:/w/img/a.png'), '../img/a.png');
  });

  it('wraps targets with spaces in <…> and never writes %20', () => {
    assert.strictEqual(linkDestination('images/my cat.png'), '<images/my cat.png>');
    assert.strictEqual(linkDestination('images/cat.png'), 'images/cat.png');
    assert.strictEqual(linkDestination('images/a(1).png'), 'images/a(1).png');
    assert.strictEqual(linkDestination('images/a).png'), '<images/a).png>');
  });

  it('alt text is the prompt, one line, cut at a word to at most 120 characters, brackets escaped', () => {
    assert.strictEqual(imageLink(altTextFromPrompt('a [red] cat\non a mat'), '/w', '/w/a.png'), '![a \\[red\\] cat on a mat](a.png)');
    const long = 'word '.repeat(40).trim();
    const alt = altTextFromPrompt(long);
    assert.ok(alt.length <= 120);
    assert.ok(alt.endsWith('word'));
  });

  it('expands ${var/regex/replacement/} transforms like VS Code', () => {
    assert.strictEqual(expandVariables('${documentBaseName/(.*)/${1}-img/}', { documentBaseName: 'intro' }), 'intro-img');
    assert.strictEqual(expandVariables('${unknown}', {}), '${unknown}');
  });

  it('never makes a Windows device name, in any case', () => {
    for (const stem of ['con', 'NUL', 'Aux', 'prn', 'com1', 'LPT9', 'conin$']) {
      assert.strictEqual(safeFileName(stem, '.png'), `${stem}-image.png`);
    }
    assert.strictEqual(safeFileName('console', '.png'), 'console.png');
    assert.strictEqual(safeFileName(slugify('CON'), '.png'), 'con-image.png');
  });

  it('cuts names to 255 bytes of UTF-8 at a character, leaving room for -9999', () => {
    const name = safeFileName('图'.repeat(200), '.png');
    assert.ok(Buffer.byteLength(name) <= 250, String(Buffer.byteLength(name)));
    assert.ok(name.endsWith('图.png'), 'no broken character');
    assert.strictEqual(safeFileName('a'.repeat(300), '.jpg').length, 250);
  });

  it('refuses link names with control characters, device names or over 255 bytes', () => {
    assert.match(unsafeLinkName('a\u0000b.png') ?? '', /control character/);
    assert.match(unsafeLinkName('x\ny.png') ?? '', /control character/);
    assert.match(unsafeLinkName('nul.png') ?? '', /reserves/);
    assert.match(unsafeLinkName(`${'a'.repeat(260)}.png`) ?? '', /255 bytes/);
    assert.strictEqual(unsafeLinkName('diagram.png'), undefined);
  });

  it('the workspace style: one line, capped, added after the prompt', () => {
    const settings = settingsFrom((key) => (key === 'style' ? '  flat vector,\n brand blue  ' : undefined), () => undefined);
    assert.strictEqual(settings.style, 'flat vector, brand blue');
    assert.strictEqual(withStyle('a lighthouse', settings.style), 'a lighthouse\n\nStyle: flat vector, brand blue');
    assert.strictEqual(withStyle('a lighthouse', ''), 'a lighthouse');
    assert.strictEqual(settingsFrom((key) => (key === 'style' ? 'x'.repeat(5000) : undefined), () => undefined).style.length, 2000);
  });
});
