/**
 * Reading a file the repository controls, on a real disk: only a regular file (never a device, a
 * pipe or a folder, whatever a link makes of it), and never more than a cap, however large it
 * says it is (`/dev/zero` says 0).
 */
import { constants, promises as fs, Stats } from 'fs';
import * as fsCallbacks from 'fs';

export interface SmallFile {
  readonly bytes: Buffer;
  /** More was there than the cap: `bytes` holds the first `max` only. */
  readonly truncated: boolean;
}

/**
 * The first `max` bytes of a regular file; undefined when nothing readable is there or it is not a
 * regular file. The common case (a regular file that says it fits) is one stat, then one open, one
 * read and one close: the size the stat gave is trusted, as a whole-file read would.
 */
export async function readSmallFile(file: string, max: number): Promise<SmallFile | undefined> {
  const stat = await call<Stats>((done) => fsCallbacks.stat(file, done)).catch(() => undefined);
  if (!stat?.isFile()) {
    return undefined;
  }
  if (stat.size > 0 && stat.size <= max) {
    const bytes = await readSized(file, stat.size).catch(() => undefined);
    if (bytes) {
      return { bytes, truncated: false };
    }
  }
  return readCapped(file, max);
}

/** A callback-style call of `fs` as a promise: for the reads of a scan, cheaper than `fs.promises` (no FileHandle). */
function call<T>(start: (done: (error: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((error, value) => (error ? reject(error) : resolve(value))));
}

/**
 * A file of `size` bytes, read whole; undefined when it holds more now (the caller reads it capped).
 * One byte more is asked for than it should hold: a read that comes back short of it has reached its end.
 */
async function readSized(file: string, size: number): Promise<Buffer | undefined> {
  // Non-blocking: a named pipe put there since the stat must not hang the open.
  const fd = await call<number>((done) => fsCallbacks.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0), done));
  try {
    const buffer = Buffer.alloc(size + 1);
    let length = 0;
    for (;;) {
      const bytesRead = await call<number>((done) => fsCallbacks.read(fd, buffer, length, buffer.length - length, length, done));
      length += bytesRead;
      if (length > size) {
        return undefined;
      }
      if (bytesRead === 0 || length === size) {
        return buffer.subarray(0, length);
      }
    }
  } finally {
    await call<void>((done) => fsCallbacks.close(fd, (error) => done(error, undefined)));
  }
}

/** A file that says nothing of its size (or changed since): read through a handle, never past the cap. */
async function readCapped(file: string, max: number): Promise<SmallFile | undefined> {
  // Non-blocking: a named pipe must not hang the open.
  const handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch(() => undefined);
  if (!handle) {
    return undefined;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      return undefined;
    }
    // Sized from what it says, with room for a file whose size says nothing (/proc).
    const buffer = Buffer.alloc(Math.min(max + 1, stat.size + 65536));
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) {
        break;
      }
      length += bytesRead;
    }
    return { bytes: buffer.subarray(0, Math.min(length, max)), truncated: length > max };
  } finally {
    await handle.close();
  }
}
