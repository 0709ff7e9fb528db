/**
 * The markdown scan on 1 MB hostile documents, in its own process: `node out/bench/scan.js`,
 * prints one JSON line. Work is CPU time (process.cpuUsage), median of 5 after a warm-up.
 */
import { findImages, imageAt } from '../src/core/docs/markdown';

const MB = 1 << 20;
const fill = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);

const HOSTILE_DOCUMENTS: Readonly<Record<string, string>> = {
  '"![" repeated': fill('!['),
  'unclosed "![["': fill('![['),
  'deep nesting "[[[…]]]"': '['.repeat(MB / 2) + ']'.repeat(MB / 2),
  '"![](" repeated': fill('![]('),
  'nested parens "![](a("': fill('![](a('),
  'one long "<" target': `![](<${'a'.repeat(MB)}`,
  'open titles': fill('![x](a "'),
  'definition-like lines': fill('\n['),
  'long lines of images': fill(`![a](b${' '.repeat(100)}`),
};

function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const results = Object.entries(HOSTILE_DOCUMENTS).map(([name, text]) => {
  findImages(text); // warm-up
  const scanMs = median(Array.from({ length: 5 }, () => cpuMs(() => findImages(text))));
  const cursorMs = median(Array.from({ length: 5 }, (_, i) => cpuMs(() => imageAt(text, Math.floor((text.length * (i + 1)) / 7)))));
  return { name, bytes: text.length, scanMs, cursorMs };
});
console.log(JSON.stringify(results));
