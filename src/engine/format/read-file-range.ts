import type { FileHandle } from 'node:fs/promises';

/**
 * Reads exactly `byteLength` bytes at `position` into a new buffer of its own (a fresh
 * ArrayBuffer at offset 0, never Node's shared pool, so decoders may keep views into it). The
 * callers check the file size first, so running out of file here means it shrank while being read.
 */
export async function readFileRange(
  handle: FileHandle,
  position: number,
  byteLength: number,
): Promise<Buffer> {
  const target = Buffer.from(new ArrayBuffer(byteLength));
  await readFileInto(handle, position, target);
  return target;
}

/** Fills `target` (any memory, a SharedArrayBuffer included) from the file at `position`. */
export async function readFileInto(handle: FileHandle, position: number, target: Uint8Array): Promise<void> {
  let filled = 0;
  while (filled < target.byteLength) {
    const { bytesRead } = await handle.read(target, filled, target.byteLength - filled, position + filled);
    if (bytesRead === 0) throw new Error(`the file ended at byte ${position + filled} while being read`);
    filled += bytesRead;
  }
}
