/**
 * Replays answers recorded from the real Gemini API and real gateways (../shared/real-responses):
 * each file becomes the interactions a loopback server answers, in order, whatever is asked.
 */
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { load } from 'js-yaml';
import { SHARED } from '../fixtures/shared';

export const RECORDED = path.join(SHARED, 'real-responses');

export interface Interaction {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** A recorded file's answers: a cassette's interactions, or one body (status from the file name). */
export function interactions(file: string): Interaction[] {
  const text = fs.readFileSync(path.join(RECORDED, file), 'utf8');
  if (file.endsWith('.yaml')) {
    const cassette = load(text) as { interactions: { response: { status: { code: number }; parsed_body?: unknown; body?: { string?: string } } }[] };
    return cassette.interactions.map((i) => ({
      status: i.response.status.code,
      contentType: i.response.parsed_body !== undefined ? 'application/json' : 'text/event-stream',
      body: i.response.parsed_body !== undefined ? JSON.stringify(i.response.parsed_body) : (i.response.body?.string ?? ''),
    }));
  }
  const status = Number(/error-(\d{3})/.exec(file)?.[1] ?? 200);
  if (file.endsWith('.chunks.txt')) {
    // One streamed chunk per line, as a server-sent-events body.
    const body = text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => `data: ${l}\r\n\r\n`)
      .join('');
    return [{ status, contentType: 'text/event-stream', body }];
  }
  // The Firebase test data is an HTTP message body with its JSON inside; the rest are bodies.
  return [{ status, contentType: 'application/json', body: text }];
}

/** A loopback server that answers each request with the next interaction (the last one again after the end). */
export class Replay {
  private server: http.Server | undefined;
  private next = 0;
  readonly seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[] = [];

  constructor(private readonly answers: readonly Interaction[]) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      req.resume();
      req.on('end', () => {
        const a = this.answers[Math.min(this.next++, this.answers.length - 1)];
        res.writeHead(a.status, { 'content-type': a.contentType }).end(a.body);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
