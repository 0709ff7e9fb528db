/**
 * `illustrate variants --lang` against the stand-in: on a Docusaurus tree with an `i18n/ja` copy
 * and a VitePress tree with a `zh` folder, the pictures the translated pages share with their
 * source pages are edited into the page's language (the stand-in records the instruction: the
 * language and the page's words), written where that locale's pages can link them, with their
 * twin record; only the translated pages' links change, every other byte stays. Then `check`
 * reports a translation whose source changed, and `fill --stale` makes it again.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fingerprint, ImageMetadata, readProvenance, withMetadata } from '../../src/core/images/metadata';
import { isReviewCall } from '../fake-gemini/review';
import { isTextLookCall } from '../fake-gemini/translate';
import { makePng } from '../fake-gemini/images';
import { files, illustrate, standIn, tree } from '../fixtures/cli';

/** A PNG Illustrate made from `prompt` (its record in the file). */
function madePng(prompt: string, tint = 0): Buffer {
  const meta: ImageMetadata = { prompt, model: 'gemini-3.1-flash-image', aspectRatio: '16:9', imageSize: '1K', date: '2026-12-01T00:00:00.000Z' };
  return Buffer.from(withMetadata(makePng(64, 36, { tint }), 'png', meta, { width: 64, height: 36 }));
}

const read = (dir: string, rel: string): string => fs.readFileSync(path.join(dir, rel), 'utf8');

describe('variants --lang: translated pictures for translated pages, through the command line', function () {
  this.timeout(60_000);
  const { fake, env } = standIn();

  it('Docusaurus with an i18n/ja copy: a static picture goes beside the translated page and its link changes; a copy\'s relative link into its own tree gets the picture there; the source page stays byte for byte', async () => {
    const guide = '# Guide\n\n![A flow chart labelled "Start" and "Deploy"](/img/flow.png)\n\n![Sequence labelled "Login"](./img/seq.png)\n\nSome text.\n';
    const ja = '# ガイド\n\n![「開始」と「デプロイ」と書かれたフローチャート](/img/flow.png)\n*図 1: デプロイの流れ*\n\n![「ログイン」と書かれたシーケンス図](./img/seq.png)\n\n本文。\n';
    const dir = tree({
      'docusaurus.config.js': '',
      'docs/guide.md': guide,
      'docs/img/seq.png': madePng('Sequence labelled "Login"', 40),
      'static/img/flow.png': madePng('A flow chart labelled "Start" and "Deploy"'),
      'i18n/ja/docusaurus-plugin-content-docs/current/guide.md': ja,
    });
    const before = files(dir);
    const plan = await illustrate(dir, ['variants', '--lang', 'ja', '--dry-run', '--json'], env());
    assert.strictEqual(plan.code, 0, plan.stderr);
    const planned = JSON.parse(plan.stdout) as { plan: { images: { file: string; out: string; lang: string; language: string; text: string; changes: string[] }[] } };
    assert.deepStrictEqual(
      planned.plan.images.map((i) => [i.file, i.out, i.lang, i.language, i.text, i.changes]).sort(),
      [
        ['docs/img/seq.png', 'i18n/ja/docusaurus-plugin-content-docs/current/img/seq.png', 'ja', 'Japanese', 'asked', []],
        ['static/img/flow.png', 'i18n/ja/docusaurus-plugin-content-docs/current/flow.png', 'ja', 'Japanese', 'asked', ['![「開始」と「デプロイ」と書かれたフローチャート](/img/flow.png)']],
      ],
    );
    assert.strictEqual(fake.requests.length, 0, 'a dry run asks nothing');

    const r = await illustrate(dir, ['variants', '--lang', 'ja', '--yes'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /translated static\/img\/flow\.png into Japanese: i18n\/ja\/docusaurus-plugin-content-docs\/current\/flow\.png/);
    assert.match(r.stderr, /2 of 2 translated · 1 pages changed · 0 failed/);
    // Only the translated page's static link changed; its relative link already leads to where the picture now is.
    assert.strictEqual(read(dir, 'i18n/ja/docusaurus-plugin-content-docs/current/guide.md'), ja.replace('(/img/flow.png)', '(flow.png)'));
    assert.strictEqual(read(dir, 'docs/guide.md'), guide);
    assert.deepStrictEqual(files(dir), [...before, 'i18n/ja/docusaurus-plugin-content-docs/current/flow.png', 'i18n/ja/docusaurus-plugin-content-docs/current/img/seq.png'].sort());
    // The record: the translated words, the source's fingerprint, where it is and the language.
    const flow = readProvenance(fs.readFileSync(path.join(dir, 'i18n/ja/docusaurus-plugin-content-docs/current/flow.png')));
    assert.strictEqual(flow?.prompt, '「開始」と「デプロイ」と書かれたフローチャート');
    assert.deepStrictEqual(flow?.twinOf, { kind: 'translation', path: '../../../../static/img/flow.png', source: fingerprint(fs.readFileSync(path.join(dir, 'static/img/flow.png'))), lang: 'ja' });
    assert.strictEqual(flow?.review?.status, 'pass', 'reviewed against the translated words');
    // The stand-in heard the language and the page's own words (its alt text and figure caption).
    const asked = fake.translations.find((t) => t.words.some(([source]) => source.startsWith('A flow chart')));
    assert.strictEqual(asked?.language, 'Japanese');
    assert.strictEqual(asked?.lang, 'ja');
    assert.deepStrictEqual(asked?.words, [
      ['A flow chart labelled "Start" and "Deploy"', '「開始」と「デプロイ」と書かれたフローチャート'],
      ['', '図 1: デプロイの流れ'],
    ]);
    // Each picture's record said its words asked for text: no look; one edit and one review each.
    assert.strictEqual(fake.requests.filter((q) => isTextLookCall(q.body)).length, 0);
    const reviews = fake.requests.filter((q) => isReviewCall(q.body) && !isTextLookCall(q.body));
    assert.strictEqual(reviews.length, 2);
    assert.ok(reviews.some((q) => JSON.stringify(q.body).includes('デプロイ')), 'the review quotes the translated words');

    // Done once: a second plan has nothing to do, and says so.
    const again = await illustrate(dir, ['variants', '--lang', 'ja', '--dry-run'], env());
    assert.match(again.stdout, /^0 pictures to translate/);
    assert.match(again.stdout, /- i18n\/ja\/docusaurus-plugin-content-docs\/current\/img\/seq\.png \(ja\): already translated: seq\.png is the translation of \.\.\/\.\.\/\.\.\/\.\.\/\.\.\/docs\/img\/seq\.png/);
  });

  it('VitePress with a zh folder: NAME.zh.EXT beside the picture, only the zh page\'s link changes; a picture from elsewhere is looked at first and one without text is left alone; check and fill --stale keep it true', async () => {
    const en = '# Guide\n\n![Architecture with the API gateway](/arch.png)\n\n![A sunset (look:notext)](/sunset.png)\n\n![a cat asleep on a sofa](./cat.png)\n';
    const zh = '# 指南\n\n![带 API 网关的架构图](/arch.png)\n\n![日落 (look:notext)](/sunset.png)\n\n![一只猫](../cat.png)\n';
    const ja = '# ガイド\n\n![API ゲートウェイのある構成図](/arch.png)\n';
    const dir = tree({
      '.vitepress/config.ts': '',
      'guide.md': en,
      'zh/guide.md': zh,
      'ja/guide.md': ja,
      'public/arch.png': makePng(64, 36),
      'public/sunset.png': makePng(64, 36, { tint: 90 }),
      'cat.png': madePng('a cat asleep on a sofa'),
    });
    const r = await illustrate(dir, ['variants', '--lang', 'zh-CN', '--yes', '--json'], env());
    assert.strictEqual(r.code, 0, r.stderr + r.stdout);
    const out = JSON.parse(r.stdout) as { plan: { images: { file: string }[]; skipped: { file: string; reason: string }[] }; made: { file: string; lang: string }[]; noText: { file: string }[]; pagesChanged: string[] };
    assert.deepStrictEqual(out.made.map((m) => [m.file, m.lang]), [['public/arch.zh.png', 'zh']]);
    assert.deepStrictEqual(out.noText.map((m) => m.file), ['public/sunset.png']);
    assert.deepStrictEqual(out.plan.skipped.map((k) => [k.file, k.reason]), [['cat.png', 'Illustrate made it from words that ask for no text, so there is nothing to translate']]);
    assert.deepStrictEqual(out.pagesChanged, ['zh/guide.md']);
    assert.strictEqual(read(dir, 'zh/guide.md'), zh.replace('(/arch.png)', '(/arch.zh.png)'));
    assert.strictEqual(read(dir, 'guide.md'), en);
    assert.strictEqual(read(dir, 'ja/guide.md'), ja, 'a language not asked for is left alone');
    assert.ok(!fs.existsSync(path.join(dir, 'public/sunset.zh.png')));
    assert.strictEqual(fake.translations.length, 1);
    assert.deepStrictEqual([fake.translations[0].language, fake.translations[0].lang, fake.translations[0].words], ['Chinese', 'zh', [['Architecture with the API gateway', '带 API 网关的架构图']]]);
    // Two pictures from elsewhere: each looked at once by the describe model.
    assert.strictEqual(fake.requests.filter((q) => isTextLookCall(q.body)).length, 2);

    // The source picture changes: check reports the translation, fill --stale makes it again in place.
    fs.writeFileSync(path.join(dir, 'public/arch.png'), makePng(64, 36, { tint: 20 }));
    const checked = await illustrate(dir, ['check', '--json', '--only', 'stale'], env());
    assert.strictEqual(checked.code, 1, checked.stderr);
    const findings = (JSON.parse(checked.stdout) as { findings: { kind: string; document: string; file: string; message: string; fix: string }[] }).findings;
    assert.deepStrictEqual(findings.map((f) => [f.kind, f.document, f.file, f.fix]), [['staleTranslation', 'zh/guide.md', 'public/arch.zh.png', 'illustrate fill --stale']]);
    assert.match(findings[0].message, /^arch\.png changed since this picture was translated from it into Chinese/);
    fake.reset();
    const zhNow = read(dir, 'zh/guide.md');
    const stale = await illustrate(dir, ['fill', '--stale', '--yes'], env());
    assert.strictEqual(stale.code, 0, stale.stderr);
    assert.match(stale.stdout, /translated public\/arch\.png into Chinese: public\/arch\.zh\.png/);
    assert.strictEqual(fake.translations.length, 1);
    assert.strictEqual(readProvenance(fs.readFileSync(path.join(dir, 'public/arch.zh.png')))?.twinOf?.source, fingerprint(fs.readFileSync(path.join(dir, 'public/arch.png'))));
    assert.strictEqual(read(dir, 'zh/guide.md'), zhNow, 'made again in place: no link changes');
    const after = await illustrate(dir, ['check', '--json', '--only', 'stale'], env());
    assert.strictEqual(after.code, 0, after.stdout);
  });

  it('a plain repository (README.<lang>.md): one look for a picture two languages share, NAME.<lang>.EXT beside it, a markdown and an HTML link each changed in its own style', async () => {
    const en = '# Project\n\n![The request flow](./assets/flow.png)\n';
    const fr = '# Projet\n\n![Le flux des requêtes](./assets/flow.png)\n';
    const ja = '# プロジェクト\n\n<p align="center"><img src="assets/flow.png" alt="リクエストの流れ" width="600"></p>\n';
    const dir = tree({ 'README.md': en, 'README.fr.md': fr, 'README.ja.md': ja, 'assets/flow.png': makePng(64, 36) });
    const r = await illustrate(dir, ['variants', '--lang', 'all', '--yes'], env());
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(fake.requests.filter((q) => isTextLookCall(q.body)).length, 1, 'the two languages share one look');
    assert.deepStrictEqual(fake.translations.map((t) => [t.lang, t.language]).sort(), [['fr', 'French'], ['ja', 'Japanese']]);
    assert.strictEqual(read(dir, 'README.fr.md'), fr.replace('./assets/flow.png', './assets/flow.fr.png'));
    assert.strictEqual(read(dir, 'README.ja.md'), ja.replace('"assets/flow.png"', '"assets/flow.ja.png"'));
    assert.strictEqual(read(dir, 'README.md'), en);
    assert.deepStrictEqual(files(dir), ['README.fr.md', 'README.ja.md', 'README.md', 'assets/flow.fr.png', 'assets/flow.ja.png', 'assets/flow.png']);
  });

  it('--lang with nothing valid is a usage error that says what it takes', async () => {
    const dir = tree({ 'README.md': '# x\n' });
    const r = await illustrate(dir, ['variants', '--lang', 'ja;rm'], env());
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, /--lang takes language tags separated by commas \(--lang ja,zh-CN\), or all\./);
  });
});
