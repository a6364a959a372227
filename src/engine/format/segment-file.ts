import { type FileHandle, open } from 'node:fs/promises';
import { errors } from '../../errors/index.js';
import type { Column } from '../../schema/column.js';
import { DataType, dataTypeName, isDenseVectorType } from '../../schema/data-type.js';
import { crc32c } from '../../storage/crc32c.js';
import { type AtomicWriteStep, writeFileAtomic } from '../../storage/local/write-file-atomic.js';
import {
  columnRowCount,
  type DecodeColumnOptions,
  decodeColumn,
  decodeDenseVectorColumn,
  denseVectorEncodingLayout,
  encodeColumn,
  type VectorAllocator,
  vectorMemoryBytes,
} from './column-codec.js';
import { readFileInto, readFileRange } from './read-file-range.js';
import { SegmentFileCorruptError } from './segment-file-corrupt-error.js';

/**
 * A sealed segment's immutable data file (docs/FORMATS.md, "Segment file (segments/*.qseg)"):
 *
 *   header   magic, version, header length, file length, segment ID, preamble CRC; then the
 *            collection and partition IDs, row count, min/max insert timestamp, the field list, and
 *            a header CRC
 *   blocks   block 0: the per-row insert timestamps (u64); block i: field i-1's column encoding
 *   index    one entry per block: offset, length, CRC-32C of the block
 *   tail     index offset, block count, file checksum (CRC-32C of header + index + tail start), magic
 *
 * Every byte is covered by a checksum: the header by its own, each block by its CRC in the index,
 * and the index and tail by the file checksum (which, through the block CRCs it covers, vouches for
 * the whole file). Blocks are back to back with no padding, so there are no unchecked bytes.
 */
export interface SegmentFileContents {
  segmentId: bigint;
  collectionId: number;
  partitionId: number;
  numRows: number;
  /** The MVCC timestamp at which each row was inserted. */
  insertTimestamps: BigUint64Array;
  /** Field name → column (the primary key is an ordinary column); written in the Map's order. */
  columns: Map<string, Column>;
}

export const segmentFileFormat = {
  magic: Buffer.from('QUIVSEGM', 'latin1'),
  tailMagic: Buffer.from('QSEGTAIL', 'latin1'),
  version: 1,
  /** Magic, version, header length, file length, segment ID and their CRC. */
  preambleBytes: 36,
  /** The preamble plus the fixed fields before the field list. */
  fixedHeaderBytes: 80,
  /** Per field: u16 name length, u8 type, u8 element type, u8 flags, u8 reserved, u32 dim (+ name). */
  fieldDescriptorBytes: 10,
  indexEntryBytes: 20,
  tailBytes: 24,
  /** A sanity bound on the header length field, far above any real schema. */
  maxHeaderBytes: 64 * 1024 * 1024,
  fileExtension: '.qseg',
} as const;

const fieldFlagNullable = 1;
const maxU64 = (1n << 64n) - 1n;

interface FieldDescriptor {
  readonly name: string;
  readonly type: DataType;
  readonly elementType: DataType;
  readonly nullable: boolean;
  readonly dim: number;
}

export interface SegmentFileBlock {
  /** "insert timestamps" or `column "<field name>"`. */
  readonly label: string;
  readonly offset: number;
  readonly byteLength: number;
}

export interface EncodedSegmentFile {
  /** The file's bytes in order; large chunks are views of the segment's arrays (not copies). */
  readonly chunks: Uint8Array[];
  readonly sizeBytes: number;
  readonly headerBytes: number;
  readonly blocks: readonly SegmentFileBlock[];
  readonly indexOffset: number;
  readonly tailOffset: number;
}

export interface WriteSegmentFileOptions {
  /** Crash-test hook passed to writeFileAtomic: a throw at a step leaves the files as a crash would. */
  readonly faultHook?: (step: AtomicWriteStep) => void;
}

export interface ReadSegmentFileOptions extends Pick<DecodeColumnOptions, 'vectorAllocator'> {
  /** When given, a file that holds another segment is rejected, and errors name this ID. */
  readonly expectedSegmentId?: bigint;
}

function invalidSegment(detail: string): Error {
  return errors.unexpected(`cannot write segment file: ${detail}`);
}

/** Lays out a segment file in memory (as chunks). Exported for tests and benchmarks. */
export function encodeSegmentFile(segment: SegmentFileContents): EncodedSegmentFile {
  const { segmentId, collectionId, partitionId, numRows, insertTimestamps, columns } = segment;
  if (typeof segmentId !== 'bigint' || segmentId < 0n || segmentId > maxU64) {
    throw invalidSegment(`segment ID ${segmentId} is not a u64`);
  }
  for (const [name, id] of [
    ['collection ID', collectionId],
    ['partition ID', partitionId],
  ] as const) {
    if (!Number.isSafeInteger(id)) throw invalidSegment(`${name} ${id} is not a safe integer`);
  }
  if (!(insertTimestamps instanceof BigUint64Array))
    throw invalidSegment('insertTimestamps must be a BigUint64Array');
  if (numRows !== insertTimestamps.length || numRows > 0xffff_ffff) {
    throw invalidSegment(`numRows ${numRows} differs from the ${insertTimestamps.length} insert timestamps`);
  }

  const fields: FieldDescriptor[] = [];
  const blockChunks: Uint8Array[][] = [[bytesOf(insertTimestamps)]];
  const labels = ['insert timestamps'];
  let headerBytes = segmentFileFormat.fixedHeaderBytes + 4;
  for (const [name, column] of columns) {
    const nameBytes = Buffer.byteLength(name, 'utf8');
    if (nameBytes === 0 || nameBytes > 0xffff)
      throw invalidSegment(`field name "${name}" must be 1 to 65535 bytes`);
    const rows = columnRowCount(column, `field "${name}"`);
    if (rows !== numRows) throw invalidSegment(`field "${name}" has ${rows} rows, the segment ${numRows}`);
    fields.push({
      name,
      type: column.type,
      elementType: column.type === DataType.Array ? column.elementType : 0,
      nullable: column.valid !== undefined,
      dim: 'dim' in column ? column.dim : 0,
    });
    blockChunks.push(encodeColumn(column));
    labels.push(`column "${name}"`);
    headerBytes += segmentFileFormat.fieldDescriptorBytes + nameBytes;
  }
  // Zero padding before the header CRC makes the header a multiple of 8 bytes; with every block a
  // multiple of 8 too, each block (and each section inside it) starts 8-byte aligned in the file.
  headerBytes += (8 - (headerBytes % 8)) % 8;

  const blockCount = blockChunks.length;
  const blocks: SegmentFileBlock[] = [];
  const index = Buffer.alloc(blockCount * segmentFileFormat.indexEntryBytes + segmentFileFormat.tailBytes);
  let offset = headerBytes;
  for (let block = 0; block < blockCount; block++) {
    let byteLength = 0;
    let crc = 0;
    for (const chunk of blockChunks[block]!) {
      byteLength += chunk.byteLength;
      crc = crc32c(chunk, crc);
    }
    const entry = block * segmentFileFormat.indexEntryBytes;
    index.writeBigUInt64LE(BigInt(offset), entry);
    index.writeBigUInt64LE(BigInt(byteLength), entry + 8);
    index.writeUInt32LE(crc, entry + 16);
    blocks.push({ label: labels[block]!, offset, byteLength });
    offset += byteLength;
  }
  const indexOffset = offset;
  const tailOffset = indexOffset + blockCount * segmentFileFormat.indexEntryBytes;
  const sizeBytes = tailOffset + segmentFileFormat.tailBytes;

  const header = Buffer.alloc(headerBytes);
  segmentFileFormat.magic.copy(header, 0);
  header.writeUInt32LE(segmentFileFormat.version, 8);
  header.writeUInt32LE(headerBytes, 12);
  header.writeBigUInt64LE(BigInt(sizeBytes), 16);
  header.writeBigUInt64LE(segmentId, 24);
  header.writeUInt32LE(crc32c(header.subarray(0, 32)), 32);
  header.writeBigInt64LE(BigInt(collectionId), 36);
  header.writeBigInt64LE(BigInt(partitionId), 44);
  header.writeBigUInt64LE(BigInt(numRows), 52);
  const { min, max } = timestampRange(insertTimestamps);
  header.writeBigUInt64LE(min, 60);
  header.writeBigUInt64LE(max, 68);
  header.writeUInt32LE(fields.length, 76);
  let position = segmentFileFormat.fixedHeaderBytes;
  for (const field of fields) {
    const nameLength = header.write(field.name, position + 2, 'utf8');
    header.writeUInt16LE(nameLength, position);
    position += 2 + nameLength;
    header.writeUInt8(field.type, position);
    header.writeUInt8(field.elementType, position + 1);
    header.writeUInt8(field.nullable ? fieldFlagNullable : 0, position + 2);
    header.writeUInt32LE(field.dim, position + 4);
    position += 8;
  }
  header.writeUInt32LE(crc32c(header.subarray(0, headerBytes - 4)), headerBytes - 4);

  const tail = tailOffset - indexOffset;
  index.writeBigUInt64LE(BigInt(indexOffset), tail);
  index.writeUInt32LE(blockCount, tail + 8);
  index.writeUInt32LE(fileChecksum(header, index), tail + 12);
  segmentFileFormat.tailMagic.copy(index, tail + 16);

  return {
    chunks: [header, ...blockChunks.flat(), index],
    sizeBytes,
    headerBytes,
    blocks,
    indexOffset,
    tailOffset,
  };
}

/** CRC-32C of the header, the index and the tail's first 12 bytes (`indexAndTail` is index + tail). */
function fileChecksum(header: Uint8Array, indexAndTail: Uint8Array): number {
  const checkedEnd = indexAndTail.byteLength - segmentFileFormat.tailBytes + 12;
  return crc32c(indexAndTail.subarray(0, checkedEnd), crc32c(header));
}

/**
 * Min and max of the timestamps, compared as (high, low) 32-bit word pairs: a BigInt comparison per
 * row cost ~80 ms for a million rows at every startup, the word loop a few.
 */
function timestampRange(timestamps: BigUint64Array): { min: bigint; max: bigint } {
  if (timestamps.length === 0) return { min: 0n, max: 0n };
  const words = new Uint32Array(timestamps.buffer, timestamps.byteOffset, timestamps.length * 2);
  // Little-endian host (checked by the column codec): word 2i is the low half of element i.
  let minAt = 0;
  let maxAt = 0;
  for (let i = 1; i < timestamps.length; i++) {
    const high = words[2 * i + 1]!;
    const low = words[2 * i]!;
    const minHigh = words[2 * minAt + 1]!;
    if (high < minHigh || (high === minHigh && low < words[2 * minAt]!)) minAt = i;
    const maxHigh = words[2 * maxAt + 1]!;
    if (high > maxHigh || (high === maxHigh && low > words[2 * maxAt]!)) maxAt = i;
  }
  return { min: timestamps[minAt]!, max: timestamps[maxAt]! };
}

function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * Writes `segment` to `path` atomically (temp file, fsync, rename, directory fsync): after a
 * crash `path` is absent, its old file, or the complete new file. Do not modify the segment's
 * arrays until this resolves (they are written without copying).
 */
export async function writeSegmentFile(
  path: string,
  segment: SegmentFileContents,
  options: WriteSegmentFileOptions = {},
): Promise<{ sizeBytes: number }> {
  const encoded = encodeSegmentFile(segment);
  await writeFileAtomic(path, encoded.chunks, { faultHook: options.faultHook });
  return { sizeBytes: encoded.sizeBytes };
}

/**
 * Reads and fully verifies a segment file: magic, version, lengths, the header, index and tail
 * checksums, every block's CRC-32C, and that each column matches the header's field list. Any
 * defect rejects with SegmentFileCorruptError; a missing file rejects with the fs error (ENOENT).
 * Each block is read into a fresh buffer of its own and the arrays are views into it (nothing is
 * copied twice, and nothing aliases memory the caller holds). With `vectorAllocator`, dense vector
 * values are read from the file straight into the memory it returns (e.g. a SharedArrayBuffer).
 */
export async function readSegmentFile(
  path: string,
  options: ReadSegmentFileOptions = {},
): Promise<SegmentFileContents> {
  const handle = await open(path, 'r');
  try {
    return await readOpenSegmentFile(handle, path, options);
  } finally {
    await handle.close();
  }
}

async function readOpenSegmentFile(
  handle: FileHandle,
  path: string,
  options: ReadSegmentFileOptions,
): Promise<SegmentFileContents> {
  const format = segmentFileFormat;
  const expected = options.expectedSegmentId;
  let segment: { id: bigint; verified: boolean } | undefined =
    expected === undefined ? undefined : { id: expected, verified: true };
  const corrupt = (defect: string, cause?: unknown): SegmentFileCorruptError =>
    new SegmentFileCorruptError('segment file', path, segment, defect, cause);

  const { size } = await handle.stat();
  const preamble = await readFileRange(handle, 0, Math.min(size, format.preambleBytes));
  const magicLength = Math.min(preamble.length, format.magic.length);
  if (!preamble.subarray(0, magicLength).equals(format.magic.subarray(0, magicLength))) {
    throw corrupt(`bad magic ${preamble.subarray(0, magicLength).toString('hex')} (expected "QUIVSEGM")`);
  }
  if (preamble.length >= 12) {
    const version = preamble.readUInt32LE(8);
    if (version !== format.version) {
      throw corrupt(`unknown format version ${version} (this build reads version ${format.version})`);
    }
  }
  if (preamble.length < format.preambleBytes) {
    throw corrupt(
      `truncated: the file has ${size} bytes, less than the ${format.preambleBytes}-byte preamble`,
    );
  }
  const rawSegmentId = preamble.readBigUInt64LE(24);
  segment ??= { id: rawSegmentId, verified: false };
  if (crc32c(preamble.subarray(0, 32)) !== preamble.readUInt32LE(32)) {
    throw corrupt('preamble checksum mismatch (bytes 0..35)');
  }
  if (expected !== undefined && rawSegmentId !== expected) {
    throw corrupt(`the file holds segment ${rawSegmentId}, not the expected one`);
  }
  segment = { id: rawSegmentId, verified: true };
  const headerBytes = preamble.readUInt32LE(12);
  const fileBytes = Number(preamble.readBigUInt64LE(16));
  if (size < fileBytes) throw corrupt(`truncated: the file has ${size} bytes, its header says ${fileBytes}`);
  if (size > fileBytes)
    throw corrupt(`${size - fileBytes} unexpected bytes after the end of the file (${fileBytes})`);
  const minimumBytes = format.fixedHeaderBytes + 4 + format.indexEntryBytes + format.tailBytes;
  if (
    headerBytes < format.fixedHeaderBytes + 4 ||
    headerBytes % 8 !== 0 ||
    headerBytes > format.maxHeaderBytes ||
    fileBytes < minimumBytes ||
    headerBytes > fileBytes - format.indexEntryBytes - format.tailBytes
  ) {
    throw corrupt(`impossible header length ${headerBytes} for a ${fileBytes}-byte file`);
  }

  const header = await readFileRange(handle, 0, headerBytes);
  if (crc32c(header.subarray(0, headerBytes - 4)) !== header.readUInt32LE(headerBytes - 4)) {
    throw corrupt(`header checksum mismatch (bytes 0..${headerBytes - 1})`);
  }
  const parsed = parseHeader(header, corrupt);
  const blockCount = parsed.fields.length + 1;
  const indexOffset = fileBytes - format.tailBytes - blockCount * format.indexEntryBytes;
  if (indexOffset < headerBytes)
    throw corrupt(`the header lists ${parsed.fields.length} fields, too many for the file`);
  const indexAndTail = await readFileRange(handle, indexOffset, fileBytes - indexOffset);
  const tail = indexAndTail.length - format.tailBytes;
  if (!indexAndTail.subarray(tail + 16).equals(format.tailMagic)) {
    throw corrupt(`bad tail magic at byte ${fileBytes - 8} (expected "QSEGTAIL")`);
  }
  if (fileChecksum(header, indexAndTail) !== indexAndTail.readUInt32LE(tail + 12)) {
    throw corrupt(`footer checksum mismatch (index and tail, bytes ${indexOffset}..${fileBytes - 1})`);
  }
  if (
    Number(indexAndTail.readBigUInt64LE(tail)) !== indexOffset ||
    indexAndTail.readUInt32LE(tail + 8) !== blockCount
  ) {
    throw corrupt('the tail disagrees with the header about the index');
  }

  const blockLabel = (block: number) =>
    block === 0
      ? 'block 0 (insert timestamps)'
      : `block ${block} (column "${parsed.fields[block - 1]!.name}")`;
  let expectedOffset = headerBytes;
  const entries: { offset: number; byteLength: number; crc: number }[] = [];
  for (let block = 0; block < blockCount; block++) {
    const entry = block * format.indexEntryBytes;
    const offset = Number(indexAndTail.readBigUInt64LE(entry));
    const byteLength = Number(indexAndTail.readBigUInt64LE(entry + 8));
    if (offset !== expectedOffset || byteLength > indexOffset - offset) {
      throw corrupt(
        `the index places ${blockLabel(block)} at ${offset} (+${byteLength}), expected ${expectedOffset}`,
      );
    }
    entries.push({ offset, byteLength, crc: indexAndTail.readUInt32LE(entry + 16) });
    expectedOffset += byteLength;
  }
  if (expectedOffset !== indexOffset)
    throw corrupt(`the blocks end at ${expectedOffset}, the index starts at ${indexOffset}`);
  if (entries[0]!.byteLength !== parsed.numRows * 8) {
    throw corrupt(`${blockLabel(0)} has ${entries[0]!.byteLength} bytes for ${parsed.numRows} rows`);
  }

  const checkBlock = (block: number, crc: number): void => {
    const { offset, byteLength } = entries[block]!;
    if (crc !== entries[block]!.crc) {
      throw corrupt(
        `checksum mismatch in ${blockLabel(block)} (bytes ${offset}..${offset + byteLength - 1})`,
      );
    }
  };
  // Each block is read into a buffer of its own, so the decoded arrays can be views into it.
  const readBlock = async (block: number): Promise<Buffer> => {
    const { offset, byteLength } = entries[block]!;
    const bytes = await readFileRange(handle, offset, byteLength);
    checkBlock(block, crc32c(bytes));
    return bytes;
  };

  const timestampBytes = await readBlock(0);
  const insertTimestamps = new BigUint64Array(
    timestampBytes.buffer,
    timestampBytes.byteOffset,
    parsed.numRows,
  );
  const range = timestampRange(insertTimestamps);
  if (range.min !== parsed.minTimestamp || range.max !== parsed.maxTimestamp) {
    throw corrupt("the insert timestamps disagree with the header's min/max");
  }

  const columns = new Map<string, Column>();
  for (let block = 1; block < blockCount; block++) {
    const field = parsed.fields[block - 1]!;
    const { offset, byteLength } = entries[block]!;
    const dense =
      options.vectorAllocator === undefined
        ? undefined
        : denseVectorEncodingLayout(field.type, field.dim, parsed.numRows, field.nullable);
    let column: Column;
    let bytesRead = byteLength;
    if (dense !== undefined && dense.byteLength === byteLength) {
      const parts = await readDenseVectorBlock(handle, offset, dense, field.type, options.vectorAllocator!);
      checkBlock(block, parts.crc);
      const { prefix, memory, suffix } = parts;
      try {
        column = decodeDenseVectorColumn(prefix, memory, dense.valuesBytes, suffix);
      } catch (error) {
        throw corrupt(`${blockLabel(block)} cannot be decoded: ${(error as Error).message}`, error);
      }
    } else {
      const bytes = await readBlock(block);
      try {
        ({ column, bytesRead } = decodeColumn(bytes, 0, {
          vectorAllocator: options.vectorAllocator,
          views: true,
        }));
      } catch (error) {
        throw corrupt(`${blockLabel(block)} cannot be decoded: ${(error as Error).message}`, error);
      }
    }
    const mismatch = describeMismatch(field, column, parsed.numRows, bytesRead, byteLength);
    if (mismatch !== undefined) throw corrupt(`${blockLabel(block)} ${mismatch}`);
    columns.set(field.name, column);
  }
  return {
    segmentId: rawSegmentId,
    collectionId: parsed.collectionId,
    partitionId: parsed.partitionId,
    numRows: parsed.numRows,
    insertTimestamps,
    columns,
  };
}

/**
 * Reads a dense vector block in three parts, the values straight from the file into memory from
 * `vectorAllocator` (no second copy), and returns them with the CRC-32C of the whole block.
 */
async function readDenseVectorBlock(
  handle: FileHandle,
  offset: number,
  layout: { valuesOffset: number; valuesBytes: number; byteLength: number },
  type: DataType,
  vectorAllocator: VectorAllocator,
): Promise<{ prefix: Buffer; memory: Uint8Array; suffix: Buffer; crc: number }> {
  const { valuesOffset, valuesBytes, byteLength } = layout;
  const prefix = await readFileRange(handle, offset, valuesOffset);
  const memory = vectorMemoryBytes(vectorAllocator(valuesBytes, type));
  if (memory.byteLength < valuesBytes) {
    throw errors.unexpected(`vectorAllocator returned ${memory.byteLength} bytes; ${valuesBytes} are needed`);
  }
  const values = memory.subarray(0, valuesBytes);
  await readFileInto(handle, offset + valuesOffset, values);
  const suffix = await readFileRange(
    handle,
    offset + valuesOffset + valuesBytes,
    byteLength - valuesOffset - valuesBytes,
  );
  return { prefix, memory, suffix, crc: crc32c(suffix, crc32c(values, crc32c(prefix))) };
}

interface ParsedHeader {
  collectionId: number;
  partitionId: number;
  numRows: number;
  minTimestamp: bigint;
  maxTimestamp: bigint;
  fields: FieldDescriptor[];
}

/** Parses a checksum-verified header; inconsistencies here mean a writer bug, still reported as corruption. */
function parseHeader(header: Buffer, corrupt: (defect: string) => Error): ParsedHeader {
  const end = header.length - 4;
  const collectionId = header.readBigInt64LE(36);
  const partitionId = header.readBigInt64LE(44);
  const numRows = header.readBigUInt64LE(52);
  const safe = (value: bigint) =>
    value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
  if (!safe(collectionId) || !safe(partitionId) || numRows > 0xffff_ffffn) {
    throw corrupt('header IDs or row count out of range');
  }
  const fieldCount = header.readUInt32LE(76);
  const fields: FieldDescriptor[] = [];
  const names = new Set<string>();
  let position = segmentFileFormat.fixedHeaderBytes;
  for (let index = 0; index < fieldCount; index++) {
    if (position + 2 > end) throw corrupt(`the field list ends early, at field ${index}`);
    const nameLength = header.readUInt16LE(position);
    if (nameLength === 0 || position + 2 + nameLength + 8 > end)
      throw corrupt(`field ${index} overruns the header`);
    const name = header.toString('utf8', position + 2, position + 2 + nameLength);
    position += 2 + nameLength;
    const flags = header.readUInt8(position + 2);
    if (names.has(name) || (flags & ~fieldFlagNullable) !== 0 || header.readUInt8(position + 3) !== 0) {
      throw corrupt(`field ${index} ("${name}") has a repeated name or unknown flags`);
    }
    names.add(name);
    fields.push({
      name,
      type: header.readUInt8(position),
      elementType: header.readUInt8(position + 1),
      nullable: (flags & fieldFlagNullable) !== 0,
      dim: header.readUInt32LE(position + 4),
    });
    position += 8;
  }
  if (end - position >= 8 || header.subarray(position, end).some((byte) => byte !== 0)) {
    throw corrupt(`${end - position} unexpected bytes after the field list`);
  }
  return {
    collectionId: Number(collectionId),
    partitionId: Number(partitionId),
    numRows: Number(numRows),
    minTimestamp: header.readBigUInt64LE(60),
    maxTimestamp: header.readBigUInt64LE(68),
    fields,
  };
}

function describeMismatch(
  field: FieldDescriptor,
  column: Column,
  numRows: number,
  bytesRead: number,
  blockBytes: number,
): string | undefined {
  if (bytesRead !== blockBytes) return `holds ${blockBytes - bytesRead} bytes after its column`;
  if (column.type !== field.type) {
    return `holds a ${dataTypeName(column.type)} column, the header says ${dataTypeName(field.type)}`;
  }
  const elementType = column.type === DataType.Array ? column.elementType : 0;
  const dim = 'dim' in column ? column.dim : 0;
  if (
    elementType !== field.elementType ||
    dim !== field.dim ||
    (column.valid !== undefined) !== field.nullable
  ) {
    return 'disagrees with the header about element type, dim or nullability';
  }
  const rows = isDenseVectorType(column.type) ? columnRowCount(column) : column.values.length;
  if (rows !== numRows) return `has ${rows} rows, the segment ${numRows}`;
  return undefined;
}
