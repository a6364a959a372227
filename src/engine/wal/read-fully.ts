import type { FileHandle } from 'node:fs/promises';

/** Fills `target` from the file at `position`; throws if the file ends first. */
export async function readFully(file: FileHandle, target: Buffer, position: number): Promise<void> {
  let filled = 0;
  while (filled < target.length) {
    const { bytesRead } = await file.read(target, filled, target.length - filled, position + filled);
    if (bytesRead === 0) throw new Error(`file ended at offset ${position + filled} while reading`);
    filled += bytesRead;
  }
}
