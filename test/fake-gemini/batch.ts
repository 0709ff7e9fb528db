/**
 * The stand-in's Batch API and Files API (GEMINI-API.md, "Batch mode"): jobs submitted inline or
 * from an uploaded JSONL file, polled through their states, cancelled, and their results given
 * back inline in the operation or as a JSONL results file to download.
 */
import { randomBytes } from 'crypto';
import * as http from 'http';
import { googleError, rec } from './shapes';

/**
 * How the next polls of a job go. auto: RUNNING, then SUCCEEDED (each request answered as
 * generateContent would, a failed one as an error entry). hold: stays PENDING. expire / fail /
 * cancel: the job ends so.
 */
export type BatchPlan = 'auto' | 'hold' | 'expire' | 'fail';

/** What the server lends the batch endpoints: its key check and its answers. */
export interface BatchHost {
  url(): string;
  validKey(): string | undefined;
  /** The model's spec if the server serves it, and the generateContent answer (or error) for one request. */
  answerFor(model: string, body: unknown): { ok: true; answer: unknown } | { ok: false; code: number; status: string; message: string } | undefined;
  record(url: string, status: number, keyMatched: boolean, body?: unknown): void;
}

interface Job {
  readonly id: string;
  readonly model: string;
  readonly displayName: string;
  readonly requests: readonly { key: string; body: unknown }[];
  readonly fromFile: boolean;
  state: 'BATCH_STATE_PENDING' | 'BATCH_STATE_RUNNING' | 'BATCH_STATE_SUCCEEDED' | 'BATCH_STATE_FAILED' | 'BATCH_STATE_CANCELLED' | 'BATCH_STATE_EXPIRED';
  polls: number;
  results?: { key: string; response?: unknown; error?: unknown }[];
  resultsFile?: string;
  readonly createTime: string;
}

const INLINE_LIMIT = 20 * 1024 * 1024;

export class FakeBatches {
  plan: BatchPlan = 'auto';
  readonly jobs = new Map<string, Job>();
  private readonly files = new Map<string, Buffer>();
  private readonly uploads = new Map<string, { length: number; displayName: string }>();

  constructor(private readonly host: BatchHost) {}

  reset(): void {
    this.plan = 'auto';
    this.jobs.clear();
    this.files.clear();
    this.uploads.clear();
  }

  /** Handles a batch or file endpoint; false when the path is none of them. */
  handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL, raw: Buffer): boolean {
    const path = url.pathname;
    const submit = /^\/v1beta\/models\/([^/:]+):batchGenerateContent$/.exec(path);
    const get = /^\/v1beta\/batches\/([A-Za-z0-9_-]+)$/.exec(path);
    const cancel = /^\/v1beta\/batches\/([A-Za-z0-9_-]+):cancel$/.exec(path);
    const download = /^\/download\/v1beta\/files\/([A-Za-z0-9_-]+):download$/.exec(path);
    const isUpload = path === '/upload/v1beta/files';
    if (!submit && !get && !cancel && !download && !isUpload) {
      return false;
    }
    const key = req.headers['x-goog-api-key'];
    const keyMatched = this.host.validKey() === undefined || key === this.host.validKey();
    const reply = (status: number, body: string | Buffer, headers: Record<string, string> = {}): void => {
      this.host.record(`${path}${url.search}`, status, keyMatched);
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers }).end(body);
    };
    if (typeof key !== 'string') {
      reply(403, googleError(403, 'PERMISSION_DENIED', "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."));
      return true;
    }
    if (!keyMatched) {
      reply(400, googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.'));
      return true;
    }
    if (isUpload) {
      this.upload(req, url, raw, reply);
    } else if (submit && req.method === 'POST') {
      this.submit(decodeURIComponent(submit[1]), raw, reply);
    } else if (get && req.method === 'GET') {
      const job = this.jobs.get(get[1]);
      if (!job) {
        reply(404, googleError(404, 'NOT_FOUND', `Batch batches/${get[1]} not found.`));
        return true;
      }
      this.advance(job);
      reply(200, JSON.stringify(this.operation(job), null, 2));
    } else if (cancel && req.method === 'POST') {
      const job = this.jobs.get(cancel[1]);
      if (!job) {
        reply(404, googleError(404, 'NOT_FOUND', `Batch batches/${cancel[1]} not found.`));
        return true;
      }
      if (job.state === 'BATCH_STATE_PENDING' || job.state === 'BATCH_STATE_RUNNING') {
        job.state = 'BATCH_STATE_CANCELLED';
      }
      reply(200, '{}');
    } else if (download && req.method === 'GET' && url.searchParams.get('alt') === 'media') {
      const file = this.files.get(download[1]);
      if (!file) {
        reply(404, googleError(404, 'NOT_FOUND', `File files/${download[1]} not found.`));
        return true;
      }
      reply(200, file, { 'content-type': 'application/octet-stream' });
    } else {
      reply(404, googleError(404, 'NOT_FOUND', `Method not found.`));
    }
    return true;
  }

  /** The Files API's resumable upload: `start` gives an upload URL, `upload, finalize` sends the bytes. */
  private upload(req: http.IncomingMessage, url: URL, raw: Buffer, reply: (status: number, body: string, headers?: Record<string, string>) => void): void {
    const command = String(req.headers['x-goog-upload-command'] ?? '');
    const id = url.searchParams.get('upload_id');
    if (!id && command === 'start' && req.headers['x-goog-upload-protocol'] === 'resumable') {
      const length = Number(req.headers['x-goog-upload-header-content-length']);
      const uploadId = randomBytes(6).toString('hex');
      const displayName = String(rec(rec(JSON.parse(raw.toString('utf8') || '{}'))?.file)?.display_name ?? '');
      this.uploads.set(uploadId, { length, displayName });
      reply(200, '', { 'x-goog-upload-url': `${this.host.url()}/upload/v1beta/files?upload_id=${uploadId}`, 'x-goog-upload-status': 'active' });
      return;
    }
    const pending = id ? this.uploads.get(id) : undefined;
    if (!pending || !/upload/.test(command) || !/finalize/.test(command) || req.headers['x-goog-upload-offset'] !== '0') {
      reply(400, googleError(400, 'INVALID_ARGUMENT', 'Bad upload request.'));
      return;
    }
    if (raw.length !== pending.length) {
      reply(400, googleError(400, 'INVALID_ARGUMENT', `Upload size ${raw.length} does not match the declared ${pending.length}.`));
      return;
    }
    this.uploads.delete(id!);
    const name = randomBytes(6).toString('hex');
    this.files.set(name, raw);
    reply(200, JSON.stringify({ file: { name: `files/${name}`, displayName: pending.displayName, mimeType: 'application/jsonl', sizeBytes: String(raw.length), state: 'ACTIVE', uri: `${this.host.url()}/v1beta/files/${name}` } }));
  }

  private submit(model: string, raw: Buffer, reply: (status: number, body: string) => void): void {
    let body: Record<string, unknown> | undefined;
    try {
      body = rec(JSON.parse(raw.toString('utf8')));
    } catch {
      body = undefined;
    }
    const batch = rec(body?.batch);
    const input = rec(batch?.input_config ?? batch?.inputConfig);
    const displayName = batch?.display_name ?? batch?.displayName;
    if (!batch || !input || typeof displayName !== 'string') {
      reply(400, googleError(400, 'INVALID_ARGUMENT', '* BatchGenerateContentRequest.batch.display_name: required; batch.input_config: required.'));
      return;
    }
    let requests: { key: string; body: unknown }[];
    const fileName = input.file_name ?? input.fileName;
    if (typeof fileName === 'string') {
      const file = this.files.get(fileName.replace(/^files\//, ''));
      if (!file) {
        reply(400, googleError(400, 'INVALID_ARGUMENT', `File ${fileName} not found.`));
        return;
      }
      requests = file
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l, i) => {
          const line = rec(JSON.parse(l));
          return { key: typeof line?.key === 'string' ? line.key : String(i), body: line?.request };
        });
    } else {
      if (raw.length > INLINE_LIMIT) {
        reply(400, googleError(400, 'INVALID_ARGUMENT', 'Inline batch requests must be under 20 MB in total; use a file.'));
        return;
      }
      const list = rec(input.requests)?.requests;
      if (!Array.isArray(list) || list.length === 0) {
        reply(400, googleError(400, 'INVALID_ARGUMENT', '* batch.input_config.requests.requests: must not be empty.'));
        return;
      }
      requests = list.map((r, i) => {
        const item = rec(r);
        const key = rec(item?.metadata)?.key;
        return { key: typeof key === 'string' ? key : String(i), body: item?.request };
      });
    }
    if (!this.host.answerFor(model, requests[0].body)) {
      reply(404, googleError(404, 'NOT_FOUND', `models/${model} is not found for API version v1beta, or is not supported for batchGenerateContent.`));
      return;
    }
    const id = randomBytes(8).toString('hex');
    const job: Job = { id, model, displayName, requests, fromFile: typeof fileName === 'string', state: 'BATCH_STATE_PENDING', polls: 0, createTime: new Date().toISOString() };
    this.jobs.set(id, job);
    reply(200, JSON.stringify(this.operation(job), null, 2));
  }

  /** One poll's worth of progress, as the plan says. */
  private advance(job: Job): void {
    if (job.state !== 'BATCH_STATE_PENDING' && job.state !== 'BATCH_STATE_RUNNING') {
      return;
    }
    job.polls++;
    switch (this.plan) {
      case 'hold':
        return;
      case 'expire':
        job.state = 'BATCH_STATE_EXPIRED';
        return;
      case 'fail':
        job.state = 'BATCH_STATE_FAILED';
        return;
      default:
        if (job.state === 'BATCH_STATE_PENDING') {
          job.state = 'BATCH_STATE_RUNNING';
          return;
        }
        this.run(job);
    }
  }

  private run(job: Job): void {
    job.results = job.requests.map(({ key, body }) => {
      const out = this.host.answerFor(job.model, body);
      if (!out) {
        return { key, error: { code: 5, message: `models/${job.model} is not found.`, status: 'NOT_FOUND' } };
      }
      return out.ok ? { key, response: out.answer } : { key, error: { code: out.code, message: out.message, status: out.status } };
    });
    job.state = 'BATCH_STATE_SUCCEEDED';
    if (job.fromFile) {
      const name = `batch-results-${job.id}`;
      this.files.set(name, Buffer.from(job.results.map((r) => JSON.stringify(r)).join('\n') + '\n'));
      job.resultsFile = `files/${name}`;
    }
  }

  private operation(job: Job): Record<string, unknown> {
    const failed = job.results?.filter((r) => r.error).length ?? 0;
    const succeeded = job.results ? job.results.length - failed : 0;
    const total = job.requests.length;
    const done = !['BATCH_STATE_PENDING', 'BATCH_STATE_RUNNING'].includes(job.state);
    const stats: Record<string, string> = { requestCount: String(total) };
    if (job.results) {
      stats.successfulRequestCount = String(succeeded);
      if (failed) {
        stats.failedRequestCount = String(failed);
      }
    } else if (!done) {
      stats.pendingRequestCount = String(total);
    }
    const op: Record<string, unknown> = {
      name: `batches/${job.id}`,
      metadata: {
        '@type': 'type.googleapis.com/google.ai.generativelanguage.v1beta.GenerateContentBatch',
        model: `models/${job.model}`,
        displayName: job.displayName,
        createTime: job.createTime,
        updateTime: new Date().toISOString(),
        batchStats: stats,
        state: job.state,
        name: `batches/${job.id}`,
      },
    };
    if (done) {
      op.done = true;
    }
    if (job.state === 'BATCH_STATE_FAILED') {
      op.error = { code: 13, message: 'The batch job failed: an internal error occurred while processing it.' };
    }
    if (job.state === 'BATCH_STATE_SUCCEEDED') {
      op.response = job.resultsFile
        ? { '@type': 'type.googleapis.com/google.ai.generativelanguage.v1beta.GenerateContentBatchOutput', responsesFile: job.resultsFile }
        : {
            '@type': 'type.googleapis.com/google.ai.generativelanguage.v1beta.GenerateContentBatchOutput',
            inlinedResponses: { inlinedResponses: job.results!.map((r) => (r.error ? { error: r.error, metadata: { key: r.key } } : { response: r.response, metadata: { key: r.key } })) },
          };
    }
    return op;
  }
}
