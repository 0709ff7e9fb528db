/** The format a link asks for, end to end through the command line against the stand-in server: fill and generate write it. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pixelSize, sniffFormat } from '../../src/core/images/imageFormat';
import { readMetadata } from '../../src/core/images/metadata';
import { illustrate, standIn, tree } from '../fixtures/cli';

describe('the format a link asks for, through the command line', function () {
  this.timeout(60_000);
  const { env } = standIn();

  it('fill writes .webp and .jpg links in their own format and leaves every link as written; .avif is skipped with a reason', async () => {
    const page = '# A\n\n![a flow of requests through a cache](img/flow.webp)\n\n![a kite in the wind](img/kite.jpg)\n\n![a chart as AVIF](img/chart.avif)\n';
    const dir = tree({ 'docs/a.md': page, 'docs/b.md': '![a flow of requests through a cache](img/flow.webp)\n' });
    const r = await illustrate(dir, ['fill', '--yes', '--json', '--quality', '60', '--report', 'fill-report.md'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    // The report (the editor's too) puts the bytes written beside the bytes the model sent.
    const report = fs.readFileSync(path.join(dir, 'fill-report.md'), 'utf8');
    assert.match(report, /docs\/img\/flow\.webp.*\d+ KB WEBP \(the model sent \d+ KB PNG\)/);
    assert.match(report, /docs\/img\/kite\.jpg.*\d+ KB JPEG \(the model sent \d+ KB PNG\)/);
    const out = JSON.parse(r.stdout) as { made: { file: string; format: string; bytes: number; receivedBytes: number }[]; plan: { skipped: { reason: string }[] } };
    assert.deepStrictEqual(out.made.map((m) => [m.file, m.format]).sort(), [
      ['docs/img/flow.webp', 'webp'],
      ['docs/img/kite.jpg', 'jpeg'],
    ]);
    assert.strictEqual(sniffFormat(fs.readFileSync(path.join(dir, 'docs/img/flow.webp')).subarray(0, 16)), 'webp');
    assert.strictEqual(sniffFormat(fs.readFileSync(path.join(dir, 'docs/img/kite.jpg')).subarray(0, 16)), 'jpeg');
    assert.ok(out.made.every((m) => m.bytes < m.receivedBytes), 'smaller than what the model sent');
    assert.strictEqual(fs.readFileSync(path.join(dir, 'docs/a.md'), 'utf8'), page, 'links as written');
    assert.match(out.plan.skipped.map((k) => k.reason).join('\n'), /AVIF image, which Illustrate cannot write yet/);
    assert.match(readMetadata(fs.readFileSync(path.join(dir, 'docs/img/flow.webp'))).Description ?? '', /a flow of requests through a cache/);
  });

  it('generate --format webp --max-width writes a WebP of that width, named .webp, and prints its weight', async () => {
    const dir = tree({});
    const r = await illustrate(dir, ['generate', 'a lighthouse at dusk', '-o', 'art/lighthouse.png', '--format', 'webp', '--max-width', '800'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual(r.stdout.trim().split('\n'), ['art/lighthouse.webp', '![a lighthouse at dusk](art/lighthouse.webp)']);
    const bytes = fs.readFileSync(path.join(dir, 'art/lighthouse.webp'));
    assert.deepStrictEqual(pixelSize(bytes), { width: 800, height: 447 });
    assert.match(r.stderr, /^800×447 \d+ KB WEBP \(the model sent \d+ KB PNG\)/);
    for (const bad of [['--format', 'gif'], ['--quality', '0'], ['--max-width', 'wide']]) {
      const u = await illustrate(dir, ['generate', 'x', ...bad], env());
      assert.strictEqual(u.code, 2, u.stderr);
    }
  });

  it('--max-width below the smallest width Illustrate writes is refused (exit 2), naming the range, not silently raised to 64', async () => {
    const dir = tree({});
    for (const width of ['40', '63', '1']) {
      const u = await illustrate(dir, ['generate', 'a lighthouse at dusk', '-o', 'art/lighthouse.png', '--max-width', width], env());
      assert.strictEqual(u.code, 2, u.stderr);
      assert.strictEqual(u.stderr.trim(), 'illustrate: --max-width takes 0 (the model’s size) or a whole number from 64 to 16384.');
    }
    assert.ok(!fs.existsSync(path.join(dir, 'art')), 'nothing written');
  });
});
