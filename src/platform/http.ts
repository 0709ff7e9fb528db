import fetch from 'node-fetch';
import { HttpFetch } from '../core/client';

/** The real HTTP client: node-fetch, whose body is a Node stream the parser reads as it arrives. */
export const nodeFetch: HttpFetch = async (url, init) => {
  const res = await fetch(url, init);
  return {
    status: res.status,
    ok: res.ok,
    headers: res.headers,
    body: res.body,
    text: () => res.text(),
  };
};
