import type { FileHandle } from 'node:fs/promises';

/**
 * Writes `buffers` (totalling `totalBytes`) contiguously at `position` with as few writev calls as
 * the kernel allows, continuing after short writes (libuv already splits at IOV_MAX).
 */
export async function writeFully(
  file: FileHandle,
  buffers: readonly Buffer[],
  position: number,
  totalBytes: number,
): Promise<void> {
  let written = (await file.writev(buffers as Buffer[], position)).bytesWritten;
  while (written < totalBytes) {
    const rest = buffersAfter(buffers, written);
    const { bytesWritten } = await file.writev(rest, position + written);
    if (bytesWritten === 0) throw new Error(`write made no progress at offset ${position + written}`);
    written += bytesWritten;
  }
}

function buffersAfter(buffers: readonly Buffer[], skipBytes: number): Buffer[] {
  const rest: Buffer[] = [];
  for (const buffer of buffers) {
    if (skipBytes >= buffer.length) {
      skipBytes -= buffer.length;
    } else {
      rest.push(skipBytes > 0 ? buffer.subarray(skipBytes) : buffer);
      skipBytes = 0;
    }
  }
  return rest;
}
