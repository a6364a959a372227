import { open } from 'node:fs/promises';
import { errors } from '../../errors/index.js';
import { crc32c } from '../../storage/crc32c.js';
import { type AtomicWriteStep, writeFileAtomic } from '../../storage/local/write-file-atomic.js';
import { readFileRange } from './read-file-range.js';
import { SegmentFileCorruptError } from './segment-file-corrupt-error.js';

/**
 * A sealed segment's delete records (docs/FORMATS.md, "Delete file (segments/*.qdel)"): which rows
 * were deleted and at which MVCC timestamp. The segment file is immutable, so deletes that reach it
 * are kept here; each flush rewrites the whole file atomically with all records so far.
 *
 *   0   8   magic "QUIVDELS"
 *   8   4   format version (u32, 1)
 *   12  4   record count n (u32)
 *   16  8   segment ID (u64)
 *   24  4   header CRC-32C of bytes 0..23
 *   28  4n  row offsets (u32)
 *   ..  8n  delete timestamps (u64), record i = (rows[i], timestamps[i])
 *   end 4   data CRC-32C of the 12n bytes of rows and timestamps
 */
export interface DeleteFileContents {
  segmentId: bigint;
  /** Row offsets within the segment, in the order the deletes were recorded. */
  rows: Uint32Array;
  timestamps: BigUint64Array;
}

export const deleteFileFormat = {
  magic: Buffer.from('QUIVDELS', 'latin1'),
  version: 1,
  headerBytes: 28,
  checksumBytes: 4,
  bytesPerRecord: 12,
  fileExtension: '.qdel',
} as const;

export interface WriteDeleteFileOptions {
  /** Crash-test hook passed to writeFileAtomic: a throw at a step leaves the files as a crash would. */
  readonly faultHook?: (step: AtomicWriteStep) => void;
}

export interface ReadDeleteFileOptions {
  /** When given, a file that belongs to another segment is rejected, and errors name this ID. */
  readonly expectedSegmentId?: bigint;
}

function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** The file's bytes as chunks (the rows and timestamps are views, not copies). Exported for tests. */
export function encodeDeleteFile(contents: DeleteFileContents): Uint8Array[] {
  const { segmentId, rows, timestamps } = contents;
  if (typeof segmentId !== 'bigint' || segmentId < 0n || segmentId >= 1n << 64n) {
    throw errors.unexpected(`cannot write delete file: segment ID ${segmentId} is not a u64`);
  }
  if (
    !(rows instanceof Uint32Array) ||
    !(timestamps instanceof BigUint64Array) ||
    rows.length !== timestamps.length
  ) {
    throw errors.unexpected(
      'cannot write delete file: rows (Uint32Array) and timestamps (BigUint64Array) must have the same length',
    );
  }
  const header = Buffer.alloc(deleteFileFormat.headerBytes);
  deleteFileFormat.magic.copy(header, 0);
  header.writeUInt32LE(deleteFileFormat.version, 8);
  header.writeUInt32LE(rows.length, 12);
  header.writeBigUInt64LE(segmentId, 16);
  header.writeUInt32LE(crc32c(header.subarray(0, 24)), 24);
  const rowBytes = bytesOf(rows);
  const timestampBytes = bytesOf(timestamps);
  const checksum = Buffer.alloc(deleteFileFormat.checksumBytes);
  checksum.writeUInt32LE(crc32c(timestampBytes, crc32c(rowBytes)));
  return [header, rowBytes, timestampBytes, checksum];
}

/**
 * Replaces the delete file at `path` atomically (temp, fsync, rename, directory fsync): after a
 * crash it holds the old records or the new ones, never a mix.
 */
export async function writeDeleteFile(
  path: string,
  contents: DeleteFileContents,
  options: WriteDeleteFileOptions = {},
): Promise<{ sizeBytes: number }> {
  const chunks = encodeDeleteFile(contents);
  await writeFileAtomic(path, chunks, { faultHook: options.faultHook });
  return { sizeBytes: chunks.reduce((total, chunk) => total + chunk.byteLength, 0) };
}

/**
 * Reads and verifies a delete file. Any defect (truncated, bad magic, unknown version, wrong
 * length, checksum mismatch, another segment's file) rejects with SegmentFileCorruptError; a missing
 * file rejects with the fs error (ENOENT), which means no deletes were flushed.
 */
export async function readDeleteFile(
  path: string,
  options: ReadDeleteFileOptions = {},
): Promise<DeleteFileContents> {
  const format = deleteFileFormat;
  const expected = options.expectedSegmentId;
  let segment: { id: bigint; verified: boolean } | undefined =
    expected === undefined ? undefined : { id: expected, verified: true };
  const corrupt = (defect: string) => new SegmentFileCorruptError('delete file', path, segment, defect);

  const handle = await open(path, 'r');
  let bytes: Buffer;
  try {
    const { size } = await handle.stat();
    bytes = await readFileRange(handle, 0, size);
  } finally {
    await handle.close();
  }
  const size = bytes.length;
  const magicLength = Math.min(size, format.magic.length);
  if (!bytes.subarray(0, magicLength).equals(format.magic.subarray(0, magicLength))) {
    throw corrupt(`bad magic ${bytes.subarray(0, magicLength).toString('hex')} (expected "QUIVDELS")`);
  }
  if (size >= 12 && bytes.readUInt32LE(8) !== format.version) {
    throw corrupt(
      `unknown format version ${bytes.readUInt32LE(8)} (this build reads version ${format.version})`,
    );
  }
  if (size < format.headerBytes) {
    throw corrupt(`truncated: the file has ${size} bytes, less than the ${format.headerBytes}-byte header`);
  }
  const segmentId = bytes.readBigUInt64LE(16);
  segment ??= { id: segmentId, verified: false };
  if (crc32c(bytes.subarray(0, 24)) !== bytes.readUInt32LE(24))
    throw corrupt('header checksum mismatch (bytes 0..27)');
  if (expected !== undefined && segmentId !== expected) {
    throw corrupt(`the file holds the deletes of segment ${segmentId}, not the expected one`);
  }
  segment = { id: segmentId, verified: true };
  const count = bytes.readUInt32LE(12);
  const expectedSize = format.headerBytes + count * format.bytesPerRecord + format.checksumBytes;
  if (size < expectedSize) {
    throw corrupt(`truncated: the file has ${size} bytes, ${count} records need ${expectedSize}`);
  }
  if (size > expectedSize) {
    throw corrupt(`${size - expectedSize} unexpected bytes after the end of the file (${expectedSize})`);
  }
  const data = bytes.subarray(format.headerBytes, size - format.checksumBytes);
  if (crc32c(data) !== bytes.readUInt32LE(size - format.checksumBytes)) {
    throw corrupt(`data checksum mismatch (bytes ${format.headerBytes}..${size - 1})`);
  }
  const rows = new Uint32Array(count);
  bytesOf(rows).set(data.subarray(0, count * 4));
  const timestamps = new BigUint64Array(count);
  bytesOf(timestamps).set(data.subarray(count * 4));
  return { segmentId, rows, timestamps };
}
