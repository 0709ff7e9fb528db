import fetch from 'node-fetch';
import { HttpFetch } from '../core/client';

/** The real HTTP client: node-fetch, whose body is a Node stream the parser reads as it arrives. */
export const nodeFetch: HttpFetch = async (url, init) => {
  const res = await fetch(url, init);
  return {
    status: res.status,
    ok: res.ok,
    headers: res.headers,
    // A Node Readable of Buffers (no encoding is ever set on it).
    body: res.body as AsyncIterable<Uint8Array> | null,
    text: () => res.text(),
  };
};
