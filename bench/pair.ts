/**
 * A floor and a measured run, timed in turns (so both see the same state of the disk and of the
 * machine): medians of 5 after a warm-up of each. For the scan benchmarks.
 */
import { performance } from 'perf_hooks';

export async function timedPair(floor: () => Promise<number>, scan: () => Promise<number>): Promise<{ floorMs: number; scanMs: number; count: number }> {
  await floor();
  await scan();
  const floors: number[] = [];
  const scans: number[] = [];
  let count = 0;
  for (let i = 0; i < 5; i++) {
    let t = performance.now();
    await floor();
    floors.push(performance.now() - t);
    t = performance.now();
    count = await scan();
    scans.push(performance.now() - t);
  }
  const median = (v: number[]): number => v.sort((a, b) => a - b)[2];
  return { floorMs: median(floors), scanMs: median(scans), count };
}
