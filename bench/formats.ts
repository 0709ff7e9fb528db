/**
 * For `npm run bench`: what the link's format costs and saves. For 1K, 2K and 4K answers (a
 * generated illustration: gradients, shapes, soft texture; noise would say nothing about WebP),
 * the bytes written per format beside the PNG the model sent, Illustrate's encode time (its
 * worker thread: decode, encode, hand back) beside sharp's (native libvips, the fastest encoder in
 * Node) on the same image and quality, the main thread's event-loop delay while a 4K encode runs,
 * and the peak memory. `node out/bench/formats.js` prints one JSON line.
 */
import * as path from 'path';
import { monitorEventLoopDelay, performance } from 'perf_hooks';
import sharp from 'sharp';
import { WorkerCodec } from '../src/node/codec';

const SIZES: Record<string, [number, number]> = { '1K': [1376, 768], '2K': [2752, 1536], '4K': [5504, 3072] };
const QUALITY = 80;

/** An illustration-like picture: a sky gradient, a sun, layered hills, a soft texture, flat shapes with edges. */
function illustration(width: number, height: number): Buffer {
  const px = Buffer.alloc(width * height * 3);
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      let r = 40 + 120 * v;
      let g = 90 + 100 * v;
      let b = 200 - 60 * v;
      const dx = u - 0.72;
      const dy = v - 0.28;
      if (dx * dx + dy * dy < 0.006) {
        r = 250;
        g = 210;
        b = 90;
      }
      for (let layer = 0; layer < 3; layer++) {
        const ridge = 0.55 + layer * 0.12 + 0.06 * Math.sin(u * (6 + layer * 3) + layer) + 0.02 * Math.sin(u * 40 + layer * 2);
        if (v > ridge) {
          r = 30 + layer * 25;
          g = 80 + layer * 30;
          b = 60 + layer * 15;
        }
      }
      if (u > 0.1 && u < 0.3 && v > 0.62 && v < 0.8) {
        r = 220;
        g = 220;
        b = 225;
      }
      const grain = rand() * 4;
      const i = (y * width + x) * 3;
      px[i] = Math.max(0, Math.min(255, r + grain));
      px[i + 1] = Math.max(0, Math.min(255, g + grain));
      px[i + 2] = Math.max(0, Math.min(255, b + grain));
    }
  }
  return px;
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  await run();
  const samples: { ms: number; value: T }[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const value = await run();
    samples.push({ ms: performance.now() - t, value });
  }
  return samples.sort((a, b) => a.ms - b.ms)[1];
}

async function main(): Promise<void> {
  const codec = new WorkerCodec(path.resolve(__dirname, '../../dist'));
  const rows: Record<string, unknown>[] = [];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  try {
    // First, on a quiet process: the main thread while a 4K WebP is encoded in the worker (warmed up once).
    const [w4, h4] = SIZES['4K'];
    const png4k = await sharp(illustration(w4, h4), { raw: { width: w4, height: h4, channels: 3 } })
      .png()
      .toBuffer();
    await codec.convert(png4k, 'png', 'webp', { quality: QUALITY, maxWidth: 0 });
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    await codec.convert(png4k, 'png', 'webp', { quality: QUALITY, maxWidth: 0 });
    delay.disable();
    for (const [size, [w, h]] of Object.entries(SIZES)) {
      const png = await sharp(illustration(w, h), { raw: { width: w, height: h, channels: 3 } })
        .png()
        .toBuffer();
      for (const to of ['webp', 'jpeg'] as const) {
        const ours = await timed(() => codec.convert(png, 'png', to, { quality: QUALITY, maxWidth: 0 }));
        const theirs = await timed(() => (to === 'webp' ? sharp(png).webp({ quality: QUALITY }) : sharp(png).jpeg({ quality: QUALITY, mozjpeg: true })).toBuffer());
        rows.push({ size, format: to, pngBytes: png.length, bytes: ours.value.bytes.length, share: ours.value.bytes.length / png.length, ms: ours.ms, sharpMs: theirs.ms, sharpBytes: theirs.value.length, vsSharp: ours.ms / theirs.ms });
      }
    }
    console.log(JSON.stringify({ quality: QUALITY, rows, eventLoopDelayMaxMs: delay.max / 1e6, eventLoopDelayP99Ms: delay.percentile(99) / 1e6, peakRssMB: peakRss / 2 ** 20 }));
  } finally {
    clearInterval(sampler);
    codec.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
