/**
 * For `npm run bench`: the Fill scan of a generated docs tree of 5,000 markdown files (about
 * 50 MB), beside the floor of only reading those files. `node out/bench/fillScan.js` prints one
 * JSON line. Times are medians of 5 after a warm-up, the floor and the scan in turns.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scanDocument } from '../src/core/docs/docScan';
import { timedPair } from './pair';

const FILES = 5000;

function makeTree(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-fill-bench-'));
  const para = 'Lorem ipsum dolor sit amet, with `inline code` and a [link](https://example.com/page). '.repeat(6);
  for (let i = 0; i < FILES; i++) {
    const sub = path.join(dir, `section-${i % 50}`);
    fs.mkdirSync(sub, { recursive: true });
    const body = [`# Page ${i}`, '', para, '', `![figure ${i}](images/figure-${i}.png)`, '', '```ts', 'const x = "![not an image](x.png)";', '```', '', para, '', `![shared diagram][d]`, '', para.repeat(14), '', '[d]: ../images/diagram.png', ''];
    fs.writeFileSync(path.join(sub, `page-${i}.md`), body.join('\n'));
  }
  return dir;
}

function files(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => path.join(dir, f));
}

async function main(): Promise<void> {
  const dir = makeTree();
  try {
    const list = files(dir);
    const bytes = list.reduce((a, f) => a + fs.statSync(f).size, 0);
    const { floorMs, scanMs, count } = await timedPair(
      async () => {
        let n = 0;
        for (const f of list) {
          n += (await fs.promises.readFile(f, 'utf8')).length > 0 ? 1 : 0;
        }
        return n;
      },
      async () => {
        let images = 0;
        for (const f of list) {
          images += scanDocument(await fs.promises.readFile(f, 'utf8')).filter((i) => !i.skip).length;
        }
        return images;
      },
    );
    console.log(JSON.stringify({ files: list.length, bytes, floorMs, scanMs, images: count, ratio: scanMs / floorMs }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
