/**
 * One benchmark measurement, in its own process so memory is measured cleanly:
 * `node out/bench/measure.js <path> <baseUrl> <ratio> <size> <mode> <runs>`, prints one JSON line.
 * path: illustrate | floor | peer | hostile (size is then the answer's bytes after decompression).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { generateImage, HttpFetch, MAX_ANSWER_BYTES } from '../src/core/api/client';
import { IllustrateError } from '../src/core/errors';
import { joinWithInsert, metadataInsert } from '../src/core/images/metadata';
import { altTextFromPrompt, imageLink } from '../src/core/images/placement';
import { nodeFetch } from '../src/node/http';
import { FAKE_KEY } from '../test/fake-gemini/server';

const [, , which, baseUrl, ratio, size, mode, runsArg] = process.argv;
const runs = Number(runsArg ?? 5);
const model = 'gemini-3.1-flash-image';
const prompt = `A benchmark landscape [fake:${mode}]`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'illustrate-bench-'));
let counter = 0;

interface Sample {
  /** From the answer's last byte to the file written and the link ready (ms). */
  overheadMs: number;
  imageBytes: number;
}

/** The time the last chunk of a body arrived, observed between the socket and the consumer. */
let lastChunkAt = 0;

async function* timed(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for await (const chunk of body) {
    lastChunkAt = performance.now();
    yield chunk;
  }
}

const timedFetch: HttpFetch = async (url, init) => {
  const res = await nodeFetch(url, init);
  return { ...res, body: res.body ? timed(res.body) : null };
};

async function illustrate(): Promise<Sample> {
  const out = await generateImage(
    { baseUrl, authHeader: 'auto', apiKey: FAKE_KEY, timeoutMs: 600_000 },
    { prompt, options: { model, aspectRatio: ratio, imageSize: size, thinkingLevel: 'minimal', includeText: false } },
    new AbortController().signal,
    { fetch: timedFetch },
  );
  const { answer } = out;
  const insert = metadataInsert(answer.format, { prompt, model, aspectRatio: ratio, imageSize: size, date: new Date().toISOString() });
  const bytes = answer.image.withInsert(insert, joinWithInsert);
  answer.image.release();
  const file = path.join(dir, `i${counter++}.png`);
  await fs.promises.writeFile(file, bytes);
  const link = imageLink(altTextFromPrompt(prompt), dir, file);
  const done = performance.now();
  if (!link) {
    throw new Error('no link');
  }
  return { overheadMs: done - lastChunkAt, imageBytes: bytes.length };
}

/** The least work possible: read the body, parse it, Buffer.from(base64), write the file. */
async function floor(): Promise<Sample> {
  const body = JSON.stringify({
    contents: [{ role: 'user', parts: [{ text: prompt }] }],
    generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: ratio, imageSize: size }, thinkingConfig: { thinkingLevel: 'minimal', includeThoughts: false } },
  });
  const res = await nodeFetch(`${baseUrl}/v1beta/models/${model}:generateContent`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${FAKE_KEY}` },
    body,
    signal: new AbortController().signal,
  });
  const chunks: Buffer[] = [];
  for await (const c of timed(res.body!)) {
    chunks.push(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  }
  const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { candidates: { content: { parts: { inlineData?: { data: string } }[] } }[] };
  const parts = json.candidates[0].content.parts;
  const data = [...parts].reverse().find((p) => p.inlineData)!.inlineData!.data;
  const bytes = Buffer.from(data, 'base64');
  await fs.promises.writeFile(path.join(dir, `f${counter++}.png`), bytes);
  return { overheadMs: performance.now() - lastChunkAt, imageBytes: bytes.length };
}

/** What users would otherwise write: the official SDK, then write the image. */
async function peer(): Promise<Sample> {
  // The SDK uses the global fetch; time its body's chunks the same way.
  const original = globalThis.fetch;
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const res = await original(input, init);
    if (!res.body) {
      return res;
    }
    const reader = res.body.getReader();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
        } else {
          lastChunkAt = performance.now();
          controller.enqueue(value);
        }
      },
    });
    return new Response(stream, { status: res.status, statusText: res.statusText, headers: res.headers });
  }) as typeof fetch;
  try {
    const { GoogleGenAI } = require('@google/genai') as typeof import('@google/genai');
    const ai = new GoogleGenAI({ apiKey: FAKE_KEY, httpOptions: { baseUrl } });
    const response = await ai.models.generateContent({
      model,
      contents: prompt,
      config: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: ratio, imageSize: size } },
    });
    const parts = response.candidates?.[0]?.content?.parts ?? [];
    const data = [...parts].reverse().find((p) => p.inlineData?.data)?.inlineData?.data;
    if (!data) {
      throw new Error('the SDK returned no image');
    }
    const bytes = Buffer.from(data, 'base64');
    await fs.promises.writeFile(path.join(dir, `p${counter++}.png`), bytes);
    return { overheadMs: performance.now() - lastChunkAt, imageBytes: bytes.length };
  } finally {
    globalThis.fetch = original;
  }
}

/** A hostile answer (oversized or a gzip bomb): only the memory it costs before it is refused counts. */
async function hostile(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage().rss;
  let refused = '';
  try {
    await generateImage(
      { baseUrl, authHeader: 'auto', apiKey: FAKE_KEY, timeoutMs: 600_000 },
      { prompt: `A hostile answer [fake:${mode}:${size}]`, options: { model, aspectRatio: ratio, imageSize: '1K', thinkingLevel: 'minimal', includeText: false } },
      new AbortController().signal,
      { fetch: nodeFetch },
    );
  } catch (e: unknown) {
    refused = e instanceof IllustrateError ? e.kind : String(e);
  }
  const peakAdded = process.resourceUsage().maxRSS * 1024 - base;
  console.log(JSON.stringify({ which, mode, answerBytes: Number(size), refused, peakAddedBytes: peakAdded, capBytes: MAX_ANSWER_BYTES, capMultiple: peakAdded / MAX_ANSWER_BYTES }));
}

async function main(): Promise<void> {
  if (which === 'hostile') {
    fs.rmSync(dir, { recursive: true, force: true });
    return hostile();
  }
  const fn = which === 'illustrate' ? illustrate : which === 'floor' ? floor : peer;
  if (which === 'peer') {
    require('@google/genai');
  }
  // Memory first, on a cold path: peak resident memory added while handling one answer.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage().rss;
  const first = await fn();
  const peakAdded = process.resourceUsage().maxRSS * 1024 - base;
  // Two more runs before the samples, so each path is measured warm (its code compiled), as in an
  // editor that has made an image before; the first run above is the cold one.
  for (let i = 0; i < 2; i++) {
    await fn();
  }
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    // A full collection, then a pause for V8's background threads to finish it: on two cores they
    // would otherwise compete with the sample they were forced before.
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 30));
    samples.push((await fn()).overheadMs);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ which, ratio, size, mode, imageBytes: first.imageBytes, medianOverheadMs: median, samples, peakAddedBytes: peakAdded, memoryMultiple: peakAdded / first.imageBytes }));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
