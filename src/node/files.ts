/**
 * Reading a file the repository controls, on a real disk: only a regular file (never a device, a
 * pipe or a folder, whatever a link makes of it), and never more than a cap, however large it
 * says it is (`/dev/zero` says 0).
 */
import { constants, promises as fs } from 'fs';

export interface SmallFile {
  readonly bytes: Buffer;
  /** More was there than the cap: `bytes` holds the first `max` only. */
  readonly truncated: boolean;
}

/**
 * The first `max` bytes of a regular file; undefined when nothing readable is there or it is not a
 * regular file. The common case (a regular file that says it fits) is one stat and one read.
 */
export async function readSmallFile(file: string, max: number): Promise<SmallFile | undefined> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) {
    return undefined;
  }
  if (stat.size > 0 && stat.size <= max) {
    const bytes = await fs.readFile(file).catch(() => undefined);
    if (bytes && bytes.length <= max) {
      return { bytes, truncated: false };
    }
  }
  return readCapped(file, max);
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
