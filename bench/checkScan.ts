/**
 * For `npm run bench`: `illustrate check` on a 2,500-page Docusaurus site whose 5,000 images are
 * real PNG files carrying Illustrate's record (every tenth one's alt text changed since: stale),
 * beside the floor of listing and reading the same pages plus each image's first 64 KB.
 * `node out/bench/checkScan.js` prints one JSON line. Medians of 5 after a warm-up of each.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { checkPlan } from '../src/core/fill/check';
import { scanMissing } from '../src/core/fill/fill';
import { joinWithInsert, metadataInsert } from '../src/core/images/metadata';
import { DiskWorkspace } from '../src/node/disk';
import { readSmallFile } from '../src/node/files';
import { makePng } from '../test/fake-gemini/images';

const PAGES = 2500;

function makeSite(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-check-bench-')));
  const para = 'Lorem ipsum dolor sit amet, with `inline code` and a [link](https://example.com/page). '.repeat(6);
  fs.mkdirSync(path.join(dir, 'website/static/img'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'website/docusaurus.config.js'), "module.exports = { baseUrl: '/', staticDirectories: ['static'], presets: [['classic', { docs: { path: '../docs' } }]] };\n");
  const png = makePng(320, 180);
  const made = (prompt: string): Uint8Array => joinWithInsert([png], png.length, metadataInsert('png', { prompt, model: 'gemini-3.1-flash-image', aspectRatio: '16:9', imageSize: '1K', date: '2026-11-30T00:00:00.000Z', style: '', styleReferences: [], version: '0.1.0' }));
  for (let i = 0; i < PAGES; i++) {
    const sub = path.join(dir, 'docs', `section-${i % 50}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(dir, 'website/static/img', `figure-${i}.png`), made(`the figure of page ${i}`));
    fs.writeFileSync(path.join(sub, `step-${i}.png`), made(`a step of page ${i}`));
    const figure = i % 10 === 0 ? `the figure of page ${i}, redrawn` : `the figure of page ${i}`;
    const body = [`# Page ${i}`, '', para, '', `![${figure}](/img/figure-${i}.png)`, '', '1. A step', '', `    ![a step of page ${i}](./step-${i}.png)`, '', para.repeat(14), ''];
    fs.writeFileSync(path.join(sub, `page-${i}.md`), body.join('\n'));
  }
  return dir;
}

async function head(file: string): Promise<Uint8Array | undefined> {
  return (await readSmallFile(file, 256 * 1024))?.bytes;
}

async function main(): Promise<void> {
  const dir = makeSite();
  try {
    spawnSync('sync');
    const floor = async (): Promise<number> => {
      let n = 0;
      for (const f of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
        if (f.endsWith('.md')) {
          n += (await fs.promises.readFile(path.join(dir, f), 'utf8')).length > 0 ? 1 : 0;
        } else if (f.endsWith('.png')) {
          const h = await fs.promises.open(path.join(dir, f), 'r');
          await h.read(Buffer.alloc(65536), 0, 65536, 0);
          await h.close();
        }
      }
      return n;
    };
    let stale = 0;
    const check = async (): Promise<number> => {
      const ws = new DiskWorkspace(dir);
      const plan = await scanMissing(await ws.markdownFiles([]), ws.scanHost());
      const findings = await checkPlan(plan, ws.host, head, { text: '', references: [] });
      stale = findings.filter((f) => f.kind === 'stale').length;
      return findings.length;
    };
    await floor();
    await check();
    const floors: number[] = [];
    const checks: number[] = [];
    for (let i = 0; i < 5; i++) {
      let t = performance.now();
      await floor();
      floors.push(performance.now() - t);
      t = performance.now();
      await check();
      checks.push(performance.now() - t);
    }
    const median = (v: number[]): number => v.sort((a, b) => a - b)[2];
    console.log(JSON.stringify({ pages: PAGES, images: PAGES * 2, stale, floorMs: median(floors), checkMs: median(checks), ratio: median(checks) / median(floors) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
