import { errorFromResponse, IllustrateError } from './errors';
import { AuthHeaderStyle, authHeaders, buildRequestBody, endpointUrl, ImageRequest } from './request';
import { ParsedAnswer, parseAnswerStream } from './response';

/** The slice of fetch the client uses; node-fetch and undici both fit. */
export interface HttpResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  readonly body: AsyncIterable<Uint8Array> | null;
  text(): Promise<string>;
}
export type HttpFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<HttpResponse>;

export interface ClientConfig {
  readonly baseUrl: string;
  readonly authHeader: AuthHeaderStyle;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly maxAttempts?: number;
  /** Longest server-asked wait before a retry; longer waits stop with the quota message. */
  readonly maxRetryDelayMs?: number;
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

export function cancelled(): IllustrateError {
  return new IllustrateError('cancelled', 'Image generation was cancelled. Nothing was saved.');
}

/** Backoff before retry `attempt` (1-based): 1 s, 2 s, 4 s … with ±50 % jitter, at most 10 s. */
export function backoffMs(attempt: number, random: () => number): number {
  const base = Math.min(10_000, 1000 * 2 ** (attempt - 1));
  return Math.round(base * (0.5 + random()));
}

const MAX_ERROR_BODY = 256 * 1024;

/** One generateContent call with retries; cancel through `signal`. Throws IllustrateError only. */
export async function generateImage(config: ClientConfig, request: ImageRequest, signal: AbortSignal, deps: ClientDeps): Promise<GenerateOutcome> {
  const sleep = deps.sleep ?? abortableSleep;
  const random = deps.random ?? Math.random;
  const maxAttempts = config.maxAttempts ?? 3;
  const maxRetryDelayMs = config.maxRetryDelayMs ?? 60_000;
  const url = endpointUrl(config.baseUrl, request.options.model);
  const body = JSON.stringify(buildRequestBody(request));
  const headers = { 'Content-Type': 'application/json', ...authHeaders(config.baseUrl, config.authHeader, config.apiKey) };
  const started = Date.now();
  let host = config.baseUrl;
  try {
    host = new URL(config.baseUrl).host;
  } catch {
    throw new IllustrateError('options', `"illustrate.baseUrl" is not a valid URL: "${config.baseUrl}". Set it to the API's address, such as https://api.apiyi.com.`);
  }

  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) {
      throw cancelled();
    }
    deps.onProgress?.({ kind: 'sending', attempt });
    try {
      const { answer, status } = await attempt1(url, headers, body, config, request.options.model, signal, deps, host);
      return { answer, status, attempts: attempt, durationMs: Date.now() - started, requestBytes: body.length };
    } catch (e: unknown) {
      const error = e instanceof IllustrateError ? e : new IllustrateError('malformed', 'The API answer could not be read. Try again.');
      deps.log?.(`attempt ${attempt} failed: ${error.kind}${error.detail.status ? ` (HTTP ${error.detail.status})` : ''}`);
      if (!error.retryable || attempt >= maxAttempts) {
        throw error;
      }
      let waitMs: number;
      if (error.kind === 'rateLimited' && error.detail.retryDelayMs !== undefined) {
        if (error.detail.retryDelayMs > maxRetryDelayMs) {
          throw new IllustrateError(
            'quota',
            `Quota reached for ${request.options.model}: the API asks to wait ${Math.ceil(error.detail.retryDelayMs / 1000)} s. Try again later, or use a key with more quota.`,
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

async function attempt1(
  url: string,
  headers: Record<string, string>,
  body: string,
  config: ClientConfig,
  model: string,
  signal: AbortSignal,
  deps: ClientDeps,
  host: string,
): Promise<{ answer: ParsedAnswer; status: number }> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, config.timeoutMs);
  const onAbort = (): void => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const stopReason = (): IllustrateError | undefined => {
    if (signal.aborted) {
      return cancelled();
    }
    if (timedOut) {
      return new IllustrateError(
        'timeout',
        `The API did not answer within ${Math.round(config.timeoutMs / 1000)} s, so Illustrate stopped waiting. Try again, pick a smaller size, or raise "illustrate.requestTimeoutSeconds".`,
      );
    }
    return undefined;
  };
  try {
    let res: HttpResponse;
    try {
      res = await deps.fetch(url, { method: 'POST', headers, body, signal: controller.signal });
    } catch (e: unknown) {
      throw stopReason() ?? networkError(e, host);
    }
    const contentType = res.headers.get('content-type') ?? '';
    if (!res.ok) {
      let text = '';
      try {
        text = (await res.text()).slice(0, MAX_ERROR_BODY);
      } catch {
        text = '';
      }
      throw stopReason() ?? errorFromResponse(res.status, contentType, text, model, config.apiKey);
    }
    if (/html/i.test(contentType) || !res.body) {
      throw new IllustrateError(
        'malformed',
        `The server at ${host} answered with a web page instead of an image. Check "illustrate.baseUrl": it should be the API's address, such as https://api.apiyi.com.`,
        { status: res.status },
      );
    }
    let received = 0;
    try {
      const answer = await parseAnswerStream(res.body, (n) => {
        received += n;
        deps.onProgress?.({ kind: 'receiving', bytes: received });
      });
      return { answer, status: res.status };
    } catch (e: unknown) {
      throw stopReason() ?? (e instanceof IllustrateError ? e : networkError(e, host));
    }
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

function networkError(e: unknown, host: string): IllustrateError {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const why =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? 'the host name could not be found'
      : code === 'ECONNREFUSED'
        ? 'the connection was refused'
        : code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE'
          ? 'the connection was reset'
          : 'the network failed';
  return new IllustrateError('network', `Could not reach ${host}: ${why}. Check your connection, proxy and "illustrate.baseUrl", then try again.`);
}
