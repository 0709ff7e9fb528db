/**
 * A stand-in for the Gemini `generateContent` API (and a gateway in front of it), on 127.0.0.1.
 * Faithful to ../shared/GEMINI-API.md: it validates what it is sent and answers as the service
 * does, including its failures. A test picks a failure by queueing it (`script`) or by writing a
 * directive such as `[fake:quota]` in the prompt; a review's verdict by a marker such as
 * `[review:fail]` in the image's prompt (`./review.ts`).
 */
import { randomBytes } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as zlib from 'zlib';
import { BatchPlan, FakeBatches } from './batch';
import { composeOver, makeJpeg, makePng, rgbPng, sprite } from './images';
import { isReviewCall, reviewAnswer, reviewRequestProblem, reviewScenario } from './review';
import { AskedTranslation, isTextLookCall, textLookAnswer, translationAsked } from './translate';
import { googleError, rec } from './shapes';
import { pixelSize } from '../../src/core/images/imageFormat';

export const FAKE_KEY = 'fake-key-0123456789';

export type Mode =
  | 'ok'
  | 'jpegAsPng'
  | 'thoughts'
  | 'finalMarkedThought'
  | 'withText'
  | 'badKey'
  | 'badKeyGateway'
  | 'permission'
  | 'quota'
  | 'quotaLong'
  | 'dailyQuota'
  | 'overloaded'
  | 'internal'
  | 'deadline'
  | 'notFound'
  | 'invalidArgument'
  | 'precondition'
  | 'blocked'
  | 'promptBlocked'
  | 'refusal'
  | 'slow'
  | 'slowBody'
  | 'truncated'
  | 'html502'
  | 'malformed'
  | 'htmlOk'
  | 'reset'
  | 'noisy'
  | 'noisySlow'
  // Hostile or broken servers (the hardening issue).
  | 'redirect'
  | 'gzipBomb'
  | 'oversized'
  | 'hugeError'
  | 'dataUrl'
  | 'joinedPadding'
  | 'strayBase64'
  | 'noIend'
  | 'echoedImage'
  | 'blockedWithImage'
  // The whole answer, then a space every 50 ms for ever: the body never ends.
  | 'trailingForever'
  // Describe calls (text models): a "decorative" verdict, a description far too long, a refusal.
  | 'decorative'
  | 'describeLong'
  | 'refuse'
  // Gateways that send the image as a data URL in a text part.
  | 'dataUrlText'
  | 'markdownDataUrlText'
  // A picture asked for on a pure white or black background, drawn shifted (a render that does not line up with the other).
  | 'misaligned'
  // In a batch job: this request's entry is an error.
  | 'batchError';

/**
 * Which model ids the server knows: Google's endpoint today (the preview ids and 2.5 are shut
 * down), a gateway that still has only the preview ids, or one that has every id.
 */
export type Profile = 'google' | 'googleLate2026' | 'previewGateway' | 'allGateway';

export interface Step {
  readonly mode: Mode;
  /** quota: the retryDelay in seconds; slow/slowBody: milliseconds. */
  readonly arg?: number;
}

export interface RecordedRequest {
  readonly model: string;
  readonly url: string;
  readonly auth: 'bearer' | 'x-goog-api-key' | 'none';
  readonly keyMatched: boolean;
  readonly body: unknown;
  readonly status: number;
  /** Date.now() when the request's headers arrived. */
  readonly arrivedAt: number;
  /** The Origin header: set when a web page (the web worker extension host) made the call. */
  readonly origin?: string;
}

interface ModelSpec {
  readonly ratios: readonly string[];
  readonly sizes: readonly string[];
  readonly thinking: boolean;
  /** Thinking levels it takes (minimal and high when absent). */
  readonly levels?: readonly string[];
  readonly tokens: Readonly<Record<string, number>>;
}

const RATIOS_14 = ['1:1', '1:4', '1:8', '2:3', '3:2', '3:4', '4:1', '4:3', '4:5', '5:4', '8:1', '9:16', '16:9', '21:9'];
const RATIOS_10 = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];
const FLASH: ModelSpec = { ratios: RATIOS_14, sizes: ['512', '1K', '2K', '4K'], thinking: true, tokens: { '512': 747, '1K': 1120, '2K': 1680, '4K': 2520 } };
const PRO: ModelSpec = { ratios: RATIOS_10, sizes: ['1K', '2K', '4K'], thinking: true, tokens: { '1K': 1120, '2K': 1120, '4K': 2000 } };
const MODELS: Readonly<Record<string, ModelSpec>> = {
  'gemini-3.1-flash-image-preview': FLASH,
  'gemini-3.1-flash-image': FLASH,
  'gemini-3-pro-image-preview': PRO,
  'gemini-3-pro-image': PRO,
  'gemini-3.1-flash-lite-image': { ratios: RATIOS_14, sizes: ['1K'], thinking: true, tokens: { '1K': 1120 } },
  'gemini-nano-banana-2.1': { ratios: RATIOS_14, sizes: ['1K', '2K', '4K'], thinking: true, levels: ['minimal', 'medium', 'high'], tokens: { '1K': 1120, '2K': 1680, '4K': 2520 } },
  'gemini-2.5-flash-image': { ratios: RATIOS_10, sizes: [], thinking: false, tokens: { '1K': 1290 } },
  // A model the extension does not know, which the service does: sent as written, no checks.
  'gemini-4-image-experimental': FLASH,
};

/** Text models that read images (describe calls for alt text). */
const TEXT_MODELS = ['gemini-3.1-flash-lite', 'gemini-3.5-flash-lite', 'gemini-3.8-flash'];
/** The widest image a describe call may send: Illustrate sends them small. */
export const DESCRIBE_MAX_PIXELS = 1024;

const GOOGLE_SHUT_DOWN = ['gemini-3.1-flash-image-preview', 'gemini-3-pro-image-preview', 'gemini-2.5-flash-image'];
const GA_IDS = ['gemini-3.1-flash-image', 'gemini-3-pro-image', 'gemini-3.1-flash-lite-image', 'gemini-nano-banana-2.1'];
/** Google after 3.1 Flash Image was shut down: 2.1 is there, 3.1 Flash Image answers 404. */
const GOOGLE_LATE_2026_SHUT_DOWN = [...GOOGLE_SHUT_DOWN, 'gemini-3.1-flash-image'];

/** Pixel sizes at 1K (GEMINI-API.md); 512 is half, 2K double, 4K four times. */
const PIXELS_1K: Readonly<Record<string, [number, number]>> = {
  '1:1': [1024, 1024],
  '16:9': [1376, 768],
  '9:16': [768, 1376],
  '3:2': [1264, 848],
  '2:3': [848, 1264],
  '4:3': [1200, 896],
  '3:4': [896, 1200],
  '5:4': [1152, 928],
  '4:5': [928, 1152],
  '21:9': [1584, 672],
  '4:1': [2048, 512],
  '1:4': [512, 2048],
  '8:1': [3072, 384],
  '1:8': [384, 3072],
};
const SCALE: Readonly<Record<string, number>> = { '512': 0.5, '1K': 1, '2K': 2, '4K': 4 };

export function pixelsFor(ratio: string, size: string): [number, number] {
  const [w, h] = PIXELS_1K[ratio] ?? PIXELS_1K['1:1'];
  const s = SCALE[size] ?? 1;
  return [Math.round(w * s), Math.round(h * s)];
}

const HTML_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export class FakeGemini {
  private server: http.Server | undefined;
  private readonly queue: Step[] = [];
  private readonly cache = new Map<string, Buffer>();
  private readonly sockets = new Set<import('net').Socket>();
  readonly requests: RecordedRequest[] = [];
  /** The key the server accepts; undefined accepts any (the offline demo of `npm start`). */
  validKey: string | undefined = FAKE_KEY;
  profile: Profile = 'google';
  /** Acting as a rate-limited gateway: more generateContent requests in flight than this get 429. */
  concurrencyLimit: number | undefined;
  /** Acting as a gateway with a rate limit: at most this many generateContent requests in any 60 s (429 with the wait until a slot frees). */
  requestsPerMinute: number | undefined;
  /** Added to every image answer, as a real model takes seconds (the throughput bench). */
  latencyMs = 0;
  /** Added to every review answer, as a text model takes about a second (the review bench). */
  reviewLatencyMs = 0;
  /** The translation edits asked for (./translate.ts), in order. */
  readonly translations: AskedTranslation[] = [];
  /** The review instructions already answered under [review:failonce]. */
  private readonly failedOnce = new Set<string>();
  /** The rate limit's window (60 s; shorter when the bench scales time). */
  windowMs = 60_000;
  private readonly admitted: number[] = [];
  /** In-flight requests, the most seen at once, and whether any request was over the limit after the first 429. */
  readonly load = { inFlight: 0, most: 0, limited: 0, overAfterLimited: 0, mostAfterLimited: 0, firstLimitedAt: 0 };
  /** models.list page size (small, so paging is exercised). */
  pageSize = 2;
  /** Where 'redirect' points (another server that records what reaches it). */
  redirectTo = 'https://elsewhere.example/v1beta/models/x:generateContent';
  /** How many bytes of the last streamed 'oversized' or 'hugeError' answer were written before the client stopped reading. */
  lastStreamed = { written: 0, total: 0, closedEarly: false };
  /** Image requests whose client went away before the answer was sent (a gateway would still bill them). */
  abandoned = 0;
  /** Whether CORS headers are sent, as Google's endpoint does (a gateway without them: false). */
  cors = true;
  /**
   * The `usageMetadata` of the next answers (images and descriptions): undefined, counted as the
   * service counts them; an object, sent as it is (a known bill); null, none at all (a gateway that sends none).
   */
  usage: Record<string, unknown> | null | undefined;
  /** Google's Batch API and Files API (Google's profile only; gateways answer 404). */
  readonly batches = new FakeBatches({
    url: () => this.url,
    validKey: () => this.validKey,
    answerFor: (model, body) => this.batchAnswer(model, body),
    record: (url, status, keyMatched, body) => this.requests.push({ model: '', url, auth: 'x-goog-api-key', keyMatched, body, status, arrivedAt: Date.now() }),
  });

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) {
      throw new Error('The fake server is not listening.');
    }
    return `http://127.0.0.1:${address.port}`;
  }

  /** Queue the modes of the next requests, in order; after them, requests follow their prompt. */
  script(...steps: (Mode | Step)[]): void {
    this.queue.push(...steps.map((s) => (typeof s === 'string' ? { mode: s } : s)));
  }

  reset(): void {
    this.queue.length = 0;
    this.requests.length = 0;
    this.validKey = FAKE_KEY;
    this.profile = 'google';
    this.concurrencyLimit = undefined;
    this.requestsPerMinute = undefined;
    this.latencyMs = 0;
    this.reviewLatencyMs = 0;
    this.failedOnce.clear();
    this.translations.length = 0;
    this.windowMs = 60_000;
    this.admitted.length = 0;
    Object.assign(this.load, { inFlight: 0, most: 0, limited: 0, overAfterLimited: 0, mostAfterLimited: 0, firstLimitedAt: 0 });
    this.lastStreamed = { written: 0, total: 0, closedEarly: false };
    this.abandoned = 0;
    this.batches.reset();
    this.cors = true;
    this.usage = undefined;
  }

  /** One request of a batch job, answered as generateContent would (its errors as an entry's error). */
  private batchAnswer(model: string, body: unknown): { ok: true; answer: unknown } | { ok: false; code: number; status: string; message: string } | undefined {
    const spec = this.knows(model) ? MODELS[model] : undefined;
    if (!spec) {
      return undefined;
    }
    const problem = validate(body, spec, model);
    if (problem) {
      return { ok: false, code: 3, status: 'INVALID_ARGUMENT', message: problem };
    }
    const directive = /\[fake:([a-zA-Z0-9]+)\]/.exec(promptOf(body));
    const mode = (directive?.[1] ?? 'ok') as Mode;
    if (mode === 'batchError') {
      return { ok: false, code: 13, status: 'INTERNAL', message: 'Internal error encountered while generating this response.' };
    }
    return { ok: true, answer: this.answer(body, spec, { mode }) };
  }

  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
        }
        res.end(googleError(500, 'INTERNAL', 'Internal error in the stand-in server.'));
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) {
      s.destroy();
    }
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  /** A streamed body, written as fast as the client reads it; records how much was written before the client stopped. */
  /** Whether this server, in its profile, serves the model id. */
  private knows(model: string): boolean {
    if (!MODELS[model]) {
      return false;
    }
    switch (this.profile) {
      case 'google':
        return !GOOGLE_SHUT_DOWN.includes(model) && model !== 'gemini-nano-banana-2.1';
      case 'googleLate2026':
        return !GOOGLE_LATE_2026_SHUT_DOWN.includes(model);
      case 'previewGateway':
        return !GA_IDS.includes(model);
      default:
        return true;
    }
  }

  /** models.list as Google answers it: paged, image and text models together. Gateways answer 404. */
  private listModels(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const key = req.headers['x-goog-api-key'] ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (this.profile === 'previewGateway') {
      res.writeHead(404, { 'content-type': 'text/html' }).end(HTML_404(url.pathname));
      return;
    }
    if (this.validKey !== undefined && key !== this.validKey) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.'));
      return;
    }
    const all = [
      ...Object.keys(MODELS).filter((m) => this.knows(m)).map((m) => ({ name: `models/${m}`, displayName: m === 'gemini-4-image-experimental' ? 'Gemini 4 Image (experimental)' : `Display ${m}`, supportedGenerationMethods: ['generateContent', 'countTokens'] })),
      { name: 'models/gemini-3.5-flash', displayName: 'Gemini 3.5 Flash', supportedGenerationMethods: ['generateContent', 'countTokens'] },
      ...TEXT_MODELS.map((m) => ({ name: `models/${m}`, displayName: `Display ${m}`, supportedGenerationMethods: ['generateContent', 'countTokens'] })),
      { name: 'models/gemini-embedding-001', displayName: 'Gemini Embedding', supportedGenerationMethods: ['embedContent'] },
      { name: 'models/imagen-4.0-generate-001', displayName: 'Imagen 4', supportedGenerationMethods: ['predict'] },
    ];
    const size = Number(url.searchParams.get('pageSize')) > 0 ? Math.min(this.pageSize, Number(url.searchParams.get('pageSize'))) : this.pageSize;
    const from = Number(url.searchParams.get('pageToken') || 0);
    const page = all.slice(from, from + size);
    const body: Record<string, unknown> = { models: page };
    if (from + size < all.length) {
      body.nextPageToken = String(from + size);
    }
    this.requests.push({ model: '', url: `${url.pathname}${url.search}`, auth: 'none', keyMatched: key === this.validKey, body: undefined, status: 200, arrivedAt: Date.now() });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private async stream(res: http.ServerResponse, status: number, type: string, pieces: Iterable<Buffer>, req: http.IncomingMessage): Promise<void> {
    const stats = { written: 0, total: 0, closedEarly: false };
    this.lastStreamed = stats;
    res.writeHead(status, { 'content-type': type });
    let closed = false;
    req.socket.once('close', () => {
      closed = true;
    });
    for (const piece of pieces) {
      if (closed || res.destroyed) {
        stats.closedEarly = true;
        break;
      }
      stats.written += piece.length;
      if (!res.write(piece)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            res.off('drain', done);
            req.socket.off('close', done);
            resolve();
          };
          res.once('drain', done);
          req.socket.once('close', done);
        });
      }
    }
    stats.total = stats.written;
    if (!closed && !res.destroyed) {
      res.end();
    }
  }

  /** The final image's base64, as a broken or unusual server would send it. */
  private encoded(image: Buffer, mode: Mode): string {
    switch (mode) {
      case 'dataUrl':
        return `data:image/png;base64,${image.toString('base64')}`;
      case 'joinedPadding': {
        // Two separately padded pieces joined: padding in the middle of the string.
        const cut = 1000 - (1000 % 3) + 1;
        return image.subarray(0, cut).toString('base64') + image.subarray(cut).toString('base64');
      }
      case 'strayBase64': {
        const b64 = image.toString('base64');
        return `${b64.slice(0, 40)}*~${b64.slice(40)}`;
      }
      case 'noIend':
        return image.subarray(0, image.length - 12).toString('base64');
      default:
        return image.toString('base64');
    }
  }

  private image(kind: 'png' | 'jpeg' | 'noise', width: number, height: number, tint = 0): Buffer {
    const key = `${kind}:${width}x${height}:${tint}`;
    let bytes = this.cache.get(key);
    if (!bytes) {
      bytes = kind === 'jpeg' ? makeJpeg(width, height) : makePng(width, height, { noise: kind === 'noise', tint });
      this.cache.set(key, bytes);
    }
    return bytes;
  }

  /** The stand-in's known transparent picture (`sprite`) composed over a pure backdrop, as the model would render it. */
  private onBackdrop(width: number, height: number, backdrop: 'white' | 'black', shift: number): Buffer {
    const key = `backdrop:${width}x${height}:${backdrop}:${shift}`;
    let bytes = this.cache.get(key);
    if (!bytes) {
      bytes = rgbPng(composeOver(sprite(width, height, shift), backdrop === 'white' ? [255, 255, 255] : [0, 0, 0]));
      this.cache.set(key, bytes);
    }
    return bytes;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const arrivedAt = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // As Google's endpoint does: calls from web pages are allowed (unless a test turns it off).
    if (this.cors && !url.pathname.startsWith('/_fake/')) {
      res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
      res.setHeader('vary', 'Origin');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type, x-goog-api-key, authorization',
          'access-control-max-age': '600',
        }).end();
        return;
      }
    }
    const chunks: Buffer[] = [];
    for await (const c of req) {
      chunks.push(c as Buffer);
    }
    const rawBytes = Buffer.concat(chunks);
    const raw = rawBytes.toString('utf8');

    // Control endpoints, for tests running in another process (the extension host).
    if (url.pathname === '/_fake/script' && req.method === 'POST') {
      const steps = JSON.parse(raw) as Step[];
      this.script(...steps);
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/_fake/reset' && req.method === 'POST') {
      this.reset();
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/_fake/redirect' && req.method === 'POST') {
      this.redirectTo = String((JSON.parse(raw) as { to: string }).to);
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/_fake/profile' && req.method === 'POST') {
      this.profile = (JSON.parse(raw) as { profile: Profile }).profile;
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/_fake/concurrency' && req.method === 'POST') {
      this.concurrencyLimit = (JSON.parse(raw) as { limit?: number }).limit;
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/_fake/batch' && req.method === 'POST') {
      this.batches.plan = (JSON.parse(raw) as { plan: BatchPlan }).plan;
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/_fake/cors' && req.method === 'POST') {
      this.cors = (JSON.parse(raw) as { on: boolean }).on;
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/_fake/batches') {
      const jobs = [...this.batches.jobs.values()].map((j) => ({ id: j.id, state: j.state, requests: j.requests.length, fromFile: j.fromFile, polls: j.polls }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jobs));
      return;
    }
    if ((this.profile === 'google' || this.profile === 'googleLate2026') && this.batches.handle(req, res, url, rawBytes)) {
      return;
    }
    if (url.pathname === '/_fake/load') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.load));
      return;
    }
    if (url.pathname === '/_fake/streamed') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.lastStreamed));
      return;
    }
    if (url.pathname === '/_fake/requests') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.requests));
      return;
    }

    if (url.pathname === '/v1beta/models' && req.method === 'GET') {
      this.listModels(req, res, url);
      return;
    }
    const match = /^\/v1beta\/models\/([^/:]+):generateContent$/.exec(url.pathname);
    const reply = (status: number, body: string, type = 'application/json; charset=UTF-8'): void => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (!match || req.method !== 'POST') {
      reply(404, HTML_404(url.pathname), 'text/html; charset=UTF-8');
      return;
    }
    const model = decodeURIComponent(match[1]);
    const load = this.load;
    load.inFlight++;
    load.most = Math.max(load.most, load.inFlight);
    // "After the first 429": sent once the client could have read it (50 ms on this machine's loopback).
    const afterLimited = load.limited > 0 && arrivedAt > load.firstLimitedAt + 50;
    if (afterLimited) {
      load.mostAfterLimited = Math.max(load.mostAfterLimited, load.inFlight);
    }
    let counted = true;
    const leave = (): void => {
      if (counted) {
        counted = false;
        load.inFlight--;
      }
    };
    // 'finish': the answer is handed to the OS, before the client can have read it.
    res.once('finish', leave);
    res.once('close', leave);
    if (this.concurrencyLimit !== undefined && load.inFlight > this.concurrencyLimit) {
      if (afterLimited) {
        load.overAfterLimited++;
      }
      if (load.limited++ === 0) {
        load.firstLimitedAt = Date.now();
      }
      const body = googleError(429, 'RESOURCE_EXHAUSTED', 'Too many concurrent requests.', [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.4s' }]);
      this.requests.push({ model, url: url.pathname, auth: 'none', keyMatched: true, body: undefined, status: 429, arrivedAt });
      res.writeHead(429, { 'content-type': 'application/json' }).end(body);
      return;
    }
    if (this.requestsPerMinute !== undefined) {
      const window = this.windowMs;
      while (this.admitted.length && this.admitted[0] <= arrivedAt - window) {
        this.admitted.shift();
      }
      if (this.admitted.length >= this.requestsPerMinute) {
        load.limited++;
        // The wait until a slot frees, in the unscaled seconds the client expects.
        const waitS = Math.max(0.1, ((this.admitted[0] + window - arrivedAt) / 1000) * (60_000 / window));
        const limited = googleError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.', [
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${waitS.toFixed(1)}s` },
        ]);
        this.requests.push({ model, url: url.pathname, auth: 'none', keyMatched: true, body: undefined, status: 429, arrivedAt });
        res.writeHead(429, { 'content-type': 'application/json' }).end(limited);
        return;
      }
      this.admitted.push(arrivedAt);
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const googKey = req.headers['x-goog-api-key'];
    const key = typeof googKey === 'string' ? googKey : bearer?.[1];
    const auth = typeof googKey === 'string' ? 'x-goog-api-key' : bearer ? 'bearer' : 'none';
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const record = (status: number): void => {
      this.requests.push({ model, url: url.pathname, auth, keyMatched: key === this.validKey, body, status, arrivedAt, origin: req.headers.origin });
    };
    const prompt = promptOf(body);
    const directive = /\[fake:([a-zA-Z0-9]+)(?::([0-9.]+))?\]/.exec(prompt);
    const queued = this.queue.shift();
    const step: Step = queued ?? (directive ? { mode: directive[1] as Mode, arg: directive[2] ? Number(directive[2]) : undefined } : { mode: 'ok' });

    const fail = (status: number, text: string, type?: string): void => {
      record(status);
      reply(status, text, type);
    };

    // Transport-level failures come first, as a proxy in front of the service would answer them.
    switch (step.mode) {
      case 'reset':
        record(0);
        req.socket.destroy();
        return;
      case 'html502':
        fail(502, HTML_502, 'text/html');
        return;
      case 'redirect':
        record(step.arg ?? 307);
        res.writeHead(step.arg ?? 307, { location: this.redirectTo, 'content-length': 0 }).end();
        return;
      case 'hugeError':
        record(500);
        await this.stream(res, 500, 'text/html', hugeErrorPage(step.arg ?? 50 * 1024 * 1024), req);
        return;
      case 'badKeyGateway':
        fail(401, JSON.stringify({ error: { message: 'Invalid token (request id: 20261124120000123456789)', type: 'new_api_error', param: '', code: 'invalid_api_key' } }));
        return;
      default:
        break;
    }

    if (!key) {
      fail(403, googleError(403, 'PERMISSION_DENIED', "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."));
      return;
    }
    if ((this.validKey !== undefined && key !== this.validKey) || step.mode === 'badKey') {
      fail(
        400,
        googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
        ]),
      );
      return;
    }
    if (TEXT_MODELS.includes(model)) {
      const problem = oneSmallImage(body);
      // A review quotes the image's prompt, whose [fake:…] directives are the generation's: only the queue picks its failure.
      const textStep = isReviewCall(body) ? queued : step;
      if (problem) {
        fail(400, googleError(400, 'INVALID_ARGUMENT', problem));
      } else if (textStep?.mode === 'quota') {
        fail(429, googleError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.', [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${textStep.arg ?? 0.2}s` }]));
      } else if (textStep?.mode === 'overloaded') {
        fail(503, googleError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'));
      } else if (isTextLookCall(body)) {
        fail(200, JSON.stringify(textLookAnswer(prompt.trim(), (counted) => this.usageOr(counted))));
      } else if (isReviewCall(body)) {
        const invalid = reviewRequestProblem(body);
        const asked = reviewScenario(prompt);
        // [review:failonce]: the first picture for these words fails, the next passes (a retry that comes out better).
        const scenario = asked === 'failonce' ? (this.failedOnce.has(prompt) ? 'pass' : 'fail') : asked;
        if (asked === 'failonce') {
          this.failedOnce.add(prompt);
        }
        if (this.reviewLatencyMs && !invalid) {
          await delay(this.reviewLatencyMs, req);
        }
        fail(invalid ? 400 : 200, invalid ? googleError(400, 'INVALID_ARGUMENT', invalid) : JSON.stringify(reviewAnswer(body, prompt, scenario, (counted) => this.usageOr(counted))));
      } else {
        this.describeAnswer(step, prompt, fail);
      }
      return;
    }
    const spec = this.knows(model) ? MODELS[model] : undefined;
    if (!spec || step.mode === 'notFound') {
      fail(404, googleError(404, 'NOT_FOUND', `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`));
      return;
    }
    const problem = validate(body, spec, model);
    if (problem) {
      fail(400, googleError(400, 'INVALID_ARGUMENT', problem));
      return;
    }
    const translation = translationAsked(prompt);
    if (translation) {
      this.translations.push(translation);
    }

    switch (step.mode) {
      case 'permission':
        fail(403, googleError(403, 'PERMISSION_DENIED', 'Your API key was reported as leaked. Please use another API key.'));
        return;
      case 'quota':
      case 'quotaLong':
        fail(
          429,
          googleError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.', [
            {
              '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
              violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
            },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${step.arg ?? (step.mode === 'quotaLong' ? 75 : 0.2)}s` },
          ]),
        );
        return;
      case 'dailyQuota':
        fail(
          429,
          googleError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.', [
            {
              '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
              violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }],
            },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.1s' },
          ]),
        );
        return;
      case 'overloaded':
        fail(503, googleError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'));
        return;
      case 'internal':
        fail(500, googleError(500, 'INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting'));
        return;
      case 'deadline':
        fail(504, googleError(504, 'DEADLINE_EXCEEDED', 'The request timed out. Please try again.'));
        return;
      case 'invalidArgument':
        fail(400, googleError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.'));
        return;
      case 'precondition':
        fail(400, googleError(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use without a billing account linked.'));
        return;
      case 'malformed':
        fail(200, '{"candidates": [{"content": {"parts": [{"inlineData": {"mimeType": "image/png", "da');
        return;
      case 'htmlOk':
        fail(200, '<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Please sign in</h1></body></html>', 'text/html; charset=utf-8');
        return;
      default:
        break;
    }

    if (step.mode === 'gzipBomb' || step.mode === 'oversized') {
      record(200);
      const size = step.arg ?? 100 * 1024 * 1024;
      if (step.mode === 'gzipBomb') {
        const gz = gzipBomb(size);
        res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-encoding': 'gzip', 'content-length': gz.length });
        res.end(gz);
        return;
      }
      await this.stream(res, 200, 'application/json; charset=UTF-8', oversizedAnswer(size), req);
      return;
    }
    const answer = this.answer(body, spec, step);
    record(200);
    const text = JSON.stringify(answer, null, 2);
    if (step.mode === 'slow') {
      await delay(step.arg ?? 2000, req);
    } else if (this.latencyMs) {
      await delay(this.latencyMs, req);
    }
    if (res.destroyed) {
      this.abandoned++;
      return;
    }
    if (step.mode === 'truncated') {
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      setTimeout(() => res.destroy(), 50);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    if (step.mode === 'slowBody' || step.mode === 'noisySlow') {
      const pieces = Math.max(20, Math.ceil(text.length / 1_000_000));
      const size = Math.ceil(text.length / pieces);
      const each = (step.arg ?? 2000) / pieces;
      for (let i = 0; i < text.length && !res.destroyed; i += size) {
        res.write(text.slice(i, i + size));
        await delay(each, req);
      }
      res.end();
      return;
    }
    if (step.mode === 'trailingForever') {
      res.write(text);
      while (!res.destroyed) {
        res.write(' ');
        await delay(50, req);
      }
      this.abandoned++;
      return;
    }
    res.end(text);
  }

  /** A text model describing an image (alt text): one line, a "decorative" verdict, or a refusal. */
  private describeAnswer(step: Step, prompt: string, fail: (status: number, text: string) => void): void {
    const chinese = /Simplified Chinese/.test(prompt);
    const text =
      step.mode === 'decorative'
        ? 'DECORATIVE'
        : step.mode === 'describeLong'
          ? `Image of ${'a very detailed diagram with many boxes and arrows, '.repeat(8)}ending here.`
          : chinese
            ? '请求从浏览器经过 API 网关流向数据库的示意图。'
            : 'A diagram of the request flow from the browser through the API gateway to the database.';
    // As Google counts a describe call: the image at low media resolution (280), the text, the answer.
    const promptText = Math.ceil(prompt.length / 4);
    const answered = Math.ceil(text.length / 4);
    const usage = this.usageOr({
      promptTokenCount: 280 + promptText,
      candidatesTokenCount: answered,
      totalTokenCount: 280 + promptText + answered,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptText }, { modality: 'IMAGE', tokenCount: 280 }],
      candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: answered }],
      serviceTier: 'standard',
    });
    const answer =
      step.mode === 'refuse'
        ? { candidates: [{ content: { role: 'model', parts: [] }, finishReason: 'SAFETY', index: 0 }], usageMetadata: usage, modelVersion: 'fake' }
        : { candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }], usageMetadata: usage, modelVersion: 'fake' };
    fail(200, JSON.stringify(answer));
  }

  /** The usage an answer carries: the test's (`usage`), none, or the service's count. */
  private usageOr(counted: Record<string, unknown>): Record<string, unknown> | undefined {
    return this.usage === undefined ? counted : (this.usage ?? undefined);
  }

  private answer(body: unknown, spec: ModelSpec, step: Step): Record<string, unknown> {
    const config = generationConfig(body);
    const ratio = config.aspectRatio ?? '1:1';
    const size = config.imageSize ?? '1K';
    const [w, h] = pixelsFor(ratio, size);
    const wantsText = config.modalities.includes('TEXT') || step.mode === 'withText';
    const signature = () => randomBytes(24).toString('base64');
    const promptTokens = Math.ceil(promptOf(body).length / 4) + 6;
    const outputTokens = spec.tokens[size] ?? spec.tokens['1K'] ?? 1120;
    // As the recorded answers count an image: its tokens by modality, thinking apart (billed too).
    const usage = this.usageOr({
      promptTokenCount: promptTokens,
      candidatesTokenCount: outputTokens,
      totalTokenCount: promptTokens + outputTokens + (spec.thinking ? 180 : 0),
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokens }],
      candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: outputTokens }],
      thoughtsTokenCount: spec.thinking ? 180 : undefined,
      serviceTier: 'standard',
    });

    if (step.mode === 'blocked') {
      return { candidates: [{ content: { role: 'model', parts: null }, finishReason: 'IMAGE_SAFETY', finishMessage: 'Unable to show the generated image. The image was filtered out because it violated Google\'s Generative AI Prohibited Use policy.', index: 0 }], usageMetadata: { promptTokenCount: promptTokens, totalTokenCount: promptTokens }, modelVersion: 'fake' };
    }
    if (step.mode === 'promptBlocked') {
      return { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: promptTokens, totalTokenCount: promptTokens }, modelVersion: 'fake' };
    }
    if (step.mode === 'refusal') {
      return { candidates: [{ content: { role: 'model', parts: [{ text: "I'm unable to help with that request. I can't create images of real people in that situation.", thoughtSignature: signature() }] }, finishReason: 'STOP', index: 0 }], usageMetadata: usage, modelVersion: 'fake' };
    }
    if (step.mode === 'echoedImage' || step.mode === 'blockedWithImage') {
      const png = this.image('png', w, h).toString('base64');
      const blocked = { content: { role: 'model', parts: step.mode === 'blockedWithImage' ? [{ inlineData: { mimeType: 'image/png', data: png } }] : null }, finishReason: 'IMAGE_SAFETY', index: 0 };
      // A gateway that echoes the request (here with an image in it) beside a blocked candidate.
      const echoed = { contents: [{ role: 'user', parts: [{ text: promptOf(body) }, { inlineData: { mimeType: 'image/png', data: png } }] }] };
      return step.mode === 'echoedImage' ? { request: echoed, candidates: [blocked], usageMetadata: usage } : { candidates: [blocked], usageMetadata: usage };
    }
    const isJpeg = step.mode === 'jpegAsPng';
    const backdrop = backdropAsked(promptOf(body));
    // A background change keeps an edited picture's size when no aspect ratio is asked, as the model does.
    const [bw, bh] = backdrop && !config.aspectRatio ? (inputSize(body) ?? [w, h]) : [w, h];
    // A dark-mode twin asked for by edit: the same size as the picture sent, every channel dark.
    const darkTwin = /dark-mode twin/i.test(promptOf(body));
    const [dw, dh] = darkTwin ? (inputSize(body) ?? [w, h]) : [w, h];
    const final = darkTwin
      ? makePng(dw, dh, { dark: true })
      : backdrop
      ? this.onBackdrop(bw, bh, backdrop, step.mode === 'misaligned' ? 6 : 0)
      : step.mode === 'noisy' || step.mode === 'noisySlow'
        ? this.image('noise', w, h)
        : this.image(isJpeg ? 'jpeg' : 'png', w, h);
    const parts: Record<string, unknown>[] = [];
    if (step.mode === 'thoughts' || step.mode === 'finalMarkedThought' || config.includeThoughts) {
      parts.push({ text: '**Composing the scene**\n\nI am planning the layout: the subject centred, soft light from the left.', thought: true });
      const draft = this.image('png', Math.max(64, Math.round(w / 8)), Math.max(64, Math.round(h / 8)), 200);
      parts.push({ inlineData: { mimeType: 'image/png', data: draft.toString('base64') }, thought: true });
    }
    if (wantsText) {
      parts.push({ text: 'Here is the image you asked for: "caf\u00e9 \u2014 \ud83c\udf4c".', thoughtSignature: signature() });
    }
    const finalPart: Record<string, unknown> =
      step.mode === 'dataUrlText'
        ? { text: `data:image/png;base64,${final.toString('base64')}` }
        : step.mode === 'markdownDataUrlText'
          ? { text: `![image](data:image/png;base64,${final.toString('base64')})\n\nHere you go.` }
          : { inlineData: { mimeType: 'image/png', data: this.encoded(final, step.mode) }, thoughtSignature: signature() };
    if (step.mode === 'finalMarkedThought') {
      finalPart.thought = true;
    }
    parts.push(finalPart);
    return { candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }], usageMetadata: usage, modelVersion: `${'fake'}-001`, responseId: randomBytes(8).toString('hex') };
  }
}

const PIECE = 256 * 1024;

/** A body of about `size` bytes: `head`, then `fill` repeated in 256 KB pieces, then `tail`. */
function* padded(head: string, fill: string, tail: string, size: number): Iterable<Buffer> {
  yield Buffer.from(head);
  const filler = Buffer.alloc(PIECE, fill);
  for (let sent = 0; sent < size; sent += PIECE) {
    yield filler;
  }
  yield Buffer.from(tail);
}

/** A JSON answer of about `size` bytes: a real-looking start, then base64 that never ends. */
function oversizedAnswer(size: number): Iterable<Buffer> {
  return padded('{"candidates":[{"content":{"role":"model","parts":[{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo', 'A', '"}}]},"finishReason":"STOP"}]}', size);
}

function hugeErrorPage(size: number): Iterable<Buffer> {
  return padded('<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><pre>', 'x', '</pre></body></html>', size);
}

const bombs = new Map<number, Buffer>();

/** A small gzip body that inflates to an answer of `size` bytes. */
function gzipBomb(size: number): Buffer {
  let gz = bombs.get(size);
  if (!gz) {
    gz = zlib.gzipSync(Buffer.concat([...oversizedAnswer(size)]), { level: 9 });
    bombs.set(size, gz);
  }
  return gz;
}

function HTML_404(path: string): string {
  return `<!DOCTYPE html><html lang=en><title>Error 404 (Not Found)!!1</title><p><b>404.</b> <ins>That’s an error.</ins><p>The requested URL <code>${path.replace(/[<>&]/g, '')}</code> was not found on this server.</html>`;
}

function delay(ms: number, req: http.IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      req.socket.off('close', onClose);
      resolve();
    }, ms);
    req.socket.once('close', onClose);
  });
}

/** The text of the last user turn. */
export function promptOf(body: unknown): string {
  const contents = rec(body)?.contents;
  if (!Array.isArray(contents) || contents.length === 0) {
    return '';
  }
  const parts = rec(contents[contents.length - 1])?.parts;
  if (!Array.isArray(parts)) {
    return '';
  }
  return parts.map((p) => (typeof rec(p)?.text === 'string' ? (rec(p)!.text as string) : '')).join(' ');
}

/**
 * The pure backdrop a prompt asks the picture to be on: black when it names #000000 (an edit from
 * white to black names both), white when it names #FFFFFF; none otherwise.
 */
function backdropAsked(prompt: string): 'white' | 'black' | undefined {
  return /#000000/.test(prompt) ? 'black' : /#FFFFFF/i.test(prompt) ? 'white' : undefined;
}

/** The pixel size of the first image the last user turn sends (the picture to edit). */
function inputSize(body: unknown): [number, number] | undefined {
  const contents = rec(body)?.contents;
  const last = Array.isArray(contents) ? rec(contents[contents.length - 1]) : undefined;
  const parts = Array.isArray(last?.parts) ? (last!.parts as unknown[]) : [];
  const image = parts.map((p) => rec(rec(p)?.inlineData)).find((i) => typeof i?.data === 'string');
  const size = image ? pixelSize(Buffer.from(image.data as string, 'base64')) : undefined;
  return size ? [size.width, size.height] : undefined;
}

function generationConfig(body: unknown): { modalities: string[]; aspectRatio?: string; imageSize?: string; includeThoughts: boolean } {
  const gc = rec(rec(body)?.generationConfig);
  const ic = rec(gc?.imageConfig);
  const tc = rec(gc?.thinkingConfig);
  return {
    modalities: Array.isArray(gc?.responseModalities) ? (gc!.responseModalities as string[]) : ['TEXT', 'IMAGE'],
    aspectRatio: typeof ic?.aspectRatio === 'string' ? ic.aspectRatio : undefined,
    imageSize: typeof ic?.imageSize === 'string' ? ic.imageSize : undefined,
    includeThoughts: tc?.includeThoughts === true,
  };
}

function sniff(bytes: Buffer): string | undefined {
  if (bytes.length >= 4 && bytes[0] === 0x89 && bytes.toString('latin1', 1, 4) === 'PNG') {
    return 'image/png';
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'image/jpeg';
  }
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
    return 'image/webp';
  }
  return undefined;
}

/**
 * What a call to a text model with an image (a description, a review) must be: exactly one image,
 * valid and downscaled (at most DESCRIBE_MAX_PIXELS wide, twice that high), text output only.
 * Undefined when it is.
 */
function oneSmallImage(body: unknown): string | undefined {
  const b = rec(body);
  const parts = (Array.isArray(b?.contents) ? b!.contents : []).flatMap((c) => (Array.isArray(rec(c)?.parts) ? (rec(c)!.parts as unknown[]) : []));
  const images = parts.map((p) => rec(rec(p)?.inlineData)).filter((i): i is Record<string, unknown> => i !== undefined);
  if (images.length !== 1 || typeof images[0].data !== 'string') {
    return `stand-in: a call to a text model sends exactly one image (got ${images.length}).`;
  }
  const bytes = Buffer.from(images[0].data, 'base64');
  if (sniff(bytes) !== images[0].mimeType) {
    return 'Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting';
  }
  const size = pixelSize(bytes);
  if (!size || size.width > DESCRIBE_MAX_PIXELS || size.height > DESCRIBE_MAX_PIXELS * 2) {
    return `stand-in: the image was sent at ${size ? `${size.width}x${size.height}` : 'an unknown size'}; calls to text models send it downscaled.`;
  }
  const modalities = rec(b?.generationConfig)?.responseModalities;
  if (Array.isArray(modalities) && modalities.includes('IMAGE')) {
    return 'Image output is not supported by this model.';
  }
  return undefined;
}

/** What the service rejects with 400 INVALID_ARGUMENT; undefined when the body is acceptable. */
export function validate(body: unknown, spec: ModelSpec, model: string): string | undefined {
  const b = rec(body);
  if (!b) {
    return 'Invalid JSON payload received.';
  }
  const contents = b.contents;
  if (!Array.isArray(contents) || contents.length === 0) {
    return '* GenerateContentRequest.contents: contents is not specified';
  }
  for (const [ci, c] of contents.entries()) {
    const content = rec(c);
    const parts = content?.parts;
    if (!content || !Array.isArray(parts) || parts.length === 0) {
      return `* GenerateContentRequest.contents[${ci}].parts: contents.parts must not be empty.`;
    }
    if (content.role !== 'user' && content.role !== 'model') {
      return `Please use a valid role: user, model.`;
    }
    for (const p of parts) {
      const part = rec(p);
      const inline = rec(part?.inlineData);
      if (part && typeof part.text !== 'string' && !inline) {
        return `* GenerateContentRequest.contents[${ci}].parts: part must have text or inlineData.`;
      }
      if (inline) {
        if (typeof inline.data !== 'string' || typeof inline.mimeType !== 'string') {
          return 'Invalid value at inlineData: mimeType and data are required.';
        }
        const bytes = Buffer.from(inline.data, 'base64');
        if (bytes.length > 7 * 1024 * 1024) {
          return 'Inline data exceeds the 7 MB limit for one image.';
        }
        if (sniff(bytes) !== inline.mimeType) {
          return `Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting`;
        }
        if (content.role === 'model' && spec.thinking && typeof part!.thoughtSignature !== 'string') {
          return `Image part is missing a thought_signature in content position ${ci + 1}, part position ${parts.indexOf(p) + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`;
        }
      }
    }
  }
  if (rec(contents[contents.length - 1])?.role !== 'user') {
    return 'Please ensure that the last turn is from the user.';
  }
  const gc = rec(b.generationConfig);
  const modalities = gc?.responseModalities;
  if (!Array.isArray(modalities) || !modalities.includes('IMAGE') || modalities.some((m) => m !== 'IMAGE' && m !== 'TEXT')) {
    return `* GenerateContentRequest.generation_config.response_modalities: must include IMAGE for ${model}.`;
  }
  const ic = rec(gc?.imageConfig);
  if (ic) {
    for (const k of Object.keys(ic)) {
      if (k !== 'aspectRatio' && k !== 'imageSize') {
        return `Invalid JSON payload received. Unknown name "${k}" at 'generation_config.image_config': Cannot find field.`;
      }
    }
    if (ic.aspectRatio !== undefined && !spec.ratios.includes(String(ic.aspectRatio))) {
      return `Aspect ratio ${String(ic.aspectRatio)} is not supported by ${model}.`;
    }
    if (ic.imageSize !== undefined) {
      if (spec.sizes.length === 0) {
        return `Image size is not supported for ${model}.`;
      }
      if (!spec.sizes.includes(String(ic.imageSize))) {
        return `Invalid image size "${String(ic.imageSize)}". Supported values: ${spec.sizes.join(', ')}.`;
      }
    }
  }
  const tc = rec(gc?.thinkingConfig);
  if (tc) {
    if (!spec.thinking) {
      return `Thinking is not supported for ${model}.`;
    }
    if (tc.thinkingLevel !== undefined && !(spec.levels ?? ['minimal', 'high']).includes(String(tc.thinkingLevel))) {
      return `Invalid value at 'generation_config.thinking_config.thinking_level': "${String(tc.thinkingLevel)}"`;
    }
  }
  if (b.personGeneration !== undefined || rec(gc?.imageConfig)?.personGeneration !== undefined) {
    return 'personGeneration is not supported in the Gemini API.';
  }
  return undefined;
}
