/**
 * Localization: every message has its Simplified Chinese translation, with the same placeholders;
 * the shared core speaks Chinese once given the bundle (as the CLI does for LANG=zh_CN).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as l10n from '@vscode/l10n';
import { isSimplifiedChinese } from '../../src/cli/locale';
import { errorFromResponse } from '../../src/core/api/httpErrors';
import { skipReason } from '../../src/core/docs/docScan';
import { files } from '../fixtures/cli';

const ROOT = path.resolve(__dirname, '../../..');

function json(rel: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8')) as Record<string, string>;
}

/** The placeholders of a message, sorted: `{0}`, and in the manifest `${name}` and `#setting#` too. */
function placeholders(text: string): string[] {
  return (text.match(/\$\{\w+\}|\{\d+\}|#[\w.]+#|command:[\w.]+/g) ?? []).sort();
}

function compare(english: Record<string, string>, chinese: Record<string, string>, what: string): void {
  const missing = Object.keys(english).filter((k) => typeof chinese[k] !== 'string' || !chinese[k].trim());
  assert.deepStrictEqual(missing, [], `${what}: keys without a zh-cn translation`);
  const extra = Object.keys(chinese).filter((k) => !(k in english));
  assert.deepStrictEqual(extra, [], `${what}: zh-cn keys that no longer exist`);
  for (const [key, value] of Object.entries(english)) {
    assert.deepStrictEqual(placeholders(chinese[key]), placeholders(value), `${what}: placeholders differ for ${JSON.stringify(key).slice(0, 120)}`);
  }
}

describe('localization (en + zh-cn)', () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('every string of the extension, the CLI and the webview has a zh-cn translation with the same placeholders', () => {
    const english = json('l10n/bundle.l10n.json');
    assert.ok(Object.keys(english).length > 300, 'the bundle is generated from the sources (npm run l10n)');
    // The generated bundle maps each message to itself.
    for (const [k, v] of Object.entries(english)) {
      assert.strictEqual(v, k);
    }
    compare(english, json('l10n/bundle.l10n.zh-cn.json'), 'l10n/bundle.l10n.zh-cn.json');
  });

  it('every plain l10n.t(\'…\') message in the sources reached the bundle (the export skips what its parser misreads)', () => {
    const english = json('l10n/bundle.l10n.json');
    const sources = files(path.join(ROOT, 'src')).filter((f) => f.endsWith('.ts')).map((f) => path.join(ROOT, 'src', f));
    const missing: string[] = [];
    let seen = 0;
    for (const file of sources) {
      const text = fs.readFileSync(file, 'utf8');
      // A single-quoted literal with no escapes, as its own first argument.
      for (const m of text.matchAll(/\bl10n\.t\('([^'\\\n]*)'\s*[,)]/g)) {
        seen++;
        if (!(m[1] in english)) {
          missing.push(`${path.relative(ROOT, file)}: ${m[1].slice(0, 80)}`);
        }
      }
    }
    assert.ok(seen > 200, `found ${seen} messages`);
    assert.deepStrictEqual(missing, [], 'messages missing from l10n/bundle.l10n.json: run npm run l10n, and check the export can parse the file');
  });

  it('every manifest string (package.nls.json) has a zh-cn translation with the same placeholders', () => {
    compare(json('package.nls.json'), json('package.nls.zh-cn.json'), 'package.nls.zh-cn.json');
  });

  it('the manifest uses only keys that exist, and a %key% for every title and description', () => {
    const manifest = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const used = [...manifest.matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]);
    const keys = json('package.nls.json');
    assert.deepStrictEqual(used.filter((k) => !(k in keys)), []);
    const pkg = JSON.parse(manifest) as { contributes: { commands: { title: string }[] } };
    assert.deepStrictEqual(pkg.contributes.commands.filter((c) => !/^%[\w.]+%$/.test(c.title)), [], 'command titles are localized');
  });

  it('the core speaks Chinese with the zh-cn bundle: errors and skip reasons', () => {
    l10n.config({ contents: json('l10n/bundle.l10n.zh-cn.json') });
    const e = errorFromResponse(401, 'application/json', '{"error":{"code":401,"message":"bad","status":"UNAUTHENTICATED"}}', 'gemini-3.1-flash-image');
    assert.strictEqual(e.message, 'API 密钥被拒绝（HTTP 401）。请运行“Illustrate: 设置 API 密钥”，粘贴有效的密钥。');
    assert.strictEqual(skipReason('inCode'), '在代码中');
    l10n.config({ contents: {} });
    assert.strictEqual(skipReason('inCode'), 'inside code');
  });

  it('the command line picks Simplified Chinese from the locale', () => {
    for (const yes of ['zh_CN.UTF-8', 'zh_CN', 'zh', 'zh-Hans', 'zh_SG.UTF-8', 'zh.UTF-8']) {
      assert.ok(isSimplifiedChinese(yes), yes);
    }
    for (const no of ['zh_TW.UTF-8', 'zh_HK', 'en_US.UTF-8', 'C', '', 'zu_ZA']) {
      assert.ok(!isSimplifiedChinese(no), no);
    }
  });
});
