/**
 * For `npm run bench`: the whole Fill scan of a 2,500-page Docusaurus site (website/ with its
 * config, docs/ beside it, images in website/static): list the pages as the command line does
 * (every .gitignore level, excludes), find each page's site, scan, resolve each link where the site
 * serves it and check the file is there; beside the floor of listing and reading the same pages.
 * `node out/bench/siteScan.js` prints one JSON line. Medians of 5 after a warm-up, in turns.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scanMissing } from '../src/core/fill/fill';
import { DiskWorkspace } from '../src/node/disk';
import { timedPair } from './pair';

const PAGES = 2500;

function makeSite(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-site-bench-')));
  const para = 'Lorem ipsum dolor sit amet, with `inline code` and a [link](https://example.com/page). '.repeat(6);
  fs.mkdirSync(path.join(dir, 'website/static/img'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'website/docusaurus.config.js'), "module.exports = { baseUrl: '/', staticDirectories: ['static'], presets: [['classic', { docs: { path: '../docs' } }]] };\n");
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\nbuild/\n.docusaurus/\n');
  for (let i = 0; i < PAGES; i++) {
    const sub = path.join(dir, 'docs', `section-${i % 50}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(dir, 'website/static/img', `figure-${i}.png`), '');
    const body = [`# Page ${i}`, '', para, '', `![the figure of page ${i}](/img/figure-${i}.png)`, '', '1. A step', '', `    ![a step of page ${i}](./step-${i}.png)`, '', '```ts', 'const x = "![not an image](x.png)";', '```', '', para.repeat(14), ''];
    fs.writeFileSync(path.join(sub, `page-${i}.md`), body.join('\n'));
  }
  return dir;
}

async function main(): Promise<void> {
  const dir = makeSite();
  try {
    // Written files settle first: both measurements read a quiet disk.
    spawnSync('sync');
    let existing = 0;
    const { floorMs, scanMs, count } = await timedPair(
      async () => {
        let n = 0;
        for (const f of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.md'))) {
          n += (await fs.promises.readFile(path.join(dir, f), 'utf8')).length > 0 ? 1 : 0;
        }
        return n;
      },
      async () => {
        const ws = new DiskWorkspace(dir);
        const plan = await scanMissing(await ws.markdownFiles([]), ws.scanHost());
        existing = plan.existing;
        return plan.targets.length;
      },
    );
    console.log(JSON.stringify({ pages: PAGES, floorMs, scanMs, missing: count, existing, ratio: scanMs / floorMs }));
  } finally {
    if (!process.env.BENCH_KEEP) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
