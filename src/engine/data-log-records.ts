import type { ColumnBatch } from '../schema/index.js';
import type { PkValue } from './collection/collection-data.js';
import { decodeColumnBatch, encodeColumnBatch } from './format/column-codec.js';
import type { TransientArena } from './format/transient-arena.js';

/** WAL record types of the data path. The WAL itself treats types and payloads as opaque. */
export const DataRecordType = { Insert: 1, Delete: 2 } as const;

/**
 * One insert or upsert request: its rows, split by partition (partition-key collections spread a
 * request over several), logged as one record so the request is applied whole or not at all.
 */
export interface InsertRecord {
  kind: 'insert';
  collectionId: number;
  ts: bigint;
  parts: Array<{ partitionId: number; batch: ColumnBatch }>;
}

export interface DeleteRecord {
  kind: 'delete';
  collectionId: number;
  /** 0 means every partition. */
  partitionId: number;
  ts: bigint;
  keys: PkValue[];
}

export type DataRecord = InsertRecord | DeleteRecord;

const HEADER_BYTES = 16; // u32 collectionId, u32 partitionId, u64 ts

function header(collectionId: number, partitionId: number, ts: bigint): Buffer {
  const bytes = Buffer.allocUnsafe(HEADER_BYTES);
  bytes.writeUInt32LE(collectionId, 0);
  bytes.writeUInt32LE(partitionId, 4);
  bytes.writeBigUInt64LE(ts, 8);
  return bytes;
}

export function encodeDataRecord(record: DataRecord): { type: number; payload: Uint8Array } {
  if (record.kind === 'insert') {
    // Header's partition slot holds the number of parts; each part is u32 partitionId, u32 byte length, batch.
    const parts: Uint8Array[] = [header(record.collectionId, record.parts.length, record.ts)];
    for (const part of record.parts) {
      const chunks = encodeColumnBatch(part.batch);
      let length = 0;
      for (const chunk of chunks) length += chunk.byteLength;
      const partHeader = Buffer.allocUnsafe(8);
      partHeader.writeUInt32LE(part.partitionId, 0);
      partHeader.writeUInt32LE(length, 4);
      parts.push(partHeader, ...chunks);
    }
    return { type: DataRecordType.Insert, payload: Buffer.concat(parts) };
  }
  const head = header(record.collectionId, record.partitionId, record.ts);
  const parts: Uint8Array[] = [head];
  const count = Buffer.allocUnsafe(5);
  const stringKeys = record.keys.length > 0 && typeof record.keys[0] === 'string';
  count.writeUInt8(stringKeys ? 1 : 0, 0);
  count.writeUInt32LE(record.keys.length, 1);
  parts.push(count);
  if (stringKeys) {
    for (const key of record.keys as string[]) {
      const text = Buffer.from(key, 'utf8');
      const length = Buffer.allocUnsafe(4);
      length.writeUInt32LE(text.length, 0);
      parts.push(length, text);
    }
  } else {
    const values = BigInt64Array.from(record.keys as bigint[]);
    parts.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  return { type: DataRecordType.Delete, payload: Buffer.concat(parts) };
}

/**
 * `transient`: the record is applied and dropped at once (WAL replay), so its scalar values may be
 * views into `payload` and its dense vectors go to `transient`'s scratch (they are copied into the
 * segment anyway); the caller resets the arena once the record is applied.
 */
export function decodeDataRecord(
  type: number,
  payload: Uint8Array,
  options: { transient?: TransientArena } = {},
): DataRecord {
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const collectionId = bytes.readUInt32LE(0);
  const partitionId = bytes.readUInt32LE(4);
  const ts = bytes.readBigUInt64LE(8);
  if (type === DataRecordType.Insert) {
    const parts: InsertRecord['parts'] = [];
    let offset = HEADER_BYTES;
    for (let i = 0; i < partitionId; i++) {
      const id = bytes.readUInt32LE(offset);
      const length = bytes.readUInt32LE(offset + 4);
      offset += 8;
      parts.push({
        partitionId: id,
        batch: decodeColumnBatch(payload.subarray(offset, offset + length), {
          fixedWidthViews: options.transient !== undefined,
          vectorAllocator: options.transient?.allocate,
        }),
      });
      offset += length;
    }
    return { kind: 'insert', collectionId, ts, parts };
  }
  if (type !== DataRecordType.Delete) throw new Error(`unknown data record type ${type}`);
  const stringKeys = bytes.readUInt8(HEADER_BYTES) === 1;
  const count = bytes.readUInt32LE(HEADER_BYTES + 1);
  let offset = HEADER_BYTES + 5;
  const keys: PkValue[] = [];
  if (stringKeys) {
    for (let i = 0; i < count; i++) {
      const length = bytes.readUInt32LE(offset);
      keys.push(bytes.toString('utf8', offset + 4, offset + 4 + length));
      offset += 4 + length;
    }
  } else {
    for (let i = 0; i < count; i++) keys.push(bytes.readBigInt64LE(offset + i * 8));
  }
  return { kind: 'delete', collectionId, partitionId, ts, keys };
}
