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

const defaultChunkBytes = 4 << 20;

/**
 * Reads the frames in [startOffset, endOffset) of a WAL file, checking each frame's length and CRC.
 * Buffers are never reused, so a payload handed to the visitor stays valid after it returns (it is
 * a view into a read chunk; keeping it keeps that chunk alive). The inner loop is synchronous; it
 * awaits only to read the next chunk or when the visitor returns a promise. The next chunk is read
 * ahead while the frames of the current one are checked and visited, so a replay's CPU work and
 * its reads overlap (a million-row replay otherwise spent about a second just waiting for reads).
 */
export async function readWalFrames(
  file: FileHandle,
  startOffset: number,
  endOffset: number,
  visit: WalFrameVisitor,
  chunkBytes = defaultChunkBytes,
): Promise<WalFrameReadResult> {
  const headerBytes = walFormat.frameHeaderBytes;
  let chunk: Buffer = Buffer.alloc(0);
  // Invariant: chunk[position] holds the byte at file offset `offset`.
  let position = 0;
  let offset = startOffset;
  // The read of the bytes just after `chunk`, started before they are needed. Its buffer keeps
  // `slack` bytes free in front of the data, where the unread tail of the current chunk (part of a
  // frame that straddles the two) is copied, so only that tail is copied, never the whole chunk.
  let ahead: { from: number; slack: number; bytes: Promise<Buffer> } | undefined;

  const readAt = async (from: number, size: number, slack = 0): Promise<Buffer> => {
    const target = Buffer.allocUnsafe(slack + size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await file.read(target, slack + filled, size - filled, from + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return target.subarray(0, slack + filled);
  };
  const readAhead = (): void => {
    const from = offset + (chunk.length - position);
    const size = Math.min(chunkBytes, endOffset - from);
    // Room for a straddling frame's head of up to a quarter chunk (bigger ones take the slower path).
    const slack = chunkBytes >> 2;
    ahead = size > 0 ? { from, slack, bytes: readAt(from, size, slack) } : undefined;
    // A failed read-ahead is reported when (if) its bytes are needed.
    ahead?.bytes.catch(() => undefined);
  };

  // Makes at least `needed` bytes available from `offset` (the caller checked they lie before
  // endOffset). Returns false when the file turned out shorter than expected.
  const fill = async (needed: number): Promise<boolean> => {
    const buffered = chunk.length - position;
    const from = offset + buffered;
    let next: Buffer;
    if (ahead !== undefined && ahead.from === from && buffered <= ahead.slack) {
      const { slack } = ahead;
      const read = await ahead.bytes;
      chunk.copy(read, slack - buffered, position);
      next = read.subarray(slack - buffered);
    } else {
      // No usable read-ahead (the first fill, or a tail longer than the slack): read now.
      const read = await readAt(
        from,
        Math.min(Math.max(needed - buffered, chunkBytes), endOffset - from),
        buffered,
      );
      chunk.copy(read, 0, position);
      next = read;
    }
    ahead = undefined;
    if (next.length < needed && next.length - buffered === Math.min(chunkBytes, endOffset - from)) {
      // A frame longer than what was read ahead: read the rest of it now.
      const rest = await readAt(
        from + next.length - buffered,
        Math.min(needed - next.length, endOffset - (from + next.length - buffered)),
      );
      next = Buffer.concat([next, rest]);
    }
    chunk = next;
    position = 0;
    readAhead();
    return chunk.length >= needed;
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
