/**
 * HTTP in the browser (vscode.dev, github.dev, Codespaces' web client): the global fetch, its body
 * read as a stream (the answer is still decoded as it arrives), redirects never followed. The
 * browser hides why a request failed; the message says it may be the endpoint's CORS policy.
 */
import { HttpFetch } from '../core/api/client';

/** Marks a failure the browser reports without a reason: no connection, or a CORS refusal. */
function browserFailure(e: unknown, during: 'request' | 'body'): Error {
  if (e instanceof DOMException && e.name === 'AbortError') {
    return e;
  }
  const failure = new Error(e instanceof Error ? e.message : String(e)) as Error & { code: string };
  failure.code = during === 'request' ? 'ERR_BROWSER_FETCH' : 'ERR_STREAM_PREMATURE_CLOSE';
  return failure;
}

async function* chunks(body: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const next = await reader.read().catch((e: unknown) => {
        throw browserFailure(e, 'body');
      });
      if (next.done) {
        return;
      }
      yield next.value;
    }
  } finally {
    // Stopping early (a cap, a cancel) releases the connection.
    void reader.cancel().catch(() => undefined);
  }
}

export const httpFetch: HttpFetch = async (url, init) => {
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: 'manual', credentials: 'omit' });
  } catch (e: unknown) {
    throw browserFailure(e, 'request');
  }
  if (res.type === 'opaqueredirect') {
    // The browser hides a redirect's status and target; it is refused all the same.
    return { status: 307, ok: false, headers: { get: () => null }, body: null };
  }
  return { status: res.status, ok: res.ok, headers: res.headers, body: res.body ? chunks(res.body) : null };
};
