import {
  type CollectionSchema,
  type Column,
  type ColumnBatch,
  DataType,
  type FieldSchema,
} from '../../schema/index.js';
import type { GrowableStorage } from '../segment/growable-array.js';
import { Segment } from '../segment/segment.js';
import { type PkColumn, type PkValue, PrimaryKeyIndex, type RowRef } from './primary-key-index.js';

export type { PkValue, RowRef } from './primary-key-index.js';

export interface PartitionData {
  id: number;
  /** Every segment of the partition in creation order; the last may be growing. */
  segments: Segment[];
  /** Insert records with LSN ≤ this are fully contained in sealed segment files. */
  sealedThroughLsn: bigint;
}

/**
 * One collection's rows: partitions of segments plus a primary-key index that maps each key to
 * its one live row. Every change is applied in WAL order and resolved by MVCC timestamps, so the
 * same result comes out whether a record is applied live or replayed after a crash.
 */
export class CollectionData {
  readonly partitions = new Map<number, PartitionData>();
  readonly pkField: FieldSchema;
  /** Fields stored in segments: everything but function outputs that are not materialised. */
  readonly storedFields: FieldSchema[];
  private readonly pkIndex: PrimaryKeyIndex;

  constructor(
    readonly collectionId: number,
    readonly schema: CollectionSchema,
    partitionIds: readonly number[],
    /** Where growing segments keep float32 and binary vectors (kernel memory; see GrowableStorage). */
    private readonly vectorStorage?: GrowableStorage,
  ) {
    const pk = schema.fields.find((f) => f.isPrimaryKey);
    if (!pk) throw new Error(`collection ${collectionId} has no primary key`);
    this.pkField = pk;
    if (pk.dataType === DataType.Int64) this.pkIndex = new PrimaryKeyIndex('int64');
    else if (pk.dataType === DataType.VarChar) this.pkIndex = new PrimaryKeyIndex('varchar');
    else throw new Error(`unsupported primary key type ${pk.dataType}`);
    this.storedFields = schema.fields;
    for (const id of partitionIds) this.addPartition(id);
  }

  addPartition(id: number): PartitionData {
    let partition = this.partitions.get(id);
    if (!partition) {
      partition = { id, segments: [], sealedThroughLsn: 0n };
      this.partitions.set(id, partition);
    }
    return partition;
  }

  /** Drops a partition's rows from the index; the caller removes its files. */
  removePartition(id: number): PartitionData | undefined {
    const partition = this.partitions.get(id);
    if (!partition) return undefined;
    this.partitions.delete(id);
    this.pkIndex.deletePartition(id);
    return partition;
  }

  /**
   * The partition's growing segment, created on demand. A new segment takes the LSN of the record
   * that creates it as its ID: unique (one insert record fills one partition), increasing, and the
   * same when the record is replayed after a crash.
   */
  private growingSegment(partition: PartitionData, lsn: bigint): Segment {
    const last = partition.segments[partition.segments.length - 1];
    if (last && last.state === 'growing') return last;
    const segment = Segment.growing(lsn, partition.id, this.storedFields, this.vectorStorage);
    partition.segments.push(segment);
    return segment;
  }

  /** The growing segment of a partition, if it has rows. */
  currentGrowing(partitionId: number): Segment | undefined {
    const partition = this.partitions.get(partitionId);
    const last = partition?.segments[partition.segments.length - 1];
    return last && last.state === 'growing' && last.numRows > 0 ? last : undefined;
  }

  pkValues(batch: ColumnBatch): PkValue[] {
    const column = batch.columns.get(this.pkField.name);
    if (!column) throw new Error(`batch lacks primary key ${this.pkField.name}`);
    if (column.type === DataType.Int64) return Array.from(column.values);
    if (column.type === DataType.VarChar) return column.values;
    throw new Error(`unsupported primary key type ${column.type}`);
  }

  /** The primary-key column of a batch or segment, checked against the schema's key type. */
  private pkColumn(column: Column | undefined, owner: string): PkColumn {
    if (!column) throw new Error(`${owner} lacks primary key column ${this.pkField.name}`);
    if (
      (column.type === DataType.Int64 || column.type === DataType.VarChar) &&
      column.type === this.pkField.dataType
    )
      return column.values;
    throw new Error(`${owner} has primary key column ${this.pkField.name} of type ${column.type}`);
  }

  /**
   * Applies an insert (or upsert) at `ts`. A key that already has a live row is superseded: the
   * older of the two rows is marked deleted at the newer one's timestamp.
   */
  applyInsert(partitionId: number, batch: ColumnBatch, ts: bigint, lsn: bigint): void {
    const partition = this.partitions.get(partitionId) ?? this.addPartition(partitionId);
    const keys = this.pkColumn(batch.columns.get(this.pkField.name), 'batch');
    const segment = this.growingSegment(partition, lsn);
    const first = segment.append(batch, ts, lsn);
    this.pkIndex.addSegmentKeys(
      segment,
      first,
      keys,
      undefined,
      (existing, existingRow, incoming, incomingRow) =>
        supersedeOlder(existing, existingRow, incoming, incomingRow, ts, lsn),
    );
  }

  /** Adds a sealed segment loaded from its file (at startup), indexing its live rows. */
  addLoadedSegment(segment: Segment): void {
    const partition = this.partitions.get(segment.partitionId) ?? this.addPartition(segment.partitionId);
    partition.segments.push(segment);
    const column = this.pkColumn(segment.column(this.pkField.name), `segment ${segment.id}`);
    const keys = column.length === segment.numRows ? column : column.slice(0, segment.numRows);
    this.pkIndex.addSegmentKeys(
      segment,
      0,
      keys,
      segment.deleteTimestamps(),
      (existing, existingRow, incoming, incomingRow) =>
        supersedeOlder(
          existing,
          existingRow,
          incoming,
          incomingRow,
          incoming.insertTimestamp(incomingRow),
          0n,
        ),
    );
  }

  /**
   * Deletes the live rows of `keys` that were inserted before `ts` (restricted to one partition
   * when given). Returns how many rows went from live to deleted.
   */
  applyDelete(keys: readonly PkValue[], ts: bigint, lsn: bigint, partitionId?: number): number {
    let deleted = 0;
    for (const key of keys) {
      const entry = this.pkIndex.find(key);
      if (entry < 0) continue;
      const segment = this.pkIndex.segmentAt(entry);
      const row = this.pkIndex.rowAt(entry);
      if (partitionId !== undefined && segment.partitionId !== partitionId) continue;
      if (segment.insertTimestamp(row) >= ts) continue;
      if (segment.markDeleted(row, ts, lsn)) deleted++;
      this.pkIndex.delete(key);
    }
    return deleted;
  }

  /** The live row of each key that exists (in the given partitions when set), in key order. */
  lookup(keys: readonly PkValue[], partitionIds?: ReadonlySet<number>): RowRef[] {
    const refs: RowRef[] = [];
    const seen = new Set<PkValue>();
    for (const key of keys) {
      if (seen.has(key)) continue;
      seen.add(key);
      const ref = this.pkIndex.get(key);
      if (!ref) continue;
      if (partitionIds && !partitionIds.has(ref.segment.partitionId)) continue;
      refs.push(ref);
    }
    return refs;
  }

  /** Exact live row count, optionally over some partitions. O(number of segments). */
  liveRows(partitionIds?: ReadonlySet<number>): number {
    let total = 0;
    for (const partition of this.partitions.values()) {
      if (partitionIds && !partitionIds.has(partition.id)) continue;
      for (const segment of partition.segments) total += segment.liveRows;
    }
    return total;
  }

  /**
   * Swaps `replaced` segments of a partition for `merged`, whose rows are the replaced segments'
   * kept rows in order (`kept[i]` for `replaced[i]`). Index entries that point at a kept row move to
   * the merged segment; a kept row deleted since it was copied is deleted in the merged segment too.
   */
  replaceSegments(
    partitionId: number,
    replaced: readonly Segment[],
    kept: readonly Uint32Array[],
    merged: Segment,
  ): void {
    const partition = this.partitions.get(partitionId);
    if (!partition) return;
    const position = partition.segments.indexOf(replaced[0]!);
    const gone = new Set(replaced);
    partition.segments = partition.segments.filter((s) => !gone.has(s));
    partition.segments.splice(
      position < 0 ? partition.segments.length : Math.min(position, partition.segments.length),
      0,
      merged,
    );
    const pkColumn = merged.column(this.pkField.name);
    const keys = (pkColumn?.values ?? []) as ArrayLike<PkValue>;
    let newRow = 0;
    for (let i = 0; i < replaced.length; i++) {
      const old = replaced[i]!;
      for (const oldRow of kept[i]!) {
        const deletedTs = old.deleteTimestamp(oldRow);
        if (deletedTs !== 0n) {
          merged.markDeleted(newRow, deletedTs, old.oldestUnpersistedDeleteLsn || 1n);
        } else {
          const entry = this.pkIndex.find(keys[newRow]!);
          if (entry >= 0 && this.pkIndex.segmentAt(entry) === old && this.pkIndex.rowAt(entry) === oldRow)
            this.pkIndex.replaceAt(entry, merged, newRow);
        }
        newRow++;
      }
    }
  }

  segments(): Segment[] {
    return [...this.partitions.values()].flatMap((p) => p.segments);
  }
}

/**
 * The MVCC rule for two rows with one key: the row inserted later (by timestamp; the incoming one on
 * a tie) stays live and the other is marked deleted at its timestamp. Returns whether the incoming
 * row, inserted at `incomingTs`, wins. `lsn` is the WAL record doing this (0n at load).
 */
function supersedeOlder(
  existing: Segment,
  existingRow: number,
  incoming: Segment,
  incomingRow: number,
  incomingTs: bigint,
  lsn: bigint,
): boolean {
  const existingTs = existing.insertTimestamp(existingRow);
  if (existingTs <= incomingTs) {
    existing.markDeleted(existingRow, incomingTs, lsn);
    return true;
  }
  incoming.markDeleted(incomingRow, existingTs, lsn);
  return false;
}
