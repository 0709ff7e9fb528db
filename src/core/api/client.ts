import { concatBytes, fromUtf8 } from '../bytes';
import * as l10n from '@vscode/l10n';
import { cancelled, IllustrateError, unexpectedMessage } from '../errors';
import { errorFromResponse } from './httpErrors';
import { AuthHeaderStyle, authHeaders, buildRequestBody, endpointUrl, ImageRequest } from './request';
import { ParsedAnswer, parseAnswerStream } from './response';

/** The slice of fetch the client uses; node-fetch and undici both fit. */
export interface HttpResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  readonly body: AsyncIterable<Uint8Array> | null;
}
export type HttpFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
) => Promise<HttpResponse>;

export interface ClientConfig {
  readonly baseUrl: string;
  readonly authHeader: AuthHeaderStyle;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly maxAttempts?: number;
  /** Longest server-asked wait before a retry; longer waits stop with the quota message. */
  readonly maxRetryDelayMs?: number;
  /** false: a 429 is not retried here but thrown, for a caller that paces its requests itself. */
  readonly retryRateLimited?: boolean;
  /** Cap on the answer's bytes after decompression (tests lower it). */
  readonly maxAnswerBytes?: number;
}

export type ProgressEvent =
  | { readonly kind: 'sending'; readonly attempt: number }
  | { readonly kind: 'waiting'; readonly attempt: number; readonly seconds: number; readonly reason: string }
  | { readonly kind: 'receiving'; readonly bytes: number };

export interface ClientDeps {
  readonly fetch: HttpFetch;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly log?: (line: string) => void;
}

export interface GenerateOutcome {
  readonly answer: ParsedAnswer;
  readonly attempts: number;
  readonly status: number;
  readonly durationMs: number;
  readonly requestBytes: number;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(cancelled());
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}


/** Backoff before retry `attempt` (1-based): 1 s, 2 s, 4 s … with ±50 % jitter, at most 10 s. */
export function backoffMs(attempt: number, random: () => number): number {
  const base = Math.min(10_000, 1000 * 2 ** (attempt - 1));
  return Math.round(base * (0.5 + random()));
}

/** Bytes of an answer read after decompression; a real 4K answer is at most about 35 MB. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
/** Bytes of an error answer read; the rest is never downloaded. */
export const MAX_ERROR_BYTES = 256 * 1024;

/**
 * Checks the endpoint before any key is sent: a valid URL, and https unless it is this machine
 * (a local proxy or the test server). Returns the host for messages.
 */
export function checkEndpoint(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new IllustrateError('options', l10n.t('"illustrate.baseUrl" is not a valid URL: "{0}". Set it to the API\'s address, such as https://api.apiyi.com.', baseUrl));
  }
  if (url.protocol === 'https:') {
    return url.host;
  }
  if (url.protocol === 'http:' && isLoopback(url.hostname)) {
    return url.host;
  }
  throw new IllustrateError(
    'options',
    l10n.t('"illustrate.baseUrl" is {0}//{1}, which would send your API key unencrypted. Use an https:// address (plain http is allowed only for this machine, such as http://127.0.0.1).', url.protocol, url.host),
  );
}

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The body as text, at most `max` bytes of it; the rest is never read. */
export async function readCapped(body: AsyncIterable<Uint8Array> | null, max: number): Promise<string> {
  if (!body) {
    return '';
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = max - size;
    parts.push(chunk.subarray(0, Math.min(chunk.byteLength, room)));
    size += Math.min(chunk.byteLength, room);
    if (size >= max) {
      break;
    }
  }
  return fromUtf8(concatBytes(parts));
}

/** Passes the body on, and stops it with a clear error once it is larger than `max` bytes. */
async function* capped(body: AsyncIterable<Uint8Array>, max: number): AsyncIterable<Uint8Array> {
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > max) {
      throw new IllustrateError(
        'tooLarge',
        l10n.t('The answer was larger than {0} MB, more than any real image needs, so Illustrate stopped reading it and saved nothing. Check "illustrate.baseUrl".', Math.round(max / 1048576)),
      );
    }
    yield chunk;
  }
}

/** One generateContent call with retries; cancel through `signal`. Throws IllustrateError only. */
export async function generateImage(config: ClientConfig, request: ImageRequest, signal: AbortSignal, deps: ClientDeps): Promise<GenerateOutcome> {
  const url = endpointUrl(config.baseUrl, request.options.model);
  const body = JSON.stringify(buildRequestBody(request));
  const headers = { 'Content-Type': 'application/json', ...authHeaders(config.baseUrl, config.authHeader, config.apiKey) };
  const started = Date.now();
  // A bad endpoint is refused before the first attempt (and its wait).
  checkEndpoint(config.baseUrl);
  const { value, attempts } = await withRetries(config, request.options.model, signal, deps, () => attempt1(url, headers, body, config, request.options.model, signal, deps));
  return { answer: value.answer, status: value.status, attempts, durationMs: Date.now() - started, requestBytes: body.length };
}

/**
 * Runs `once` until it succeeds, with the client's retry rules: only retryable failures, at most
 * `config.maxAttempts`, waiting what a 429 asks (a wait beyond `maxRetryDelayMs` is the quota
 * message) or a jittered backoff; a rate limit comes back at once when `retryRateLimited` is false.
 */
export async function withRetries<T>(config: ClientConfig, model: string, signal: AbortSignal, deps: Omit<ClientDeps, 'fetch'>, once: () => Promise<T>): Promise<{ value: T; attempts: number }> {
  const sleep = deps.sleep ?? abortableSleep;
  const random = deps.random ?? Math.random;
  const maxAttempts = config.maxAttempts ?? 3;
  const maxRetryDelayMs = config.maxRetryDelayMs ?? 60_000;
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) {
      throw cancelled();
    }
    deps.onProgress?.({ kind: 'sending', attempt });
    try {
      return { value: await once(), attempts: attempt };
    } catch (e: unknown) {
      const error = e instanceof IllustrateError ? e : unexpected(e);
      deps.log?.(`attempt ${attempt} failed: ${error.kind}${error.detail.status ? ` (HTTP ${error.detail.status})` : ''}`);
      // A caller that paces many requests itself (the fill) hears of a rate limit at once.
      if (!error.retryable || attempt >= maxAttempts || (error.kind === 'rateLimited' && config.retryRateLimited === false)) {
        throw error;
      }
      let waitMs: number;
      if (error.kind === 'rateLimited' && error.detail.retryDelayMs !== undefined) {
        if (error.detail.retryDelayMs > maxRetryDelayMs) {
          throw new IllustrateError(
            'quota',
            l10n.t('Quota reached for {0}: the API asks to wait {1} s. Try again later, or use a key with more quota.', model, Math.ceil(error.detail.retryDelayMs / 1000)),
            error.detail,
          );
        }
        waitMs = error.detail.retryDelayMs;
      } else {
        waitMs = backoffMs(attempt, random);
      }
      deps.onProgress?.({ kind: 'waiting', attempt, seconds: Math.ceil(waitMs / 1000), reason: error.kind });
      await sleep(waitMs, signal);
    }
  }
}

/** One HTTP exchange: what to send, and how to read the answer or name its failure. */
export interface Exchange<T> {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** The endpoint setting, for the host in messages and a redirect's target. */
  readonly baseUrl: string;
  /** Undefined: no limit for the whole exchange (a long download). */
  readonly timeoutMs?: number;
  /** What a timeout says to do next. */
  readonly timeoutAdvice: string;
  /** The error for an answer that is not 2xx, from its (capped) text. */
  readonly failure: (status: number, contentType: string, text: string) => IllustrateError;
  /** What was expected instead of a web page, and what to check (ends the message). */
  readonly expected: string;
  /**
   * Reads a 2xx answer; its own failures are IllustrateErrors, anything else is the network's.
   * `stop` cuts the connection off, for a reader that goes on reading after it has answered.
   */
  readonly read: (res: HttpResponse, stop: () => void) => Promise<T>;
}

/**
 * The one way Illustrate talks HTTP: cancel through `signal`, a timeout, redirects refused, error
 * bodies read up to a cap (the rest never downloaded), and every failure as one IllustrateError.
 */
export async function exchange<T>(x: Exchange<T>, signal: AbortSignal, fetch: HttpFetch): Promise<T> {
  const host = checkEndpoint(x.baseUrl);
  if (signal.aborted) {
    throw cancelled();
  }
  const controller = new AbortController();
  let timedOut = false;
  const timer =
    x.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, x.timeoutMs);
  const onAbort = (): void => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const stopReason = (): IllustrateError | undefined => {
    if (signal.aborted) {
      return cancelled();
    }
    if (timedOut) {
      return new IllustrateError('timeout', l10n.t('The API did not answer within {0} s, so Illustrate stopped waiting. {1}', Math.round((x.timeoutMs ?? 0) / 1000), x.timeoutAdvice));
    }
    return undefined;
  };
  try {
    let res: HttpResponse;
    try {
      res = await fetch(x.url, { method: x.method, headers: x.headers, body: x.body, signal: controller.signal });
    } catch (e: unknown) {
      throw stopReason() ?? networkError(e, host);
    }
    const contentType = res.headers.get('content-type') ?? '';
    if (res.status >= 300 && res.status < 400) {
      controller.abort();
      throw redirected(res.status, res.headers.get('location'), x.baseUrl, host);
    }
    if (!res.ok) {
      let text = '';
      try {
        text = await readCapped(res.body, MAX_ERROR_BYTES);
      } catch {
        text = '';
      }
      // Whatever is left of a large error page is not downloaded.
      controller.abort();
      throw stopReason() ?? x.failure(res.status, contentType, text);
    }
    if (/html/i.test(contentType) || !res.body) {
      controller.abort();
      throw new IllustrateError('malformed', l10n.t('The server at {0} answered with a web page instead of {1}', host, x.expected), { status: res.status });
    }
    try {
      return await x.read(res, () => controller.abort());
    } catch (e: unknown) {
      if (e instanceof IllustrateError) {
        // A size limit or a bad answer: the rest is not read.
        controller.abort();
        throw stopReason() ?? e;
      }
      throw stopReason() ?? networkError(e, host);
    }
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

function attempt1(url: string, headers: Record<string, string>, body: string, config: ClientConfig, model: string, signal: AbortSignal, deps: ClientDeps): Promise<{ answer: ParsedAnswer; status: number }> {
  let received = 0;
  return exchange(
    {
      method: 'POST',
      url,
      headers,
      body,
      baseUrl: config.baseUrl,
      timeoutMs: config.timeoutMs,
      timeoutAdvice: l10n.t('Try again, pick a smaller size, or raise "illustrate.requestTimeoutSeconds".'),
      failure: (status, contentType, text) => errorFromResponse(status, contentType, text, model, config.apiKey),
      expected: l10n.t('an image. Check "illustrate.baseUrl": it should be the API\'s address, such as https://api.apiyi.com.'),
      read: async (res, stop) => {
        const answer = await parseAnswerStream(
          capped(res.body!, config.maxAnswerBytes ?? MAX_ANSWER_BYTES),
          (n) => {
            received += n;
            deps.onProgress?.({ kind: 'receiving', bytes: received });
          },
          stop,
        );
        return { answer, status: res.status };
      },
    },
    signal,
    deps.fetch,
  );
}

function redirected(status: number, location: string | null, baseUrl: string, host: string): IllustrateError {
  let where = l10n.t('another address');
  try {
    where = new URL(location ?? '', baseUrl).host || where;
  } catch {
    // a Location that is not a URL: say so without repeating it
  }
  return new IllustrateError(
    'redirect',
    l10n.t('The server at {0} answered with a redirect (HTTP {1}) to {2}. Illustrate does not follow redirects, so your key and prompt were not sent there. "illustrate.baseUrl" may be out of date: set it to the API\'s current address.', host, status, where),
    { status },
  );
}

/** A bug, not a network failure: never retried, shown as one line, logged with its stack by the caller. */
export function unexpected(e: unknown): IllustrateError {
  return new IllustrateError('unexpected', unexpectedMessage(), {}, e);
}

/** Errors raised by sockets and streams carry a string code (ECONNRESET, ERR_STREAM_PREMATURE_CLOSE …). */
function isNetworkFailure(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) {
    return false;
  }
  const { code, name, type } = e as { code?: unknown; name?: unknown; type?: unknown };
  return (typeof code === 'string' && /^(E[A-Z]+|ERR_|UND_ERR)/.test(code)) || name === 'AbortError' || (name === 'FetchError' && type === 'system');
}

function networkError(e: unknown, host: string): IllustrateError {
  if (!isNetworkFailure(e)) {
    return unexpected(e);
  }
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  if (code === 'ERR_BROWSER_FETCH') {
    // In a browser a refused cross-origin call and a dead network look the same.
    return new IllustrateError(
      'network',
      l10n.t('Could not reach {0} from the browser: the network failed, or the endpoint does not allow calls from a web page (CORS). In vscode.dev and github.dev, set "illustrate.baseUrl" to an endpoint that allows cross-origin requests, such as https://generativelanguage.googleapis.com, or to a gateway that sends CORS headers.', host),
    );
  }
  const why =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? l10n.t('the host name could not be found')
      : code === 'ECONNREFUSED'
        ? l10n.t('the connection was refused')
        : code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE'
          ? l10n.t('the connection was reset')
          : l10n.t('the network failed');
  return new IllustrateError('network', l10n.t('Could not reach {0}: {1}. Check your connection, proxy and "illustrate.baseUrl", then try again.', host, why));
}
