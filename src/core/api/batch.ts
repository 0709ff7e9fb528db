/**
 * Google's Batch API for image requests: submit many generateContent requests as one job (inline,
 * or as a JSONL file through the Files API), poll it, cancel it, and read its results as a stream,
 * one answer at a time, so a results file of many images is never held as one string.
 */
import { utf8Length } from '../bytes';
import * as l10n from '@vscode/l10n';
import { checkEndpoint, exchange, HttpFetch, HttpResponse, MAX_ANSWER_BYTES, MAX_ERROR_BYTES, readCapped, unexpected } from './client';
import { cleanServerText, IllustrateError, isRecord } from '../errors';
import { errorFromResponse } from './httpErrors';
import { AnswerPath, ImageData, JsonStreamError, JsonStreamParser } from './jsonStream';
import { apiBase, AuthHeaderStyle, authHeaders, buildRequestBody, ImageRequest } from './request';
import { interpretAnswer, ParsedAnswer, pickFinalImage } from './response';

export interface BatchEndpoint {
  readonly baseUrl: string;
  readonly authHeader: AuthHeaderStyle;
  readonly apiKey: string;
  /** For each HTTP call (submit, poll, upload); the results download has no overall limit. */
  readonly timeoutMs: number;
}

export type BatchState = 'pending' | 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled' | 'expired';

/** The states after which a job changes no more. */
const FINAL_STATES: readonly BatchState[] = ['succeeded', 'partial', 'failed', 'cancelled', 'expired'];

/** Whether a job in this state may still change (pending or running). */
export function isActive(state: BatchState): boolean {
  return !FINAL_STATES.includes(state);
}

export interface BatchStatus {
  /** `batches/…`, checked: it goes into later URLs. */
  readonly name: string;
  readonly state: BatchState;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Why the whole job failed, in words fit to show. */
  readonly error?: string;
  /** Where the results are, once the job is done: in the operation itself, or in a file. */
  readonly results?: { readonly kind: 'inline' } | { readonly kind: 'file'; readonly file: string };
}

export interface BatchItem {
  /** Sent as the request's metadata key, and given back with its answer. */
  readonly key: string;
  readonly request: ImageRequest;
}

/** One request's outcome: its answer, or the error that explains why there is no image. */
export type BatchResult = { readonly key: string; readonly answer: ParsedAnswer } | { readonly key: string; readonly error: IllustrateError };

export interface BatchDeps {
  readonly fetch: HttpFetch;
  /** Inline jobs: at most this many requests (default 10) and bytes (Google's limit, 20 MB); else a file. */
  readonly inlineMaxRequests?: number;
  readonly inlineMaxBytes?: number;
}

/** Google's cap for the inline requests of one job. */
export const INLINE_MAX_BYTES = 20 * 1024 * 1024;
/** Inline results come back inside the operation; a few images only (large inline jobs have failed to return their results). */
export const INLINE_MAX_REQUESTS = 10;
/** The operation of an inline job holds every image: read at most this much of it. */
const MAX_INLINE_OPERATION_BYTES = 256 * 1024 * 1024;
const MAX_OPERATION_BYTES = 1024 * 1024;
/** A results file can be as large as a job; each line (one answer) is capped like an answer. */
const MAX_RESULTS_FILE_BYTES = 2 * 1024 * 1024 * 1024;

const BATCH_NAME = /^batches\/[A-Za-z0-9_-]{1,200}$/;
const FILE_NAME = /^files\/[A-Za-z0-9_-]{1,200}$/;

/** Whether the endpoint speaks Google's own API (its key header), where the Batch API lives. */
export function offersBatch(baseUrl: string, authHeader: AuthHeaderStyle): boolean {
  return 'x-goog-api-key' in authHeaders(baseUrl, authHeader, '');
}

const STATES: Readonly<Record<string, BatchState>> = {
  BATCH_STATE_PENDING: 'pending',
  BATCH_STATE_RUNNING: 'running',
  BATCH_STATE_SUCCEEDED: 'succeeded',
  BATCH_STATE_PARTIALLY_SUCCEEDED: 'partial',
  BATCH_STATE_FAILED: 'failed',
  BATCH_STATE_CANCELLED: 'cancelled',
  BATCH_STATE_EXPIRED: 'expired',
  JOB_STATE_PENDING: 'pending',
  JOB_STATE_RUNNING: 'running',
  JOB_STATE_SUCCEEDED: 'succeeded',
  JOB_STATE_FAILED: 'failed',
  JOB_STATE_CANCELLED: 'cancelled',
  JOB_STATE_EXPIRED: 'expired',
};

function count(v: unknown): number {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : 0;
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0;
}

/** An operation (or a bare batch) as a status; throws when it is not one. */
export function statusOf(op: unknown, secret?: string): BatchStatus {
  if (!isRecord(op)) {
    throw malformed();
  }
  const meta = isRecord(op.metadata) ? op.metadata : op;
  const name = typeof op.name === 'string' ? op.name : typeof meta.name === 'string' ? meta.name : '';
  if (!BATCH_NAME.test(name)) {
    throw malformed();
  }
  const raw = typeof meta.state === 'string' ? meta.state : '';
  let state: BatchState = STATES[raw] ?? (op.done === true ? 'failed' : 'pending');
  const stats = isRecord(meta.batchStats) ? meta.batchStats : {};
  const total = count(stats.requestCount);
  const succeeded = count(stats.successfulRequestCount);
  const failed = count(stats.failedRequestCount);
  if (state === 'succeeded' && failed > 0) {
    state = 'partial';
  }
  const error = isRecord(op.error) && typeof op.error.message === 'string' ? cleanServerText(op.error.message, secret) : undefined;
  let results: BatchStatus['results'];
  const out = isRecord(op.response) ? op.response : isRecord(meta.output) ? meta.output : undefined;
  if (out) {
    const file = typeof out.responsesFile === 'string' ? out.responsesFile : undefined;
    if (file !== undefined) {
      if (!FILE_NAME.test(file)) {
        throw malformed();
      }
      results = { kind: 'file', file };
    } else if (isRecord(out.inlinedResponses)) {
      results = { kind: 'inline' };
    }
  }
  return { name, state, total, succeeded, failed, error, results };
}

function malformed(): IllustrateError {
  return new IllustrateError('malformed', l10n.t('The API answered the batch request with something that is not a batch job. Check "illustrate.baseUrl".'));
}

interface Call {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Reads the successful answer (the response is only valid inside). */
  readonly read: (res: HttpResponse) => Promise<unknown>;
  readonly notFound?: () => IllustrateError;
}

/** One HTTP call to the batch endpoints, through the client's one exchange: the same refusals and messages. */
function call(endpoint: BatchEndpoint, c: Call, signal: AbortSignal, deps: BatchDeps, timeout = true): Promise<unknown> {
  return exchange(
    {
      method: c.method,
      url: c.url,
      headers: { ...authHeaders(endpoint.baseUrl, endpoint.authHeader, endpoint.apiKey), ...c.headers },
      body: c.body,
      baseUrl: endpoint.baseUrl,
      timeoutMs: timeout ? endpoint.timeoutMs : undefined,
      timeoutAdvice: l10n.t('Illustrate will ask again later.'),
      failure: (status, contentType, text) =>
        status === 404 && c.notFound ? c.notFound() : errorFromResponse(status, contentType, text, 'the batch job', endpoint.apiKey),
      expected: l10n.t('a batch job. Check "illustrate.baseUrl".'),
      read: async (res) => {
        try {
          return await c.read(res);
        } catch (e: unknown) {
          throw e instanceof JsonStreamError || e instanceof SyntaxError ? malformed() : e;
        }
      },
    },
    signal,
    deps.fetch,
  );
}

async function readJson(res: HttpResponse): Promise<unknown> {
  const text = await readCapped(res.body, MAX_OPERATION_BYTES + 1);
  if (text.length > MAX_OPERATION_BYTES) {
    throw malformed();
  }
  return JSON.parse(text) as unknown;
}

function noBatchApi(host: string): () => IllustrateError {
  return () =>
    new IllustrateError(
      'options',
      l10n.t('{0} does not offer Google\'s Batch API (HTTP 404). Fill the images without batch, or set "illustrate.baseUrl" to https://generativelanguage.googleapis.com.', host),
      { status: 404 },
    );
}

/** Uploads a JSONL file of requests through the Files API's resumable upload; returns `files/…`. */
async function upload(endpoint: BatchEndpoint, jsonl: string, displayName: string, signal: AbortSignal, deps: BatchDeps): Promise<string> {
  const root = apiBase(endpoint.baseUrl);
  const bytes = utf8Length(jsonl);
  const uploadUrl = (await call(
    endpoint,
    {
      method: 'POST',
      url: `${root}/upload/v1beta/files`,
      headers: {
        'Content-Type': 'application/json',
        'X-Goog-Upload-Protocol': 'resumable',
        'X-Goog-Upload-Command': 'start',
        'X-Goog-Upload-Header-Content-Length': String(bytes),
        'X-Goog-Upload-Header-Content-Type': 'application/jsonl',
      },
      body: JSON.stringify({ file: { display_name: displayName } }),
      read: async (res) => {
        await readCapped(res.body, MAX_ERROR_BYTES);
        return res.headers.get('x-goog-upload-url') ?? '';
      },
      notFound: noBatchApi(checkEndpoint(endpoint.baseUrl)),
    },
    signal,
    deps,
  )) as string;
  // The key goes with the upload: only to the endpoint the user chose.
  let target: URL;
  try {
    target = new URL(uploadUrl);
  } catch {
    throw malformed();
  }
  if (target.origin !== new URL(root).origin) {
    throw new IllustrateError('redirect', l10n.t('The API asked to upload the batch to {0}, another server than "illustrate.baseUrl". Illustrate did not send it there.', target.host));
  }
  const file = await call(
    endpoint,
    {
      method: 'POST',
      url: target.toString(),
      headers: { 'Content-Length': String(bytes), 'X-Goog-Upload-Offset': '0', 'X-Goog-Upload-Command': 'upload, finalize' },
      body: jsonl,
      read: readJson,
    },
    signal,
    deps,
  );
  const f = isRecord(file) && isRecord(file.file) ? file.file : file;
  const name = isRecord(f) && typeof f.name === 'string' ? f.name : '';
  if (!FILE_NAME.test(name)) {
    throw malformed();
  }
  return name;
}

/** Submits one job for `model`: inline while it is small, else as an uploaded JSONL file. */
export async function submitBatch(endpoint: BatchEndpoint, model: string, displayName: string, items: readonly BatchItem[], signal: AbortSignal, deps: BatchDeps): Promise<BatchStatus> {
  const host = checkEndpoint(endpoint.baseUrl);
  const lines = items.map((item) => JSON.stringify({ key: item.key, request: buildRequestBody(item.request) }));
  const inlineBytes = lines.reduce((n, l) => n + utf8Length(l), 0);
  const inline = items.length <= (deps.inlineMaxRequests ?? INLINE_MAX_REQUESTS) && inlineBytes < (deps.inlineMaxBytes ?? INLINE_MAX_BYTES);
  let inputConfig: Record<string, unknown>;
  if (inline) {
    inputConfig = { requests: { requests: items.map((item) => ({ request: buildRequestBody(item.request), metadata: { key: item.key } })) } };
  } else {
    inputConfig = { file_name: await upload(endpoint, lines.join('\n') + '\n', displayName, signal, deps) };
  }
  const op = await call(
    endpoint,
    {
      method: 'POST',
      url: `${apiBase(endpoint.baseUrl)}/v1beta/models/${encodeURIComponent(model)}:batchGenerateContent`,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ batch: { display_name: displayName, input_config: inputConfig } }),
      read: readJson,
      notFound: noBatchApi(host),
    },
    signal,
    deps,
  );
  return statusOf(op, endpoint.apiKey);
}

/** Cancels a job (Google keeps its state; the next poll says CANCELLED). */
export async function cancelBatch(endpoint: BatchEndpoint, name: string, signal: AbortSignal, deps: BatchDeps): Promise<void> {
  checkName(name);
  await call(endpoint, { method: 'POST', url: `${apiBase(endpoint.baseUrl)}/v1beta/${name}:cancel`, headers: { 'Content-Type': 'application/json' }, body: '{}', read: readJson, notFound: gone(name) }, signal, deps);
}

function gone(name: string): () => IllustrateError {
  return () => new IllustrateError('options', l10n.t('The API no longer knows the batch job {0} (HTTP 404): it may have been deleted, or it was sent with another key or endpoint.', name), { status: 404 });
}

function checkName(name: string): void {
  if (!BATCH_NAME.test(name)) {
    throw new IllustrateError('options', l10n.t('That is not a batch job name.'));
  }
}

/**
 * Polls a job. When it is done, its results are read, each answer handed to `onResult` in turn
 * (awaited: the next answer is read only then), from the operation or from the results file.
 */
export async function pollBatch(
  endpoint: BatchEndpoint,
  name: string,
  signal: AbortSignal,
  deps: BatchDeps,
  onResult: (result: BatchResult) => Promise<void>,
): Promise<BatchStatus> {
  checkName(name);
  const inlineAt: AnswerPath = ['response', 'inlinedResponses', 'inlinedResponses', '*', 'response'];
  const op = await call(
    endpoint,
    {
      method: 'GET',
      url: `${apiBase(endpoint.baseUrl)}/v1beta/${name}`,
      read: async (res) => {
        const parser = new JsonStreamParser(inlineAt);
        await feed(parser, res.body, MAX_INLINE_OPERATION_BYTES);
        return parser.end();
      },
      notFound: gone(name),
    },
    signal,
    deps,
  );
  const status = statusOf(op, endpoint.apiKey);
  if (isActive(status.state)) {
    return status;
  }
  if (status.results?.kind === 'inline') {
    const responses = (op as { response: { inlinedResponses: { inlinedResponses?: unknown } } }).response.inlinedResponses.inlinedResponses;
    const list = Array.isArray(responses) ? responses : [];
    for (let i = 0; i < list.length; i++) {
      const entry: unknown = list[i];
      await onResult(resultOf(entry, String(i), endpoint.apiKey));
    }
  } else if (status.results?.kind === 'file') {
    const file = status.results.file;
    await call(
      endpoint,
      {
        method: 'GET',
        url: `${apiBase(endpoint.baseUrl)}/download/v1beta/${file}:download?alt=media`,
        read: (res) => readResultsFile(res.body, endpoint.apiKey, onResult),
      },
      signal,
      deps,
      false,
    );
  }
  return status;
}

async function feed(parser: JsonStreamParser, body: AsyncIterable<Uint8Array> | null, max: number): Promise<void> {
  let size = 0;
  for await (const chunk of body ?? []) {
    size += chunk.byteLength;
    if (size > max) {
      throw tooLarge(max);
    }
    parser.write(chunk);
  }
}

function tooLarge(max: number): IllustrateError {
  return new IllustrateError('tooLarge', l10n.t('The batch\'s results were larger than {0} MB, so Illustrate stopped reading them. Check "illustrate.baseUrl".', Math.round(max / 1048576)));
}

/** The outcome of one result entry (`{ key | metadata.key, response | error }`). */
function resultOf(entry: unknown, fallbackKey: string, secret: string): BatchResult {
  const rec = isRecord(entry) ? entry : {};
  const meta = isRecord(rec.metadata) ? rec.metadata : {};
  const key = typeof rec.key === 'string' ? rec.key : typeof meta.key === 'string' ? meta.key : fallbackKey;
  if (isRecord(rec.error)) {
    const said = typeof rec.error.message === 'string' ? cleanServerText(rec.error.message, secret) : '';
    return { key, error: new IllustrateError('unexpected', l10n.t('Google\'s batch could not make this image{0}. Run the fill again to try it once more.', said ? `: "${said}"` : '')) };
  }
  const response = isRecord(rec.response) ? rec.response : undefined;
  const candidates = response && Array.isArray(response.candidates) ? response.candidates : [];
  const first: unknown = candidates[0];
  const content = isRecord(first) && isRecord(first.content) ? first.content : {};
  const image: ImageData | undefined = pickFinalImage(content.parts);
  try {
    return { key, answer: interpretAnswer(response, image) };
  } catch (e: unknown) {
    image?.release();
    return { key, error: e instanceof IllustrateError ? e : unexpected(e) };
  }
}

/**
 * Reads a JSONL results file line by line, each line through its own streaming parser (a raw
 * newline cannot occur inside a JSON value, so it ends a line), at most one answer in memory.
 */
async function readResultsFile(body: AsyncIterable<Uint8Array> | null, secret: string, onResult: (r: BatchResult) => Promise<void>): Promise<void> {
  let parser = new JsonStreamParser(['response']);
  let lineBytes = 0;
  let hasContent = false;
  let total = 0;
  let index = 0;
  const endLine = async (): Promise<void> => {
    if (hasContent) {
      const value = parser.end();
      await onResult(resultOf(value, String(index++), secret));
    }
    parser = new JsonStreamParser(['response']);
    lineBytes = 0;
    hasContent = false;
  };
  for await (const raw of body ?? []) {
    const chunk = raw;
    total += chunk.length;
    if (total > MAX_RESULTS_FILE_BYTES) {
      throw tooLarge(MAX_RESULTS_FILE_BYTES);
    }
    let from = 0;
    while (from < chunk.length) {
      const nl = chunk.indexOf(0x0a, from);
      const end = nl === -1 ? chunk.length : nl;
      const piece = chunk.subarray(from, end);
      if (!hasContent) {
        for (let i = 0; i < piece.length && !hasContent; i++) {
          hasContent = piece[i] !== 0x20 && piece[i] !== 0x0d && piece[i] !== 0x09;
        }
      }
      lineBytes += piece.length;
      if (lineBytes > MAX_ANSWER_BYTES) {
        throw tooLarge(MAX_ANSWER_BYTES);
      }
      parser.write(piece);
      if (nl === -1) {
        break;
      }
      await endLine();
      from = nl + 1;
    }
  }
  await endLine();
}
