import { type CollectionSchema, type ColumnBatch, DataType, type FieldSchema } from '../../schema/index.js';
import { Segment } from '../segment/segment.js';

/** A primary-key value: Int64 keys as bigint, VarChar keys as string. */
export type PkValue = bigint | string;

export interface RowRef {
  segment: Segment;
  row: number;
}

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
  private readonly pkIndex = new Map<PkValue, RowRef>();

  constructor(
    readonly collectionId: number,
    readonly schema: CollectionSchema,
    partitionIds: readonly number[],
  ) {
    const pk = schema.fields.find((f) => f.isPrimaryKey);
    if (!pk) throw new Error(`collection ${collectionId} has no primary key`);
    this.pkField = pk;
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
    for (const [pk, ref] of this.pkIndex) if (ref.segment.partitionId === id) this.pkIndex.delete(pk);
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
    const segment = Segment.growing(lsn, partition.id, this.storedFields);
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

  /**
   * Applies an insert (or upsert) at `ts`. A key that already has a live row is superseded: the
   * older of the two rows is marked deleted at the newer one's timestamp. Returns the rows' refs.
   */
  applyInsert(partitionId: number, batch: ColumnBatch, ts: bigint, lsn: bigint): void {
    const partition = this.partitions.get(partitionId) ?? this.addPartition(partitionId);
    const segment = this.growingSegment(partition, lsn);
    const first = segment.append(batch, ts, lsn);
    const keys = this.pkValues(batch);
    for (let i = 0; i < keys.length; i++) this.index(keys[i]!, { segment, row: first + i }, ts, lsn);
  }

  /** Registers a row (new or loaded) in the key index, resolving a clash by timestamp. */
  private index(key: PkValue, ref: RowRef, ts: bigint, lsn: bigint): void {
    const existing = this.pkIndex.get(key);
    if (!existing) {
      this.pkIndex.set(key, ref);
      return;
    }
    const existingTs = existing.segment.insertTimestamp(existing.row);
    if (existingTs <= ts) {
      existing.segment.markDeleted(existing.row, ts, lsn);
      this.pkIndex.set(key, ref);
    } else {
      ref.segment.markDeleted(ref.row, existingTs, lsn);
    }
  }

  /** Adds a sealed segment loaded from its file (at startup), indexing its live rows. */
  addLoadedSegment(segment: Segment): void {
    const partition = this.partitions.get(segment.partitionId) ?? this.addPartition(segment.partitionId);
    partition.segments.push(segment);
    const column = segment.column(this.pkField.name);
    if (!column) throw new Error(`segment ${segment.id} lacks primary key column ${this.pkField.name}`);
    const values = column.values as ArrayLike<PkValue>;
    for (let row = 0; row < segment.numRows; row++) {
      if (segment.deleteTimestamp(row) !== 0n) continue;
      this.index(values[row]!, { segment, row }, segment.insertTimestamp(row), 0n);
    }
  }

  /**
   * Deletes the live rows of `keys` that were inserted before `ts` (restricted to one partition
   * when given). Returns how many rows went from live to deleted.
   */
  applyDelete(keys: readonly PkValue[], ts: bigint, lsn: bigint, partitionId?: number): number {
    let deleted = 0;
    for (const key of keys) {
      const ref = this.pkIndex.get(key);
      if (!ref) continue;
      if (partitionId !== undefined && ref.segment.partitionId !== partitionId) continue;
      if (ref.segment.insertTimestamp(ref.row) >= ts) continue;
      if (ref.segment.markDeleted(ref.row, ts, lsn)) deleted++;
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
          const key = keys[newRow]!;
          const ref = this.pkIndex.get(key);
          if (ref && ref.segment === old && ref.row === oldRow)
            this.pkIndex.set(key, { segment: merged, row: newRow });
        }
        newRow++;
      }
    }
  }

  segments(): Segment[] {
    return [...this.partitions.values()].flatMap((p) => p.segments);
  }
}
