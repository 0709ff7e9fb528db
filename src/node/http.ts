import fetch from 'node-fetch';
import { HttpFetch } from '../core/api/client';

/**
 * The real HTTP client: node-fetch, whose body is a Node stream the parser reads as it arrives.
 * Redirects are never followed: following one would re-send the key and the body to another server.
 */
export const nodeFetch: HttpFetch = async (url, init) => {
  const res = await fetch(url, { ...init, redirect: 'manual', follow: 0 });
  return {
    status: res.status,
    ok: res.ok,
    headers: res.headers,
    // A Node Readable of Buffers (no encoding is ever set on it).
    body: res.body as AsyncIterable<Uint8Array> | null,
  };
};

/** The HTTP client of this build (the web build has its own, over the browser's fetch). */
export const httpFetch = nodeFetch;
