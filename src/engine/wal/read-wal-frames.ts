import type { FileHandle } from 'node:fs/promises';
import { readFrameLsn, readFrameType, walFormat, walFrameCrc } from './wal-format.js';

/** Where and why reading stopped before the requested end. */
export interface WalFrameProblem {
  readonly offset: number;
  readonly reason: string;
}

export interface WalFrameReadResult {
  /** File offset just past the last frame that was valid and accepted by the visitor. */
  readonly goodEndOffset: number;
  /** Set when reading stopped at a bad frame (or the visitor rejected one) before `endOffset`. */
  readonly problem?: WalFrameProblem;
}

/**
 * Visits one CRC-valid frame. Return a string to reject the frame (reading stops and reports it as
 * the problem at `offset`), a promise to make reading wait for it, or nothing to continue.
 */
export type WalFrameVisitor = (
  lsn: bigint,
  type: number,
  payload: Buffer,
  offset: number,
) => string | undefined | Promise<void>;

const defaultChunkBytes = 1 << 20;

/**
 * Reads the frames in [startOffset, endOffset) of a WAL file, checking each frame's length and CRC.
 * Buffers are never reused, so a payload handed to the visitor stays valid after it returns (it is
 * a view into a read chunk; keeping it keeps that chunk alive). The inner loop is synchronous; it
 * awaits only to read the next chunk or when the visitor returns a promise.
 */
export async function readWalFrames(
  file: FileHandle,
  startOffset: number,
  endOffset: number,
  visit: WalFrameVisitor,
  chunkBytes = defaultChunkBytes,
): Promise<WalFrameReadResult> {
  const headerBytes = walFormat.frameHeaderBytes;
  let chunk = Buffer.alloc(0);
  // Invariant: chunk[position] holds the byte at file offset `offset`.
  let position = 0;
  let offset = startOffset;

  // Makes at least `needed` bytes available from `offset` (the caller checked they lie before
  // endOffset). Returns false when the file turned out shorter than expected.
  const fill = async (needed: number): Promise<boolean> => {
    const buffered = chunk.length - position;
    const size = Math.min(Math.max(needed, chunkBytes), endOffset - offset);
    const next = Buffer.allocUnsafe(size);
    chunk.copy(next, 0, position);
    let filled = buffered;
    while (filled < size) {
      const { bytesRead } = await file.read(next, filled, size - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    chunk = filled === size ? next : next.subarray(0, filled);
    position = 0;
    return filled >= needed;
  };

  while (offset < endOffset) {
    const remaining = endOffset - offset;
    if (remaining < headerBytes) {
      return {
        goodEndOffset: offset,
        problem: { offset, reason: `partial record header (${remaining} bytes)` },
      };
    }
    if (chunk.length - position < headerBytes && !(await fill(headerBytes))) {
      return { goodEndOffset: offset, problem: { offset, reason: 'file ended while reading' } };
    }
    const payloadBytes = chunk.readUInt32LE(position);
    if (payloadBytes > walFormat.maxPayloadBytes) {
      return {
        goodEndOffset: offset,
        problem: { offset, reason: `record length ${payloadBytes} exceeds the format limit` },
      };
    }
    const frameBytes = headerBytes + payloadBytes;
    if (frameBytes > remaining) {
      return {
        goodEndOffset: offset,
        problem: {
          offset,
          reason: `record of ${frameBytes} bytes runs past the end (${remaining} bytes left)`,
        },
      };
    }
    if (chunk.length - position < frameBytes && !(await fill(frameBytes))) {
      return { goodEndOffset: offset, problem: { offset, reason: 'file ended while reading' } };
    }
    const frameEnd = position + frameBytes;
    if (chunk.readUInt32LE(position + 4) !== walFrameCrc(chunk, position, frameEnd)) {
      return { goodEndOffset: offset, problem: { offset, reason: 'record checksum mismatch' } };
    }
    const verdict = visit(
      readFrameLsn(chunk, position),
      readFrameType(chunk, position),
      chunk.subarray(position + headerBytes, frameEnd),
      offset,
    );
    if (typeof verdict === 'string') return { goodEndOffset: offset, problem: { offset, reason: verdict } };
    if (verdict !== undefined) await verdict;
    position = frameEnd;
    offset += frameBytes;
  }
  return { goodEndOffset: offset };
}

/**
 * Looks for any CRC-valid frame starting inside `bytes` (a copy of a file region beginning at file
 * offset `baseOffset`) whose LSN is at least `minLsn`. Used after a bad record in the last file to
 * tell a torn tail (nothing valid follows) from damage in the middle (valid records follow). The
 * LSN window rejects almost all garbage before the CRC is computed.
 */
export function findValidFrameAfter(
  bytes: Buffer,
  baseOffset: number,
  minLsn: bigint,
): { offset: number; lsn: bigint } | undefined {
  const headerBytes = walFormat.frameHeaderBytes;
  // A region of n bytes holds at most n / headerBytes frames, which bounds the plausible LSNs.
  const maxLsn = minLsn + BigInt(Math.ceil(bytes.length / headerBytes));
  // Position 0 is included: a CRC-valid frame there whose LSN skips ahead is a gap, not a torn tail.
  for (let position = 0; position + headerBytes <= bytes.length; position++) {
    const payloadBytes = bytes.readUInt32LE(position);
    if (payloadBytes > walFormat.maxPayloadBytes || position + headerBytes + payloadBytes > bytes.length) {
      continue;
    }
    const lsn = readFrameLsn(bytes, position);
    if (lsn < minLsn || lsn > maxLsn) continue;
    const frameEnd = position + headerBytes + payloadBytes;
    if (bytes.readUInt32LE(position + 4) === walFrameCrc(bytes, position, frameEnd)) {
      return { offset: baseOffset + position, lsn };
    }
  }
  return undefined;
}
