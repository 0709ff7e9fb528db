#!/usr/bin/env node
// `npm run bench`: what Illustrate adds to the wait for an image, beside the floor (plain Node) and
// the peer (the official @google/genai SDK), at every image size; plus bundle, .vsix, activation and
// Studio timings from the real extension host. Prints one table and writes bench/results.json.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'out');
const RUNS = Number(process.env.BENCH_RUNS || 15);
const SIZES = ['512', '1K', '2K', '4K'];

function step(title, command, args) {
  console.log(`> ${title}`);
  const r = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    throw new Error(`${title} failed`);
  }
}

function measure(which, url, size, mode) {
  const runs = which === 'hostile' ? 1 : RUNS;
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(OUT, 'bench', 'measure.js'), which, url, '16:9', size, mode, String(runs)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) {
    throw new Error(`measuring ${which} ${size} ${mode} failed:\n${r.stderr}`);
  }
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/**
 * Answers of each case from the stand-in, read and dropped, before anything is measured: the floor's
 * path once (four answers), in a child process. Not in this process: a child's peak memory as Linux
 * reports it starts at its parent's resident memory when it was forked, so this one stays small.
 */
function warmStandIn(url, cases) {
  for (const [size, mode] of cases) {
    const r = spawnSync(process.execPath, ['--expose-gc', path.join(OUT, 'bench', 'measure.js'), 'floor', url, '16:9', size, mode, '1'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) {
      throw new Error(`warming the stand-in (${size} ${mode}) failed:\n${r.stderr}`);
    }
  }
}

async function startFake() {
  const child = spawn(process.execPath, [path.join(OUT, 'test', 'fake-gemini', 'cli.js'), '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve) => child.stdout.once('data', (b) => resolve(String(b))));
  return { child, url: JSON.parse(line).url };
}

async function hostTimings(url) {
  const { ensureTestHost, installPlan, consentToInstall, consentFromArgs } = require(path.join(OUT, 'test', 'host', 'install.js'));
  const { VsCodeHost, copyWorkspace } = require(path.join(OUT, 'test', 'host', 'codeServer.js'));
  if (!(await consentToInstall(installPlan(), consentFromArgs('install')))) {
    throw new Error('The benchmark needs the test host, which is not installed (see above).');
  }
  ensureTestHost();
  const workspace = copyWorkspace(path.join(ROOT, 'test', 'fixtures', 'workspace'));
  const results = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-bench-')), 'host.json');
  const host = new VsCodeHost({
    workspace,
    settings: { 'illustrate.baseUrl': url },
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(OUT, 'bench', 'hostRunner'),
    env: { ILLUSTRATE_TEST_RESULTS: results },
  });
  try {
    await host.startServer();
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the extension host run did not finish in 120 s')), 120_000);
      host.openBrowser(undefined, (code) => {
        clearTimeout(timer);
        code === 0 ? resolve() : reject(new Error(`the extension host run failed (${code})`));
      }).catch(reject);
    });
    return JSON.parse(fs.readFileSync(results, 'utf8'));
  } finally {
    await host.stop();
    fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
  }
}

const ms = (v) => `${v.toFixed(1)} ms`;
/** The diagnostics bench's row: one pass over a page of image links, after an edit. */
const diagnosticsRow = (host) => `| stale and alt-text diagnostics: one pass over a page of ${host.diagnostics.images.toLocaleString('en')} image links after an edit, the 400 ms typing pause left out (median of 5) | ${ms(host.diagnostics.passMs)} |`;
const mb = (v) => `${(v / 1048576).toFixed(1)} MB`;
const kb = (v) => `${(v / 1024).toFixed(1)} KB`;
const x = (v) => `${v.toFixed(2)}×`;

async function main() {
  const started = Date.now();
  step('production bundle', process.execPath, ['esbuild.js', '--production']);
  const bundleBytes = fs.statSync(path.join(ROOT, 'dist', 'extension.js')).size;
  step('package .vsix', 'npm', ['run', '--silent', 'package']);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const vsixBytes = fs.statSync(path.join(ROOT, `illustrate-${pkg.version}.vsix`)).size;
  step('compile benchmark', process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.test.json']);
  if (process.env.ILLUSTRATE_BENCH_ONLY === 'diagnostics') {
    // One part alone, while working on it (its row of the table).
    const fake = await startFake();
    try {
      const host = await hostTimings(fake.url);
      console.log(diagnosticsRow(host));
    } finally {
      fake.child.kill();
    }
    return;
  }

  const fake = await startFake();
  const rows = [];
  const hostile = [];
  try {
    const cases = [...SIZES.map((s) => [s, 'noisy']), ['4K', 'noisySlow']];
    // The stand-in is a fresh process: its own warm-up (compiling, its first large strings) would
    // otherwise fall on whichever path is measured first.
    process.stdout.write('> warming the stand-in server…\n');
    warmStandIn(fake.url, cases);
    const paths = ['illustrate', 'floor', 'peer'];
    for (const [k, [size, mode]] of cases.entries()) {
      const row = { size: mode === 'noisySlow' ? `${size} slow` : size };
      // Each row starts with another path, so none is always measured first.
      for (const which of [...paths.slice(k % 3), ...paths.slice(0, k % 3)]) {
        process.stdout.write(`> ${row.size} ${which}…\n`);
        row[which] = measure(which, fake.url, size, mode);
      }
      rows.push(row);
    }
    for (const [mode, bytes] of [['oversized', 200 * 1048576], ['gzipBomb', 256 * 1048576]]) {
      process.stdout.write(`> hostile ${mode}…\n`);
      hostile.push(measure('hostile', fake.url, String(bytes), mode));
    }
  } finally {
    fake.child.kill();
  }
  process.stdout.write('> markdown scan of hostile documents…\n');
  const scan = JSON.parse(spawnSync(process.execPath, [path.join(OUT, 'bench', 'scan.js')], { cwd: ROOT, encoding: 'utf8' }).stdout.trim());
  process.stdout.write('> Fill: scan of a 5,000-file docs tree…\n');
  const fillScan = JSON.parse(spawnSync(process.execPath, [path.join(OUT, 'bench', 'fillScan.js')], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 }).stdout.trim());
  process.stdout.write('> Fill: scan of a 2,500-page Docusaurus site (site model, links resolved and checked)…\n');
  const siteScan = JSON.parse(spawnSync(process.execPath, [path.join(OUT, 'bench', 'siteScan.js')], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 }).stdout.trim());
  console.log('> illustrate check on a 2,500-page site with 5,000 images carrying provenance…');
  const checkScan = JSON.parse(spawnSync(process.execPath, [path.join(OUT, 'bench', 'checkScan.js')], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 }).stdout.trim());
  process.stdout.write('> Formats: WebP and JPEG from 1K, 2K and 4K answers, beside sharp…\n');
  const formats = JSON.parse(spawnSync(process.execPath, [path.join(OUT, 'bench', 'formats.js')], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 }).stdout.trim());
  process.stdout.write('> Fill: 60 images at a rate limit of 20 a minute (about 6 minutes)…\n');
  const fillPace = JSON.parse(spawnSync(process.execPath, [path.join(OUT, 'bench', 'fillThroughput.js')], { cwd: ROOT, encoding: 'utf8' }).stdout.trim().split('\n').pop());
  process.stdout.write('> Fill with a review of each picture: 20 images with reviews off and on (about a minute)…\n');
  const reviewPace = JSON.parse(spawnSync(process.execPath, [path.join(OUT, 'bench', 'reviewPace.js')], { cwd: ROOT, encoding: 'utf8' }).stdout.trim().split('\n').pop());
  const hostFake = await startFake();
  let host;
  try {
    host = await hostTimings(hostFake.url);
  } finally {
    hostFake.child.kill();
  }

  process.stdout.write('> Studio: reload to history on screen (real UI)…\n');
  const reloadFake = spawnSync(process.execPath, [path.join(OUT, 'bench', 'studioReload.js')], { cwd: ROOT, encoding: 'utf8' });
  if (reloadFake.status !== 0) {
    throw new Error(`measuring the Studio reload failed:\n${reloadFake.stderr}`);
  }
  const reload = JSON.parse(reloadFake.stdout.trim().split('\n').pop());
  const machine = `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
  const lines = [];
  lines.push(`Illustrate benchmark — ${new Date().toISOString().slice(0, 10)} — ${machine}`);
  lines.push('');
  lines.push('| size | image | overhead: Illustrate | floor | peer (@google/genai) | Illustrate / floor | peak memory added: Illustrate | peer |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const i = r.illustrate;
    lines.push(
      `| ${r.size} | ${mb(i.imageBytes)} | ${ms(i.medianOverheadMs)} | ${ms(r.floor.medianOverheadMs)} | ${ms(r.peer.medianOverheadMs)} | ${x(i.medianOverheadMs / r.floor.medianOverheadMs)} | ${mb(i.peakAddedBytes)} (${x(i.memoryMultiple)}) | ${mb(r.peer.peakAddedBytes)} (${x(r.peer.memoryMultiple)}) |`,
    );
  }
  lines.push('');
  lines.push('| other | value |');
  lines.push('|---|---|');
  lines.push(`| dist/extension.js (production) | ${kb(bundleBytes)} |`);
  lines.push(`| illustrate-${pkg.version}.vsix | ${kb(vsixBytes)} |`);
  lines.push(`| activation: activate() itself, in the real extension host | ${ms(host.activateMs)} |`);
  lines.push(`| activation as a caller sees it (load the bundle, RPC, activate()) | ${ms(host.activationMs)}${host.wasActive ? ' (was already active)' : ''} |`);
  lines.push(`| command → request reaches the API (median of 5) | ${ms(host.commandToRequestMs)} |`);
  lines.push(`| Open Image Studio → panel's first paint (first time / warm median) | ${ms(host.studioFirstPaintMs)} / ${ms(host.studioWarmFirstPaintMs)} |`);
  lines.push(`| empty webview panel → first paint (the floor, median of 3) | ${ms(host.emptyWebviewFirstPaintMs)} |`);
  lines.push(`| Studio first paint / empty webview (warm) | ${x(host.studioWarmFirstPaintMs / host.emptyWebviewFirstPaintMs)} |`);
  lines.push(`| hover on a link to a 4K image (${(host.hoverBytes / 1048576).toFixed(1)} MB) → its content, the file changed each time (median of 5) | ${ms(host.hoverMs)} |`);
  lines.push(diagnosticsRow(host));
  lines.push(`| Reload Window with the Studio visible → the workbench on screen again (the floor, median of 3) | ${ms(reload.reloadToWorkbenchMs)} |`);
  lines.push(`| … → the Studio's webview frame made by VS Code (median of 3) | ${ms(reload.reloadToFrameMs)} |`);
  lines.push(`| … → the Studio's history on screen (median of 3) | ${ms(reload.reloadToHistoryMs)} |`);
  lines.push('');
  lines.push('| hostile answer | bytes after decompression | refused as | peak memory added | / 64 MB cap |');
  lines.push('|---|---|---|---|---|');
  for (const h of hostile) {
    lines.push(`| ${h.mode === 'gzipBomb' ? 'gzip bomb' : 'oversized answer'} | ${mb(h.answerBytes)} | ${h.refused} | ${mb(h.peakAddedBytes)} | ${x(h.capMultiple)} |`);
  }
  lines.push('');
  lines.push('| 1 MB hostile markdown | scan the document (CPU) | image under the cursor (CPU) |');
  lines.push('|---|---|---|');
  for (const d of scan) {
    lines.push(`| ${d.name} | ${ms(d.scanMs)} | ${ms(d.cursorMs)} |`);
  }
  lines.push('');
  lines.push('| Fill Missing Images: scan a docs tree | files | size | read them (the floor) | scan them | scan / floor |');
  lines.push('|---|---|---|---|---|---|');
  lines.push(`| ${fillScan.images.toLocaleString('en-US')} images to place | ${fillScan.files.toLocaleString('en-US')} | ${mb(fillScan.bytes)} | ${ms(fillScan.floorMs)} | ${ms(fillScan.scanMs)} | ${x(fillScan.ratio)} |`);
  lines.push(`| a 2,500-page Docusaurus site: list (every .gitignore), find the site, scan, resolve ${siteScan.existing.toLocaleString('en-US')} links to static/ and check them | ${siteScan.pages.toLocaleString('en-US')} | | ${ms(siteScan.floorMs)} (list and read) | ${ms(siteScan.scanMs)} | ${x(siteScan.ratio)} |`);
  lines.push(`| illustrate check on that site with ${checkScan.images.toLocaleString('en-US')} real images carrying Illustrate's record (${checkScan.stale} stale) | ${checkScan.pages.toLocaleString('en-US')} | | ${ms(checkScan.floorMs)} (list and read the pages, read each image's first 64 KB) | ${ms(checkScan.checkMs)} | ${x(checkScan.ratio)} |`);
  lines.push('');
  lines.push(`| Formats (quality ${formats.quality}) | the model's PNG | written | share | encode in Illustrate's worker | sharp (native libvips) | Illustrate / sharp |`);
  lines.push('|---|---|---|---|---|---|---|');
  for (const r of formats.rows) {
    lines.push(`| ${r.size} → ${r.format.toUpperCase()} | ${mb(r.pngBytes)} | ${Math.round(r.bytes / 1024)} KB | ${(r.share * 100).toFixed(1)} % | ${ms(r.ms)} | ${ms(r.sharpMs)} | ${x(r.vsSharp)} |`);
  }
  lines.push(`| the extension host's event loop while a 4K WebP is encoded | max ${formats.eventLoopDelayMaxMs.toFixed(1)} ms, p99 ${formats.eventLoopDelayP99Ms.toFixed(1)} ms | | | peak memory of the bench process ${Math.round(formats.peakRssMB)} MB | | |`);
  lines.push('');
  const minSec = (v) => `${Math.floor(v / 60000)} min ${Math.round((v % 60000) / 1000)} s`;
  lines.push(`| Fill Missing Images at a rate limit: ${fillPace.images} images, ${fillPace.perMinute} requests a minute, ${fillPace.imageMs / 1000} s an image | total time | / the bound (${minSec(fillPace.boundMs)}) | 429 answers | images lost |`);
  lines.push('|---|---|---|---|---|');
  lines.push(`| the fill (adaptive concurrency, up to 4 at once) | ${minSec(fillPace.adaptive.ms)} | ${x(fillPace.adaptive.ms / fillPace.boundMs)} | ${fillPace.adaptive.rateLimited} | ${fillPace.images - fillPace.adaptive.made} |`);
  lines.push(`| one request at a time, with the client's own retries | ${minSec(fillPace.sequential.ms)} | ${x(fillPace.sequential.ms / fillPace.boundMs)} | ${fillPace.sequential.rateLimited} | ${fillPace.images - fillPace.sequential.made} |`);
  lines.push('');
  lines.push(`| Fill with a review of each picture: ${reviewPace.images} images, ${reviewPace.imageMs / 1000} s an image, ${reviewPace.reviewMs / 1000} s a review, up to ${reviewPace.concurrency} at once | total time | / without reviews |`);
  lines.push('|---|---|---|');
  lines.push(`| illustrate.review off | ${(reviewPace.without.ms / 1000).toFixed(1)} s | 1.00× |`);
  lines.push(`| report: each picture reviewed beside the next generations (${reviewPace.withReviews.reviewed} reviewed) | ${(reviewPace.withReviews.ms / 1000).toFixed(1)} s | ${x(reviewPace.ratio)} |`);
  lines.push('');
  lines.push(`Overhead: from the answer's last byte to the file written and the link text ready, median of ${RUNS} after three warm-up runs. Peak memory added: peak resident memory of a fresh process handling one answer, minus its resident memory before, as a multiple of the image's bytes (the floor's is ${x(rows[3].floor.memoryMultiple)} at 4K).`);
  const table = lines.join('\n');
  console.log(`\n${table}\n`);
  console.log(`(${Math.round((Date.now() - started) / 1000)} s)`);
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), JSON.stringify({ date: new Date().toISOString(), machine, runs: RUNS, bundleBytes, vsixBytes, host, reload, rows, hostile, scan, fillScan, siteScan, checkScan, formats, fillPace, reviewPace, table }, null, 2));
  // Leave a development build behind, as the other scripts expect.
  step('development bundle', process.execPath, ['esbuild.js']);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
