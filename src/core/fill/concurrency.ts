/**
 * How many requests a batch of generations runs at once, adapting to the server. It starts at one
 * and grows by one with each round of successes up to the maximum, so it meets a server's limit
 * with one request too many, not a burst. A rate limit (429)
 * halves it, pauses new starts for the wait the server asked for, and sets a ceiling just below
 * the number in flight when it came, so the run does not knock at that limit again; successes
 * raise it again, one at a time, up to that ceiling (additive increase, multiplicative decrease).
 */
export class AdaptiveLimit {
  current = 1;
  /** No new request starts before this time (ms since the epoch). */
  pausedUntil = 0;
  private ceiling: number;
  private successes = 0;

  constructor(readonly max: number) {
    this.ceiling = Math.max(1, Math.floor(max));
  }

  /** A 429 came back while `inFlight` requests (this one included) were running. */
  rateLimited(waitMs: number, now: number, inFlight: number): void {
    this.ceiling = Math.max(1, Math.min(this.ceiling, inFlight - 1));
    this.current = Math.max(1, Math.min(this.ceiling, Math.floor(this.current / 2)));
    this.successes = 0;
    this.pausedUntil = Math.max(this.pausedUntil, now + waitMs);
  }

  succeeded(): void {
    this.successes++;
    if (this.successes >= this.current && this.current < this.ceiling) {
      this.current++;
      this.successes = 0;
    }
  }
}

export type JobResult<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown } | { readonly ok: false; readonly cancelled: true };

export interface RunOptions {
  readonly signal: AbortSignal;
  readonly now?: () => number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** A job that failed this way goes back to the queue (after the limit's pause): a rate limit, not a failure. */
  readonly retryLater?: (error: unknown) => { readonly waitMs: number } | undefined;
  readonly maxRequeues?: number;
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs every job under the limit. Cancel (the signal) starts no new job; the results of finished
 * jobs stay. Results are in the jobs' order.
 */
export async function runAdaptive<T, R>(jobs: readonly T[], limit: AdaptiveLimit, work: (job: T, index: number) => Promise<R>, options: RunOptions): Promise<JobResult<R>[]> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? wait;
  const { signal } = options;
  const results: JobResult<R>[] = jobs.map(() => ({ ok: false, cancelled: true }));
  const queue = jobs.map((_, i) => i);
  const requeues = new Map<number, number>();
  let running = 0;
  let wake: (() => void) | undefined;
  const poke = (): void => wake?.();

  const start = (index: number): void => {
    running++;
    void work(jobs[index], index)
      .then(
        (value) => {
          results[index] = { ok: true, value };
          limit.succeeded();
        },
        (error: unknown) => {
          const later = options.retryLater?.(error);
          const count = requeues.get(index) ?? 0;
          if (later && count < (options.maxRequeues ?? 5) && !signal.aborted) {
            requeues.set(index, count + 1);
            limit.rateLimited(later.waitMs, now(), running);
            queue.unshift(index);
          } else {
            results[index] = { ok: false, error };
          }
        },
      )
      .finally(() => {
        running--;
        poke();
      });
  };

  signal.addEventListener('abort', poke);
  try {
    for (;;) {
      const canStart = !signal.aborted && queue.length > 0;
      if (!canStart && running === 0) {
        break;
      }
      const paused = limit.pausedUntil - now();
      if (canStart && running < limit.current && paused <= 0) {
        start(queue.shift()!);
        continue;
      }
      // Wait for a job to finish, the pause to end, or cancel, whichever comes first.
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (canStart && running < limit.current && paused > 0) {
          void sleep(paused, signal).then(resolve);
        }
      });
      wake = undefined;
    }
  } finally {
    signal.removeEventListener('abort', poke);
  }
  return results;
}

/** Images' headers read this many at a time (a disk's latency overlaps; each head is at most a few hundred KB). */
export const HEAD_CONCURRENCY = 8;

/**
 * `fn` over every item, at most `limit` running at once; the results in the items' order. For
 * lookups whose latency overlaps (a disk, a file system over RPC), not for requests to a server.
 * A rejection rejects the whole (the items still running finish on their own).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
