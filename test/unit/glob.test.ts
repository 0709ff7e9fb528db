/** The linear glob matcher and ignore rules, the display escapes, and where a key may go. */
import * as assert from 'assert';
import { markdownCode, markdownText, printable } from '../../src/core/escape';
import { compileGlob, gitignoreRules, globRules, isIgnored } from '../../src/core/docs/glob';
import { endpointForKey, GOOGLE_BASE_URL, settingsFrom } from '../../src/core/settings';

describe('globs and ignore rules, without backtracking', () => {
  it('matches as VS Code and git do', () => {
    const cases: [string, string, boolean][] = [
      ['*.md', 'a.md', true],
      ['*.md', 'x/a.md', false],
      ['**/*.md', 'x/y/a.md', true],
      ['**/*.md', 'a.md', true],
      ['**/node_modules/**', 'a/node_modules/b/c.md', true],
      ['{a,b}/*.md', 'b/x.md', true],
      ['{a,b}/*.md', 'c/x.md', false],
      ['{a,{b,c}}/x', 'c/x', true],
      ['a?c', 'abc', true],
      ['a?c', 'a/c', false],
      ['[abc].md', 'b.md', true],
      ['[!abc].md', 'b.md', false],
      ['[a-z]x', 'qx', true],
      ['docs/**', 'docs/a/b', true],
      ['**/x', 'abx', false],
      ['**/x', 'ab/x', true],
      ['a*b', 'aXXb', true],
      ['a*b', 'a/b', false],
      ['\\*.md', '*.md', true],
      ['\\*.md', 'a.md', false],
    ];
    for (const [glob, path, want] of cases) {
      assert.strictEqual(compileGlob(glob)?.test(path), want, `${glob} ~ ${path}`);
    }
  });

  it('a pattern it cannot read is refused, never thrown: unbalanced braces, too many alternatives, too long', () => {
    for (const bad of ['{oops', 'a}', '{a,b', `${'{a,b}'.repeat(8)}`, 'x'.repeat(1001), '']) {
      assert.strictEqual(compileGlob(bad), undefined, bad.slice(0, 20));
    }
    const warned: string[] = [];
    assert.strictEqual(globRules(['{oops', '**/drafts'], (g) => warned.push(g)).length, 1);
    assert.deepStrictEqual(warned, ['{oops']);
  });

  it('a backtracking pattern against a long name costs its length times the name’s (50 runs here, in well under a second)', () => {
    const evil = compileGlob(`${'a*'.repeat(30)}b`) as NonNullable<ReturnType<typeof compileGlob>>;
    const name = 'a'.repeat(4000);
    for (let i = 0; i < 50; i++) {
      assert.strictEqual(evil.test(name), false);
    }
    const rules = gitignoreRules(`${'a*'.repeat(30)}b\n`, '', () => assert.fail('readable'), '.gitignore');
    assert.strictEqual(isIgnored(rules, `docs/${'a'.repeat(250)}.md`, false), false);
  });

  it('reads a .gitignore as git does: folders, anchors, negations, the folder it is in', () => {
    const rules = [...gitignoreRules('build/\n*.log\n!keep.log\n/top.md\ndocs/gen/\n# comment\n\\#hash.md\n', '', () => undefined, '.gitignore'), ...gitignoreRules('api/\n', 'docs', () => undefined, 'docs/.gitignore')];
    const cases: [string, boolean, boolean][] = [
      ['build', true, true],
      ['a/build', true, true],
      ['build', false, false],
      ['build/a.md', false, true],
      ['x.log', false, true],
      ['keep.log', false, false],
      ['top.md', false, true],
      ['a/top.md', false, false],
      ['docs/gen/a.md', false, true],
      ['#hash.md', false, true],
      ['docs/api/x.md', false, true],
      ['api/x.md', false, false],
    ];
    for (const [path, dir, want] of cases) {
      assert.strictEqual(isIgnored(rules, path, dir), want, path);
    }
  });
});

describe('text from a repository, shown', () => {
  it('printable: every control character and bidi override is shown as its escape, on one line', () => {
    assert.strictEqual(printable('a\u001b[2Kb\nc\r\u0007\u202eevil'), 'a\\x1b[2Kb\\nc\\r\\x07\\u202eevil');
    assert.strictEqual(printable('plain 文字'), 'plain 文字');
  });

  it('markdownText and markdownCode: cannot close a code span, start a line or add markup', () => {
    assert.strictEqual(markdownCode('a`b'), '``a`b``');
    assert.strictEqual(markdownCode('`x`'), '`` `x` ``');
    assert.strictEqual(markdownText('**bold** [x](y)\n# h'), '\\*\\*bold\\*\\* \\[x\\]\\(y\\)\\\\n\\# h');
  });
});

describe('where the key goes', () => {
  const google = `AIza${'B'.repeat(35)}`;
  const read = (user: Record<string, unknown>) => settingsFrom(() => undefined, (k) => user[k]);

  it('a Google key with the endpoint left at its default goes to Google; any other key stays', () => {
    const routed = endpointForKey(read({}), google);
    assert.strictEqual(routed.switched, true);
    assert.strictEqual(routed.settings.baseUrl, GOOGLE_BASE_URL);
    assert.strictEqual(endpointForKey(read({}), 'sk-0123456789abcdef').switched, false);
    assert.strictEqual(endpointForKey(read({}), `${google}x`).switched, false, 'not the shape');
  });

  it('an endpoint the user set is always respected, the default gateway named explicitly too', () => {
    for (const baseUrl of ['https://api.apiyi.com', 'http://127.0.0.1:9']) {
      const r = endpointForKey(read({ baseUrl }), google);
      assert.strictEqual(r.switched, false);
      assert.strictEqual(r.settings.baseUrl, baseUrl);
    }
  });

  it('prices come from the user’s reader only', () => {
    const s = settingsFrom((k) => (k === 'prices' ? { m: { inputPerMillion: 0, outputPerMillion: 0 } } : undefined), () => undefined);
    assert.deepStrictEqual(s.prices, {});
  });

  it('the describe model comes from the user’s reader only (VS Code: the global value), as prices do', () => {
    const workspace = (k: string): unknown => (k === 'describeModel' ? 'gemini-3-pro-image' : undefined);
    assert.strictEqual(settingsFrom(workspace, () => undefined).describeModel, '');
    assert.strictEqual(settingsFrom(workspace, (k) => (k === 'describeModel' ? 'gemini-3.8-flash' : undefined)).describeModel, 'gemini-3.8-flash');
  });
});
