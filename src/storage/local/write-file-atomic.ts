import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The points inside writeFileAtomic at which a fault hook is called:
 * - 'before-write': the temp file exists and is empty;
 * - 'after-write': the temp file holds all the data, not yet fsynced;
 * - 'after-fsync': the temp file is fsynced and closed, the target is still the old file;
 * - 'after-rename': the target is the new file, the directory entry is not yet fsynced.
 */
export type AtomicWriteStep = 'before-write' | 'after-write' | 'after-fsync' | 'after-rename';

export interface WriteFileAtomicOptions {
  /**
   * Test hook to simulate a crash: if it throws, writeFileAtomic stops at that step, rejects with
   * the thrown error and leaves the files exactly as a crash would (the temp file is not removed).
   */
  faultHook?: (step: AtomicWriteStep) => void;
}

/** Marks temp files: `<target name>.tmp-<pid>-<sequence>`, in the target's directory. */
const tempMarker = '.tmp-';
let tempSequence = 0;

/**
 * Replaces the file at `path` with `data` so that, after a crash at any moment, `path` holds
 * either its complete old contents (or is absent, if it was) or the complete new contents.
 *
 * Steps: write a temp file in the same directory (rename is only atomic within one file system),
 * fsync it (so the rename can never expose a file whose data is not on disk), rename it over
 * `path`, then fsync the directory (so the rename itself survives a power loss). Resolves only when
 * all of that is done.
 *
 * If a step fails the temp file is removed (best effort) and the error is passed on; `path` is
 * untouched unless the failure came after the rename. Temp files left by a crash are removed with
 * removeAtomicWriteLeftovers when their owner opens the directory again.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | Uint8Array[],
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const chunks = Array.isArray(data) ? data : [data];
  const faultHook = options.faultHook ?? (() => {});
  const tempPath = `${path}${tempMarker}${process.pid}-${++tempSequence}`;
  // 'wx' fails rather than reuse a file of the same name left by another process with our pid.
  const handle = await open(tempPath, 'wx');
  let handleOpen = true;
  let simulatedCrash = false;
  const step = (name: AtomicWriteStep): void => {
    try {
      faultHook(name);
    } catch (error) {
      simulatedCrash = true;
      throw error;
    }
  };
  try {
    step('before-write');
    let position = 0;
    for (const chunk of chunks) {
      let offset = 0;
      while (offset < chunk.byteLength) {
        const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset, position);
        offset += bytesWritten;
        position += bytesWritten;
      }
    }
    step('after-write');
    await handle.sync();
    handleOpen = false;
    await handle.close();
    step('after-fsync');
    await rename(tempPath, path);
  } catch (error) {
    if (handleOpen) await handle.close().catch(() => {});
    if (!simulatedCrash) await unlink(tempPath).catch(() => {});
    throw error;
  }
  step('after-rename');
  await fsyncDirectory(dirname(path));
}

/**
 * fsyncs a directory, making the creation, rename or removal of its entries durable. On Windows a
 * directory cannot be opened for fsync and NTFS journals metadata itself, so this does nothing there.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Removes temp files that writeFileAtomic left beside `path` when the process died mid-write.
 * They never replaced `path`, so they are garbage. Call it only while no write to `path` is in
 * progress (for example when opening the store that owns the file). Returns the removed paths.
 */
export async function removeAtomicWriteLeftovers(path: string): Promise<string[]> {
  const dir = dirname(path);
  const tempPrefix = basename(path) + tempMarker;
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    if (!name.startsWith(tempPrefix)) continue;
    const tempPath = join(dir, name);
    try {
      await unlink(tempPath);
      removed.push(tempPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}
