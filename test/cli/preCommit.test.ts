/**
 * The pre-commit hook (.pre-commit-hooks.yaml): its entry run as pre-commit runs it, from the
 * repository's root with the staged files its `files` pattern selects as arguments, without a key.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { load } from 'js-yaml';
import { cliEnv, illustrate, tree } from '../fixtures/cli';

const ROOT = path.resolve(__dirname, '../../..');

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  pass_filenames?: boolean;
}

describe('pre-commit: the illustrate-check hook', function () {
  this.timeout(60_000);
  const hooks = load(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
  const hook = hooks.find((h) => h.id === 'illustrate-check');

  /** pre-commit: keep the staged files `files` matches, append them to the entry, run it in the root. */
  const runHook = async (dir: string, staged: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    assert.ok(hook);
    const selected = staged.filter((f) => new RegExp(hook.files).test(f));
    const [command, ...args] = hook.entry.split(/\s+/);
    assert.strictEqual(command, 'illustrate', 'the entry is the illustrate command');
    // No key and no endpoint: the hook must spend nothing.
    return illustrate(dir, [...args, ...selected], cliEnv({}));
  };

  it('is declared: illustrate check on the markdown files, which pre-commit passes as arguments', () => {
    assert.ok(hook, 'a hook with id illustrate-check');
    assert.strictEqual(hook.entry, 'illustrate check');
    assert.strictEqual(hook.pass_filenames ?? true, true);
    const re = new RegExp(hook.files);
    assert.deepStrictEqual(
      ['README.md', 'docs/guide.markdown', 'docs/page.mdx', 'src/app.ts', 'docs/images/a.png', 'docs/md.txt'].filter((f) => re.test(f)),
      ['README.md', 'docs/guide.markdown', 'docs/page.mdx'],
    );
  });

  it('stops the commit on a staged page with a missing image or no alt text, naming document:line; the unstaged page is not checked', async () => {
    const dir = tree({
      'docs/guide.md': '# Guide\n\n![the request flow](images/flow.png)\n',
      'docs/sub/page.md': '# Page\n\n![](images/there.png)\n',
      'docs/sub/images/there.png': 'x',
      'docs/unstaged.md': '# Not staged\n\n![a missing picture](images/nope.png)\n',
      'src/app.ts': 'export {};\n',
    });
    const r = await runHook(dir, ['docs/guide.md', 'docs/sub/page.md', 'src/app.ts']);
    assert.strictEqual(r.code, 1, r.stderr);
    assert.match(r.stdout, /^docs\/guide\.md:3 {2}!\[the request flow\]\(images\/flow\.png\) {2}— /m);
    assert.match(r.stdout, /^docs\/sub\/page\.md:3 {2}!\[\]\(images\/there\.png\) {2}— /m);
    assert.ok(!r.stdout.includes('unstaged.md'), r.stdout);
    assert.match(r.stderr, /illustrate check: 2 documents · 1 missing · 0 stale · 0 with an alt text that cannot describe the picture · 1 without alt text/);
  });

  it('lets the commit through when the staged pages are fine', async () => {
    const dir = tree({
      'docs/guide.md': '# Guide\n\n![the request flow](images/flow.png)\n',
      'docs/images/flow.png': 'x',
      'docs/other.md': '![a missing picture](images/nope.png)\n',
    });
    const r = await runHook(dir, ['docs/guide.md']);
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    assert.strictEqual(r.stdout, '');
  });
});
