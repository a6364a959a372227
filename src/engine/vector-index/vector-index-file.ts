import { crc32c } from '../../storage/crc32c.js';

/**
 * The vector index file beside a sealed segment (`<segment>.<fieldId>.qvix`, layout in
 * docs/FORMATS.md): magic "QUIVVIDX", format version, the segment and field it belongs to, the
 * index description (JSON: type, metric, build parameters, seed, rows) and the index payload (the
 * kernels' own self-describing bytes), then a CRC-32C of everything before it. Index files are
 * derived data: one that is corrupt or describes another index is rebuilt, never served.
 */
export const vectorIndexFileFormat = {
  magic: Buffer.from('QUIVVIDX', 'latin1'),
  version: 1,
  /** magic 8 + version 4 + field 4 + segment 8 + description length 4 + reserved 4 */
  fixedBytes: 32,
} as const;

export interface VectorIndexFileContents {
  segmentId: bigint;
  fieldId: number;
  /** Canonical JSON of what was built: compared with the wanted index to decide reuse. */
  description: string;
  payload: Uint8Array;
}

export function encodeVectorIndexFile(contents: VectorIndexFileContents): Uint8Array {
  const format = vectorIndexFileFormat;
  const description = Buffer.from(contents.description, 'utf8');
  // The description is zero-padded to 8 bytes so the payload starts 8-byte aligned: the kernels
  // read it through typed-array views.
  const descriptionSpace = align8(description.length);
  const total = format.fixedBytes + descriptionSpace + 8 + contents.payload.length + 4;
  const out = Buffer.alloc(total);
  format.magic.copy(out, 0);
  out.writeUInt32LE(format.version, 8);
  out.writeUInt32LE(contents.fieldId, 12);
  out.writeBigUInt64LE(contents.segmentId, 16);
  out.writeUInt32LE(description.length, 24);
  description.copy(out, format.fixedBytes);
  let at = format.fixedBytes + descriptionSpace;
  out.writeBigUInt64LE(BigInt(contents.payload.length), at);
  at += 8;
  out.set(contents.payload, at);
  at += contents.payload.length;
  out.writeUInt32LE(crc32c(out.subarray(0, at)), at);
  return out;
}

/** Why a file cannot be used: it is damaged, or it holds some other index. */
export class VectorIndexFileError extends Error {
  constructor(
    readonly path: string,
    readonly defect: string,
  ) {
    super(`vector index file ${path}: ${defect}`);
    this.name = 'VectorIndexFileError';
  }
}

/** Checks magic, version, checksum and identity; returns the payload (a view of `bytes`). */
export function decodeVectorIndexFile(
  bytes: Uint8Array,
  path: string,
  expected: { segmentId: bigint; fieldId: number; description: string },
): Uint8Array {
  const format = vectorIndexFileFormat;
  const fail = (defect: string): never => {
    throw new VectorIndexFileError(path, defect);
  };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < format.fixedBytes + 12) fail(`truncated (${buffer.length} bytes)`);
  if (!buffer.subarray(0, 8).equals(format.magic)) fail('bad magic (expected "QUIVVIDX")');
  const version = buffer.readUInt32LE(8);
  if (version !== format.version) fail(`unknown format version ${version}`);
  const end = buffer.length - 4;
  if (crc32c(buffer.subarray(0, end)) !== buffer.readUInt32LE(end)) fail('checksum mismatch');
  const descriptionLength = buffer.readUInt32LE(24);
  const payloadAt = format.fixedBytes + align8(descriptionLength) + 8;
  if (payloadAt > end) fail('description overruns the file');
  const payloadLength = Number(buffer.readBigUInt64LE(payloadAt - 8));
  if (payloadAt + payloadLength !== end) fail('payload length does not match the file size');
  if (buffer.readUInt32LE(12) !== expected.fieldId || buffer.readBigUInt64LE(16) !== expected.segmentId) {
    fail('it belongs to another segment or field');
  }
  const description = buffer.toString('utf8', format.fixedBytes, format.fixedBytes + descriptionLength);
  if (description !== expected.description) fail(`it holds another index (${description})`);
  const payload = bytes.subarray(payloadAt, end);
  // Typed-array views need aligned offsets; a buffer from a pool may not start aligned.
  return payload.byteOffset % 8 === 0 ? payload : payload.slice();
}

function align8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}
