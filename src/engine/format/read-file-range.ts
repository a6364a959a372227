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

/** Reads larger than this are split into chunks of this size, read concurrently. */
const CHUNK_BYTES = 8 << 20;
/** Chunks in flight at once: libuv's thread pool has 4 threads by default. */
const CHUNKS_IN_FLIGHT = 4;

/**
 * Fills `target` (any memory, a SharedArrayBuffer or kernel memory included) from the file at
 * `position`. Big reads go in 8 MiB chunks on several libuv threads at once: filling fresh memory is
 * bound by page faults, which then run on every core instead of one (startup reads hundreds of MB).
 */
export async function readFileInto(handle: FileHandle, position: number, target: Uint8Array): Promise<void> {
  if (target.byteLength <= CHUNK_BYTES) return readSpan(handle, position, target);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < target.byteLength) {
      const at = next;
      next += CHUNK_BYTES;
      await readSpan(
        handle,
        position + at,
        target.subarray(at, Math.min(target.byteLength, at + CHUNK_BYTES)),
      );
    }
  };
  await Promise.all(Array.from({ length: CHUNKS_IN_FLIGHT }, worker));
}

async function readSpan(handle: FileHandle, position: number, target: Uint8Array): Promise<void> {
  let filled = 0;
  while (filled < target.byteLength) {
    const { bytesRead } = await handle.read(target, filled, target.byteLength - filled, position + filled);
    if (bytesRead === 0) throw new Error(`the file ended at byte ${position + filled} while being read`);
    filled += bytesRead;
  }
}
