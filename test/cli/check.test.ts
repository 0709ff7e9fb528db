/**
 * `illustrate check` for CI: spends nothing, exits 1 when an image is missing, stale (made by
 * Illustrate from an alt text that changed since) or linked with an alt text that cannot describe
 * it; one line per finding, GitHub annotations, JSON. The real CLI against the stand-in server.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { makePng } from '../fake-gemini/images';
import { BIN, illustrate, imageCall, standIn, tree } from '../fixtures/cli';

describe('illustrate check', function () {
  this.timeout(60_000);
  const { fake, env } = standIn();

  it('finds missing, stale, generic and alt-less images in each output format, spends nothing, and exits 1; a fine tree exits 0', async () => {
    const dir = tree({ 'docs/guide.md': '# Guide\n\n![the request flow](img/flow.png)\n\n![a fox in the snow](img/fox.png)\n\n![image](img/shot.png)\n\n![a hand-drawn map](img/map.png)\n\n![](img/map.png)\n\n<img src="img/map.png" aria-hidden="true">\n', 'docs/img/shot.png': makePng(64, 64), 'docs/img/map.png': makePng(64, 64) });
    // Illustrate makes flow.png from its alt text; then the writer changes the alt text.
    const made = await illustrate(dir, ['fill', '--yes'], env());
    assert.strictEqual(made.code, 0, made.stderr);
    const guide = path.join(dir, 'docs/guide.md');
    fs.writeFileSync(guide, fs.readFileSync(guide, 'utf8').replace('![the request flow](img/flow.png)', '![the request flow, with the new cache](img/flow.png)'));
    fs.rmSync(path.join(dir, 'docs/img/fox.png'));
    fake.reset();

    const text = await illustrate(dir, ['check'], env());
    assert.strictEqual(text.code, 1, text.stderr);
    assert.deepStrictEqual(text.stdout.trim().split('\n'), [
      'docs/guide.md:3  ![the request flow, with the new cache](img/flow.png)  — the alt text changed since this image was made from "the request flow" (illustrate fill --stale)',
      'docs/guide.md:5  ![a fox in the snow](img/fox.png)  — the image fox.png does not exist (illustrate fill)',
      'docs/guide.md:7  ![image](img/shot.png)  — the alt text "image" cannot describe the picture (describe the picture in the alt text, or run illustrate alt)',
      'docs/guide.md:11  ![](img/map.png)  — the image has no alt text: readers who cannot see it get nothing (illustrate alt)',
    ]);
    assert.match(text.stderr, /illustrate check: 1 document · 1 missing · 1 stale · 1 with an alt text that cannot describe the picture · 1 without alt text/);

    const github = await illustrate(dir, ['check', '--format', 'github'], env());
    assert.strictEqual(github.code, 1);
    assert.match(github.stdout, /^::warning file=docs\/guide\.md,line=3,title=Illustrate%3A stale::!\[the request flow, with the new cache\]\(img\/flow\.png\) — the alt text changed/m);
    assert.match(github.stdout, /^::warning file=docs\/guide\.md,line=5,title=Illustrate%3A missing::/m);

    const json = await illustrate(dir, ['check', '--json'], env());
    const out = JSON.parse(json.stdout) as { findings: { kind: string; file: string; line: number }[] };
    assert.deepStrictEqual(out.findings.map((f) => [f.kind, f.file, f.line]), [
      ['stale', 'docs/img/flow.png', 3],
      ['missing', 'docs/img/fox.png', 5],
      ['genericAlt', 'docs/img/shot.png', 7],
      ['missingAlt', 'docs/img/map.png', 11],
    ]);
    assert.strictEqual(fake.requests.length, 0, 'check spends nothing');

    // --only: some of the findings (a CI that checks alt text elsewhere, say); a name that is not a group is a usage error.
    const alt = await illustrate(dir, ['check', '--only', 'alt'], env());
    assert.strictEqual(alt.code, 1);
    assert.deepStrictEqual(alt.stdout.trim().split('\n').map((l) => l.split('  ')[0]), ['docs/guide.md:7', 'docs/guide.md:11']);
    assert.match(alt.stderr, /0 missing · 0 stale · 1 with an alt text that cannot describe the picture · 1 without alt text/);
    const files = await illustrate(dir, ['check', '--only', 'missing,stale', '--json'], env());
    assert.deepStrictEqual((JSON.parse(files.stdout) as { findings: { kind: string }[] }).findings.map((f) => f.kind), ['stale', 'missing']);
    const wrong = await illustrate(dir, ['check', '--only', 'missing,broken'], env());
    assert.strictEqual(wrong.code, 2);
    assert.match(wrong.stderr, /--only takes a comma-separated list of missing, stale, alt, review\./);

    // fill --stale makes the stale image again, in place, from the new alt text; the check then has no stale image.
    const plan = await illustrate(dir, ['fill', '--stale'], env());
    assert.strictEqual(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /^1 stale image in 1 document/);
    assert.match(plan.stdout, /\+ docs\/img\/flow\.png — the request flow, with the new cache/);
    const before = fs.readFileSync(path.join(dir, 'docs/img/flow.png'));
    const again = await illustrate(dir, ['fill', '--stale', '--yes'], env());
    assert.strictEqual(again.code, 0, again.stderr);
    assert.match(again.stdout, /^made docs\/img\/flow\.png/m);
    const prompts = fake.requests.filter(imageCall).map((q) => (q.body as { contents: { parts: { text?: string }[] }[] }).contents[0].parts[0].text);
    assert.deepStrictEqual(prompts, ['the request flow, with the new cache']);
    assert.ok(!fs.readFileSync(path.join(dir, 'docs/img/flow.png')).equals(before), 'the picture was replaced');
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'docs/img')).sort(), ['flow.png', 'map.png', 'shot.png'], 'in place: no flow-1.png, no temporary file');
    assert.ok(fs.readFileSync(guide, 'utf8').includes('![the request flow, with the new cache](img/flow.png)'), 'the link as written');
    const after = await illustrate(dir, ['check', '--json'], env());
    assert.deepStrictEqual((JSON.parse(after.stdout) as { findings: { kind: string }[] }).findings.map((f) => f.kind), ['missing', 'genericAlt', 'missingAlt']);

    const fine = tree({ 'a.md': '![a hand-drawn map](map.png)\n', 'map.png': makePng(8, 8) });
    const ok = await illustrate(fine, ['check'], env());
    assert.strictEqual(ok.code, 0, ok.stderr);
    assert.strictEqual(ok.stdout, '');
    const usage = await illustrate(fine, ['check', '--format', 'xml'], env());
    assert.strictEqual(usage.code, 2);
  });

  it('a changed workspace style makes the images made with it stale: its text, then a reference image\'s bytes', async () => {
    const dir = tree({ 'a.md': '![a lighthouse](img/l.png)\n', 'style/ref.png': makePng(32, 32), '.vscode/settings.json': JSON.stringify({ 'illustrate.style': 'flat vector, two colours', 'illustrate.styleReferences': ['style/ref.png'] }) });
    assert.strictEqual((await illustrate(dir, ['fill', '--yes'], env())).code, 0);
    const fine = await illustrate(dir, ['check'], env());
    assert.strictEqual(fine.code, 0, fine.stdout);

    const settings = path.join(dir, '.vscode/settings.json');
    fs.writeFileSync(settings, JSON.stringify({ 'illustrate.style': 'watercolour', 'illustrate.styleReferences': ['style/ref.png'] }));
    const style = await illustrate(dir, ['check'], env());
    assert.strictEqual(style.code, 1);
    assert.strictEqual(style.stdout.trim(), 'a.md:1  ![a lighthouse](img/l.png)  — the workspace style ("illustrate.style") changed since this image was made (illustrate fill --stale)');

    fs.writeFileSync(settings, JSON.stringify({ 'illustrate.style': 'flat vector, two colours', 'illustrate.styleReferences': ['style/ref.png'] }));
    assert.strictEqual((await illustrate(dir, ['check'], env())).code, 0, 'the style as it was: not stale');
    fs.writeFileSync(path.join(dir, 'style/ref.png'), makePng(32, 32, { tint: 90 }));
    const ref = await illustrate(dir, ['check'], env());
    assert.strictEqual(ref.code, 1);
    assert.match(ref.stdout, /a style reference image \("illustrate\.styleReferences"\) changed since this image was made/);
    const plan = await illustrate(dir, ['fill', '--stale'], env());
    assert.match(plan.stdout, /^1 stale image in 1 document/);
  });

  it('the MCP server has it too, read only: check_images lists the same findings', async () => {
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const dir = tree({ 'a.md': '![a fox in the snow](fox.png)\n![image](shot.png)\n', 'shot.png': makePng(8, 8) });
    const client = new Client({ name: 'check-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd: dir, env: env() as Record<string, string>, stderr: 'pipe' }));
    try {
      const result = (await client.callTool({ name: 'check_images', arguments: {} })) as { content: { text: string }[]; isError?: boolean };
      assert.strictEqual(result.isError, undefined);
      assert.deepStrictEqual(result.content[0].text.split('\n'), [
        '2 finding(s) in 1 document(s)',
        'a.md:1  ![a fox in the snow](fox.png) — missing: the image fox.png does not exist (illustrate fill)',
        'a.md:2  ![image](shot.png) — genericAlt: the alt text "image" cannot describe the picture (describe the picture in the alt text, or run illustrate alt)',
      ]);
      const only = (await client.callTool({ name: 'check_images', arguments: { only: ['missing'] } })) as { content: { text: string }[] };
      assert.deepStrictEqual(only.content[0].text.split('\n'), ['1 finding(s) in 1 document(s)', 'a.md:1  ![a fox in the snow](fox.png) — missing: the image fox.png does not exist (illustrate fill)']);
      assert.strictEqual(fake.requests.length, 0);
    } finally {
      await client.close();
    }
  });

  it('the MCP fill makes stale images again in place with stale: true', async () => {
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const dir = tree({ 'a.md': '![a lighthouse](img/l.png)\n' });
    assert.strictEqual((await illustrate(dir, ['fill', '--yes'], env())).code, 0);
    fs.writeFileSync(path.join(dir, 'a.md'), '![a lighthouse at dusk](img/l.png)\n');
    fake.reset();
    const client = new Client({ name: 'check-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd: dir, env: env() as Record<string, string>, stderr: 'pipe' }));
    try {
      const dry = (await client.callTool({ name: 'fill_missing_images', arguments: { stale: true, dry_run: true } })) as { content: { text: string }[] };
      assert.match(dry.content[0].text, /^1 stale image\(s\) in 1 document\(s\)/);
      const ran = (await client.callTool({ name: 'fill_missing_images', arguments: { stale: true } })) as { content: { text: string }[]; isError?: boolean };
      assert.strictEqual(ran.isError, undefined, ran.content[0].text);
      assert.match(ran.content[0].text, /^Filled 1 of 1/);
      assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'img')), ['l.png'], 'in place');
      assert.strictEqual((fake.requests[0].body as { contents: { parts: { text?: string }[] }[] }).contents[0].parts[0].text, 'a lighthouse at dusk');
    } finally {
      await client.close();
    }
  });
});
