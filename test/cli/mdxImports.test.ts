/**
 * Images an MDX page imports (`import hero from './hero.png'`, `require(…)`, `useBaseUrl(…)`, Astro's
 * `<Image src={x}>`): a missing one breaks the site's build, so `check` reports it and `fill` makes
 * it at the path the import names, with the component's alt text as the prompt, leaving the page
 * (its imports and tags) as written. The real CLI against the stand-in server.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { illustrate, standIn, tree } from '../fixtures/cli';
import { mdxImportsPage } from '../fixtures/docsTree';

const PAGE = mdxImportsPage();

describe('illustrate check and fill: images an MDX page imports', function () {
  this.timeout(60_000);
  const { env } = standIn();

  it('check reports a missing imported image as written; fill makes it at the import’s path and changes no page', async () => {
    const dir = tree({ 'website/docusaurus.config.js': '', 'website/docs/intro.mdx': PAGE, 'website/static/img/.keep': '' });
    const check = await illustrate(dir, ['check'], env());
    assert.strictEqual(check.code, 1, check.stderr);
    assert.deepStrictEqual(check.stdout.trim().split('\n'), [
      'website/docs/intro.mdx:9  <img src={hero} alt="A lighthouse at dusk over a calm sea">  — the image hero.png does not exist (illustrate fill)',
      "website/docs/intro.mdx:11  <img src={useBaseUrl('/img/logo.png')} alt=\"The project logo, a paper kite\">  — the image logo.png does not exist (illustrate fill)",
    ]);

    const plan = await illustrate(dir, ['fill', '--dry-run', '--json'], env());
    assert.strictEqual(plan.code, 0, plan.stderr);
    const targets = (JSON.parse(plan.stdout) as { plan: { targets: { file: string; prompt: string }[] } }).plan.targets;
    assert.deepStrictEqual(
      targets.map((t) => [t.file, t.prompt]),
      [
        ['website/docs/img/hero.png', 'A lighthouse at dusk over a calm sea'],
        ['website/static/img/logo.png', 'The project logo, a paper kite'],
      ],
    );

    const made = await illustrate(dir, ['fill', '--yes', '--json'], env());
    assert.strictEqual(made.code, 0, made.stderr);
    assert.deepStrictEqual((JSON.parse(made.stdout) as { made: { file: string }[] }).made.map((m) => m.file).sort(), ['website/docs/img/hero.png', 'website/static/img/logo.png']);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'website/docs/img/hero.png')).subarray(1, 4).toString('latin1'), 'PNG');
    assert.strictEqual(fs.readFileSync(path.join(dir, 'website/docs/intro.mdx'), 'utf8'), PAGE, 'the imports and tags are as written');
    const again = await illustrate(dir, ['check'], env());
    assert.strictEqual(again.code, 0, again.stdout);
  });
});
