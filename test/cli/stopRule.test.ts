/**
 * One rule for what stops a run (core `stopsRun`), the same in every host: a refused key stops
 * `illustrate alt` after the first description, as it stops a fill (cli.test.ts) and the editor's
 * fill (integration fill.test.ts). The real CLI against the stand-in server.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { makePng } from '../fake-gemini/images';
import { files, illustrate, standIn, tree } from '../fixtures/cli';

describe('what stops a run', function () {
  this.timeout(60_000);
  const { fake, env } = standIn();

  it('illustrate alt: a refused key stops the run at the first description; nothing is written', async () => {
    const page = '![](a.png)\n\n![](b.png)\n\n![](c.png)\n';
    const dir = tree({ 'doc.md': page, 'a.png': makePng(32, 32), 'b.png': makePng(33, 33), 'c.png': makePng(34, 34) });
    const r = await illustrate(dir, ['alt', '--yes'], env({ ILLUSTRATE_API_KEY: 'wrong-key-000000000' }));
    assert.strictEqual(r.code, 3, r.stderr);
    assert.strictEqual(fake.requests.filter((q) => q.url.includes(':generateContent')).length, 1, 'the run stops at the first refusal');
    assert.match(r.stderr, /stopped: .*API key was rejected/);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'doc.md'), 'utf8'), page);
    assert.deepStrictEqual(files(dir).sort(), ['a.png', 'b.png', 'c.png', 'doc.md']);
  });
});
