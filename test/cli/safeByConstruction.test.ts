/**
 * Issue 31's findings on the command line, each as the user meets it: an existing image reached
 * through a link out of the project is never read, described or bought for (findings 5 and 10);
 * in GitHub Actions no line of the tool's output can start a workflow command, and annotations
 * are printable (finding 8). The real CLI against the stand-in server.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { illustrate, imageCall, Ran, standIn, tree } from '../fixtures/cli';
import { makePng } from '../fake-gemini/images';

function outside(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-safe-outside-')));
}

/** A line the Actions runner would read as a workflow command (it trims leading space). */
const COMMAND_LINE = /^\s*(::|##\[)/;

describe('safe by construction: the command line', function () {
  this.timeout(90_000);
  const { fake, env } = standIn();
  const calls = (): number => fake.requests.filter(imageCall).length;

  it('an existing image linked to a file outside the project is not read, sent or described by illustrate alt (finding 5)', async () => {
    const out = outside();
    const secret = makePng(64, 64);
    fs.writeFileSync(path.join(out, 'private.png'), secret);
    const dir = tree({ 'docs/page.md': '# Page\n\n![](img/secret.png)\n\n![](img/own.png)\n', 'docs/img/own.png': makePng(48, 48) });
    fs.symlinkSync(path.join(out, 'private.png'), path.join(dir, 'docs/img/secret.png'));

    const dry = await illustrate(dir, ['alt', '--dry-run'], env());
    assert.strictEqual(dry.code, 0, dry.stderr);
    assert.doesNotMatch(dry.stdout, /secret\.png.*→|\+ .*secret/, dry.stdout);

    const ran = await illustrate(dir, ['alt', '--yes'], env());
    assert.strictEqual(ran.code, 0, ran.stderr);
    const sent = fake.requests.filter((r) => r.url.includes(':generateContent'));
    assert.strictEqual(sent.length, 1, 'only the image inside the project is described');
    const image = (sent[0].body as { contents: { parts: { inlineData?: { data: string } }[] }[] }).contents[0].parts.find((p) => p.inlineData);
    assert.ok(image && !Buffer.from(image.inlineData!.data, 'base64').equals(secret), 'the file outside was not sent');
    const page = fs.readFileSync(path.join(dir, 'docs/page.md'), 'utf8');
    assert.match(page, /^!\[\]\(img\/secret\.png\)$/m, 'its link is left as it was');
    assert.doesNotMatch(page, /^!\[\]\(img\/own\.png\)$/m, 'the image inside got its alt text');
    assert.ok(fs.readFileSync(path.join(out, 'private.png')).equals(secret), 'the file outside is unchanged');
  });

  it('an image folder linked to a folder outside the project: its images, there or missing, are neither read nor written', async () => {
    const out = outside();
    fs.writeFileSync(path.join(out, 'there.png'), makePng(32, 32));
    const dir = tree({ 'docs/page.md': '![a diagram of the pipeline](img/there.png)\n\n![a map of the city](img/missing.png)\n\n![a chart of sales](own/chart.png)\n' });
    fs.symlinkSync(out, path.join(dir, 'docs/img'));
    fake.reset();

    const plan = await illustrate(dir, ['fill', '--dry-run'], env());
    assert.strictEqual(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /img\/there\.png.*symbolic link that leads outside/, plan.stdout);
    assert.match(plan.stdout, /img\/missing\.png.*symbolic link that leads outside/, plan.stdout);
    const r = await illustrate(dir, ['fill', '--yes'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(calls(), 1, 'only the image inside the project is made');
    assert.deepStrictEqual(fs.readdirSync(out), ['there.png'], 'nothing was written outside');
    assert.ok(fs.existsSync(path.join(dir, 'docs/own/chart.png')));
  });

  it('fill --stale buys nothing for a stale image linked to a file outside the project (finding 10)', async () => {
    // Made by Illustrate in another project from "the old flow", then linked into this one under a new alt text.
    const other = tree({ 'docs/page.md': '![the old flow](img/flow.png)\n' });
    const made = await illustrate(other, ['fill', '--yes'], env());
    assert.strictEqual(made.code, 0, made.stderr);
    const before = fs.readFileSync(path.join(other, 'docs/img/flow.png'));
    const dir = tree({ 'docs/page.md': '![the new flow with a cache](img/flow.png)\n', 'docs/img/keep.txt': '' });
    fs.symlinkSync(path.join(other, 'docs/img/flow.png'), path.join(dir, 'docs/img/flow.png'));
    fake.reset();

    const r = await illustrate(dir, ['fill', '--stale', '--yes'], env());
    assert.strictEqual(calls(), 0, `nothing bought: ${r.stdout}${r.stderr}`);
    assert.ok(fs.readFileSync(path.join(other, 'docs/img/flow.png')).equals(before), 'the file outside is unchanged');
    assert.ok(fs.lstatSync(path.join(dir, 'docs/img/flow.png')).isSymbolicLink());
    const check = await illustrate(dir, ['check', '--only', 'stale'], env());
    assert.strictEqual(check.stdout, '', 'check does not read it either');
  });

  it('in GitHub Actions no line starts a workflow command, whatever the repository holds; annotations are printable (finding 8)', async () => {
    const dir = tree({
      '::stop-commands::tok1/page.md': '![a fox \u001b\\]8;;http://evil.example\u0007in snow\u202e](img/fox.png)\n',
      '##[stop-commands]tok2/page.md': '![a hare](img/hare.png)\n',
      '.vscode/settings.json': JSON.stringify({ 'files.exclude': { 'a\u0000\n##[stop-commands]tok3\n::error::pwned': true } }),
    });
    const actions = (args: string[]): Promise<Ran> => illustrate(dir, args, env({ GITHUB_ACTIONS: 'true' }));
    for (const args of [['check'], ['check', '--format', 'github'], ['fill', '--dry-run'], ['alt', '--dry-run'], ['check', '--json']]) {
      const r = await actions(args);
      const lines = `${r.stdout}\n${r.stderr}`.split('\n');
      const commands = lines.filter((l) => COMMAND_LINE.test(l));
      const annotations = args.includes('github') ? commands.filter((l) => l.startsWith('::warning file=')) : [];
      assert.deepStrictEqual(commands.filter((l) => !annotations.includes(l)), [], `${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
      for (const l of lines) {
        assert.doesNotMatch(l, /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/, `${args.join(' ')}: a raw control or bidi character in ${JSON.stringify(l)}`);
      }
      if (args.includes('github')) {
        assert.strictEqual(annotations.length, 2, r.stdout);
        assert.ok(annotations.some((a) => a.includes('::stop-commands::tok1') === false && a.includes('%3A%3Astop-commands%3A%3Atok1/page.md')), r.stdout);
      }
    }
    // The same tree outside Actions: the terminal still sees no raw escape, and the pattern's new lines are shown as \n.
    const plain = await illustrate(dir, ['check'], env());
    assert.ok(!plain.stderr.split('\n').some((l) => l.startsWith('##[stop-commands]tok3')), plain.stderr);
  });
});
