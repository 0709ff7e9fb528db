/**
 * The symbolic-link rule on a real disk, for the editor's `file:` workspaces and the command-line
 * tool alike: a target that is a link, or whose real place (its folders' links resolved) is
 * outside the real root, is refused.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { outsideByLink, readsOutside } from '../core/images/placement';
import { isInside } from '../core/paths';
import { readSmallFile } from './files';

/** Real paths can be resolved here (the web build's stand-in says no). */
export const realPathsAvailable = true;

/** Whether anything is at `file`, a link that points nowhere included (it is not a free name). */
export async function pathExists(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    () => false,
  );
}

/** A regular file's size and modification time (links followed, as the editor's file system does); undefined for anything else. */
export async function fileStat(file: string): Promise<{ readonly size: number; readonly mtime: number } | undefined> {
  return fs.stat(file).then(
    (s) => (s.isFile() ? { size: s.size, mtime: s.mtimeMs } : undefined),
    () => undefined,
  );
}

/** Rejects with the link message when `target` is a link or really lies outside `root`. */
export async function checkRealPath(root: string, target: string): Promise<void> {
  const realRoot = await fs.realpath(root).catch(() => root);
  let at = target;
  const link = await fs.lstat(at).then(
    (st) => st.isSymbolicLink(),
    () => false,
  );
  if (link) {
    throw outsideByLink();
  }
  // The nearest folder that exists decides: the ones below it will be made inside it.
  for (;;) {
    const parent = path.dirname(at);
    let real: string | undefined;
    try {
      real = await fs.realpath(parent);
    } catch {
      const there = await fs.lstat(parent).catch(() => undefined);
      if (there?.isSymbolicLink()) {
        throw outsideByLink(); // there, but unresolvable: a link that points nowhere
      }
      if (there) {
        // A folder made meanwhile (another image of the same run, say): resolved now, or refused.
        real = await fs.realpath(parent).catch(() => {
          throw outsideByLink();
        });
      }
    }
    if (real !== undefined) {
      if (!isInside(real.replace(/\\/g, '/'), realRoot.replace(/\\/g, '/'))) {
        throw outsideByLink();
      }
      return;
    }
    if (parent === at) {
      return;
    }
    at = parent;
  }
}

/**
 * Rejects with the link message unless `file` exists and its real place (every link on the way and
 * the file's own resolved) is inside the real `root`: an existing file to be read, sent or rewritten.
 */
export async function checkRealFile(root: string, file: string): Promise<void> {
  const [realRoot, real] = await Promise.all([fs.realpath(root).catch(() => root), fs.realpath(file).catch(() => undefined)]);
  if (real === undefined || !isInside(real.replace(/\\/g, '/'), realRoot.replace(/\\/g, '/'))) {
    throw readsOutside();
  }
}

/**
 * The one reader of a project file that is sent, described, edited or rewritten: inside `root` by
 * its real place, a regular file, at most `max` bytes (undefined when larger or not a regular file).
 */
export async function readProjectFile(root: string, file: string, max: number): Promise<Uint8Array | undefined> {
  if (!(await pathExists(file))) {
    return undefined;
  }
  await checkRealFile(root, file);
  const read = await readSmallFile(file, max);
  return read && !read.truncated ? read.bytes : undefined;
}

/** The first `max` bytes of a file (where an image's metadata is), without reading the rest. */
export async function readHeadBytes(file: string, max: number): Promise<Uint8Array | undefined> {
  return (await readSmallFile(file, max))?.bytes;
}
