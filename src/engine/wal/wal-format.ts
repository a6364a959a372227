import { crc32c } from '../../storage/crc32c.js';

/**
 * On-disk layout of the write-ahead log (docs/FORMATS.md, "Write-ahead log (wal/*.qwal)").
 *
 * File header (20 bytes):
 *   0  magic     4 bytes  "QWAL"
 *   4  version   u32 LE   1
 *   8  firstLsn  u64 LE   LSN of the file's first record (also encoded in the file name)
 *  16  crc       u32 LE   CRC-32C of bytes 0..15
 *
 * Record frame (17-byte frame header + payload), repeated until end of file:
 *   0  length    u32 LE   payload length in bytes (≤ maxPayloadBytes)
 *   4  crc       u32 LE   CRC-32C of bytes 0..3 (length) followed by bytes 8..end (type, lsn, payload)
 *   8  type      u8       opaque to the WAL, chosen by the caller
 *   9  lsn       u64 LE   previous record's LSN + 1 (the first is the header's firstLsn)
 *  17  payload   length bytes
 *
 * The CRC covers every frame byte except itself, so a damaged length field is caught too.
 */
export const walFormat = {
  magic: Buffer.from('QWAL', 'latin1'),
  version: 1,
  fileHeaderBytes: 20,
  frameHeaderBytes: 17,
  /** Hard format limit: a length field above this is corruption, and append refuses larger payloads. */
  maxPayloadBytes: 1 << 30,
  maxType: 255,
  fileExtension: '.qwal',
  /** File names are the first LSN as 20 zero-padded decimal digits (u64 max has 20 digits). */
  fileNamePattern: /^(\d{20})\.qwal$/,
} as const;

const frameTypeOffset = 8;
const frameLsnOffset = 9;

export interface WalFileHeader {
  readonly version: number;
  readonly firstLsn: bigint;
}

/** `00000000000000000001.qwal` for LSN 1. */
export function walFileName(firstLsn: bigint): string {
  return firstLsn.toString().padStart(20, '0') + walFormat.fileExtension;
}

/** The first LSN encoded in a WAL file name, or undefined when the name is not a WAL file's. */
export function parseWalFileName(name: string): bigint | undefined {
  const match = walFormat.fileNamePattern.exec(name);
  return match ? BigInt(match[1]!) : undefined;
}

export function encodeWalFileHeader(firstLsn: bigint): Buffer {
  const header = Buffer.allocUnsafe(walFormat.fileHeaderBytes);
  walFormat.magic.copy(header, 0);
  header.writeUInt32LE(walFormat.version, 4);
  header.writeBigUInt64LE(firstLsn, 8);
  header.writeUInt32LE(crc32c(header.subarray(0, 16)), 16);
  return header;
}

/** Decodes a file header, or returns the reason it is not a valid one. */
export function decodeWalFileHeader(bytes: Uint8Array): WalFileHeader | string {
  if (bytes.length < walFormat.fileHeaderBytes) {
    return `file header is ${bytes.length} bytes, expected ${walFormat.fileHeaderBytes}`;
  }
  const header = Buffer.from(bytes.buffer, bytes.byteOffset, walFormat.fileHeaderBytes);
  if (!header.subarray(0, 4).equals(walFormat.magic)) return 'bad magic (not a Quiver WAL file)';
  if (header.readUInt32LE(16) !== crc32c(header.subarray(0, 16))) return 'file header checksum mismatch';
  const version = header.readUInt32LE(4);
  if (version !== walFormat.version) return `unsupported WAL version ${version}`;
  return { version, firstLsn: header.readBigUInt64LE(8) };
}

/** Builds one record frame in a fresh buffer (the payload is copied, so the caller may reuse it). */
export function encodeWalFrame(type: number, lsn: bigint, payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(walFormat.frameHeaderBytes + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame[frameTypeOffset] = type;
  frame.writeBigUInt64LE(lsn, frameLsnOffset);
  frame.set(payload, walFormat.frameHeaderBytes);
  frame.writeUInt32LE(walFrameCrc(frame, 0, frame.length), 4);
  return frame;
}

/** CRC of the frame at bytes[start, end): the length field, then type + lsn + payload. */
export function walFrameCrc(bytes: Uint8Array, start: number, end: number): number {
  return crc32c(bytes.subarray(start + frameTypeOffset, end), crc32c(bytes.subarray(start, start + 4)));
}

export function readFrameType(bytes: Buffer, start: number): number {
  return bytes[start + frameTypeOffset]!;
}

export function readFrameLsn(bytes: Buffer, start: number): bigint {
  return bytes.readBigUInt64LE(start + frameLsnOffset);
}
