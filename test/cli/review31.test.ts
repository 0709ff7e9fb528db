/**
 * An adversarial review of issue 31's fixes: each test is a way around a promise of the README's
 * Security section that still works, and fails until it is closed.
 */
import * as assert from 'assert';
import MarkdownIt from 'markdown-it';
import sharp from 'sharp';
import { altEdit, applyEdits } from '../../src/core/docs/altText';
import { scanDocument } from '../../src/core/docs/docScan';
import { IllustrateError } from '../../src/core/errors';
import { actionsLogLine } from '../../src/core/escape';
import { decodableSize } from '../../src/core/images/decodeGuard';
import { illustrate, Ran, standIn, tree } from '../fixtures/cli';

/** The workflow commands the Actions runner has registered (actions/runner ActionCommandManager and its extensions). */
const RUNNER_COMMANDS = new Set(['stop-commands', 'add-mask', 'warning', 'error', 'notice', 'debug', 'group', 'endgroup', 'set-output', 'save-state', 'set-env', 'add-path', 'add-matcher', 'remove-matcher', 'echo']);

/**
 * The command the Actions runner reads in a line, as actions/runner's ActionCommand does: TryParseV2
 * (`::name …::` after leading white space), then TryParse (`##[name …]` ANYWHERE in the line:
 * `message.IndexOf("##[")`).
 */
function runnerCommand(line: string): string | undefined {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2);
    const name = end >= 0 ? trimmed.slice(2, end).split(' ')[0].toLowerCase() : '';
    if (RUNNER_COMMANDS.has(name)) {
      return name;
    }
  }
  const at = line.indexOf('##[');
  const close = at >= 0 ? line.indexOf(']', at) : -1;
  const name = close >= 0 ? line.slice(at + 3, close).split(' ')[0].toLowerCase() : '';
  return RUNNER_COMMANDS.has(name) ? name : undefined;
}

/** The attributes of the first start tag in `html`, as an HTML5 parser (a browser) tokenizes them. */
function startTagAttributes(html: string): Map<string, string> {
  const attrs = new Map<string, string>();
  let i = html.indexOf('<') + 1;
  while (i < html.length && /[A-Za-z0-9]/.test(html[i])) {
    i++;
  }
  const space = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';
  while (i < html.length) {
    while (space(html[i]) || html[i] === '/') {
      i++;
    }
    if (html[i] === '>' || i >= html.length) {
      break;
    }
    let name = html[i++];
    while (i < html.length && !space(html[i]) && html[i] !== '/' && html[i] !== '>' && html[i] !== '=') {
      name += html[i++];
    }
    while (space(html[i])) {
      i++;
    }
    let value = '';
    if (html[i] === '=') {
      i++;
      while (space(html[i])) {
        i++;
      }
      const q = html[i];
      if (q === '"' || q === "'") {
        const end = html.indexOf(q, i + 1);
        value = html.slice(i + 1, end < 0 ? html.length : end);
        i = end < 0 ? html.length : end + 1;
      } else {
        while (i < html.length && !space(html[i]) && html[i] !== '>') {
          value += html[i++];
        }
      }
    }
    if (!attrs.has(name.toLowerCase())) {
      attrs.set(name.toLowerCase(), value);
    }
  }
  return attrs;
}

const md = new MarkdownIt({ html: true });

describe('review of issue 31: what still gets through', function () {
  this.timeout(90_000);

  describe('GitHub Actions: a `##[` anywhere in a line is a workflow command (finding 8)', () => {
    it('no line actionsLogLine makes is read by the runner as a command, wherever the repository text stands in it', () => {
      for (const text of [
        'illustrate: The exclude pattern "a\\x00\\n##[stop-commands]tok3\\n::error::pwned" cannot be read; it is skipped.',
        'docs/##[stop-commands]tok2.md:1  ![a fox](img/fox.png)  — the image fox.png does not exist (illustrate fill)',
        '##[stop-commands]x',
        '{"document":"docs/##[add-mask]hidden.md"}',
      ]) {
        const shown = actionsLogLine(text);
        assert.strictEqual(runnerCommand(shown), undefined, `the runner reads a command in ${JSON.stringify(shown)}`);
      }
    });

    describe('the real CLI', () => {
      const { env } = standIn();

      it('in GitHub Actions no line of check, check --json, fill --dry-run or alt --dry-run is read as a command, and --format github prints only its annotations as commands', async () => {
        const dir = tree({
          'docs/##[stop-commands]tok2.md': '![a fox in the snow](img/fox.png)\n',
          'docs/page.md': '![](img/hare.png)\n',
          'docs/img/hare.png': Buffer.from('89504e470d0a1a0a', 'hex'),
          '.vscode/settings.json': JSON.stringify({ 'files.exclude': { 'a\u0000\n##[stop-commands]tok3': true } }),
        });
        const found: string[] = [];
        for (const args of [['check'], ['check', '--json'], ['fill', '--dry-run'], ['alt', '--dry-run'], ['check', '--format', 'github']]) {
          const r: Ran = await illustrate(dir, args, env({ GITHUB_ACTIONS: 'true' }));
          for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) {
            const command = runnerCommand(line);
            const annotation = args.includes('github') && command === 'warning' && line.startsWith('::warning file=');
            if (command && !annotation) {
              found.push(`${args.join(' ')}: ${command} in ${JSON.stringify(line)}`);
            }
          }
        }
        assert.deepStrictEqual(found, []);
      });
    });
  });

  describe('the model’s alt text written into an HTML <img> (finding 2)', () => {
    it('an ` alt=` inside another attribute’s quoted value is not taken for the alt attribute: the answer cannot become attributes', () => {
      // The repository's tag looks harmless in review; the image asks the model for "onload=alert(1) x".
      const doc = '<img src="fox.png" title=" alt=fox">\n';
      const image = scanDocument(doc).find((i) => i.html);
      assert.ok(image);
      const edit = altEdit(image, 'onload=alert(1) x');
      assert.ok(edit);
      const out = applyEdits(doc, [edit]);
      const attrs = startTagAttributes(out);
      assert.deepStrictEqual([...attrs.keys()].sort(), ['alt', 'src', 'title'], out);
      assert.strictEqual(attrs.get('alt'), 'onload=alert(1) x', out);
      assert.strictEqual(attrs.get('title'), ' alt=fox', out);
    });
  });

  describe('the model’s alt text written into a markdown image (finding 2, other link forms)', () => {
    it('in a table cell, a `|` in the answer does not split the cell: one img, its alt as written', () => {
      const doc = '| picture | note |\n|---|---|\n| ![](fox.png) | seen at dusk |\n';
      const [image] = scanDocument(doc);
      const out = applyEdits(doc, [altEdit(image, 'a fox | a hare')!]);
      const html = md.render(out);
      assert.match(html, /<td><img src="fox\.png" alt="a fox \| a hare"><\/td>\s*<td>seen at dusk<\/td>/, html);
    });

    it('a shortcut reference image `![image]` keeps its definition: the page still shows the picture with the new alt text', () => {
      const doc = 'See ![image] here.\n\n[image]: fox.png\n';
      const [image] = scanDocument(doc);
      const out = applyEdits(doc, [altEdit(image, 'A red fox in the snow')!]);
      assert.match(md.render(out), /<img src="fox\.png" alt="A red fox in the snow">/, out);
    });
  });

  describe('the decode guard reads a JPEG as its decoder does (finding 6)', () => {
    it('a JPEG whose parameterless marker (TEM) hides its real frame header from the guard is refused by the size libjpeg reads', async () => {
      const small = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#ffffff' } }).jpeg({ quality: 50 }).toBuffer();
      // The segments up to the scan: [marker, start, end).
      const segments: { marker: number; start: number; end: number }[] = [];
      for (let i = 2; i < small.length; ) {
        const marker = small[i + 1];
        const end = marker === 0xda ? small.length : i + 2 + small.readUInt16BE(i + 2);
        segments.push({ marker, start: i, end });
        i = end;
      }
      const frame = segments.find((s) => s.marker === 0xc0)!;
      const smallFrame = Buffer.from(small.subarray(frame.start, frame.end));
      const bigFrame = Buffer.from(smallFrame);
      bigFrame.writeUInt16BE(6000, 5);
      bigFrame.writeUInt16BE(6000, 7);
      // libjpeg: TEM has no length, the two bytes after it are skipped as garbage, the 6000×6000 frame counts, and
      // the 16×16 one sits inside an APP1 segment. A reader that takes TEM's "length" lands on the 16×16 one.
      const tem = Buffer.from([0xff, 0x01, 0x00, bigFrame.length + 6]);
      const app1 = Buffer.from([0xff, 0xe1, 0, 0]);
      app1.writeUInt16BE(2 + smallFrame.length, 2);
      const rest = Buffer.concat(segments.filter((s) => s !== frame).map((s) => small.subarray(s.start, s.end)));
      const bomb = Buffer.concat([Buffer.from([0xff, 0xd8]), tem, bigFrame, app1, smallFrame, rest]);
      assert.ok(bomb.length < 400, `${bomb.length} bytes`);
      const decoded = await sharp(bomb).metadata();
      assert.deepStrictEqual([decoded.width, decoded.height], [6000, 6000], 'libjpeg reads a 6000×6000 frame (36 megapixels, over the cap)');
      assert.throws(
        () => decodableSize(bomb, 'jpeg'),
        (e: unknown) => e instanceof IllustrateError && e.kind === 'tooLarge',
        'the guard must refuse it; it says 16×16 and the worker decodes 6000×6000 (1.2 GB peak measured)',
      );
    });
  });
});
