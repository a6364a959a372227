import type { Segment } from '../segment/segment.js';
import { Int64KeyTable } from './int64-key-table.js';
import type { KeyTable } from './key-table.js';
import { StringKeyTable } from './string-key-table.js';

/** A primary-key value: Int64 keys as bigint, VarChar keys as string. */
export type PkValue = bigint | string;

/** A column of primary keys, as segments hold them. */
export type PkColumn = BigInt64Array | readonly string[];

export interface RowRef {
  segment: Segment;
  row: number;
}

/**
 * Decides a clash between the row a key already points at and a newly added row with the same key.
 * Returns true when the key should point at the new row. It may mark rows deleted, but must not
 * change the index.
 */
export type ClashResolver = (
  existing: Segment,
  existingRow: number,
  incoming: Segment,
  incomingRow: number,
) => boolean;

/**
 * Maps each primary key to its one live row, (segment, row), without an object per key: the key
 * table stores a small segment slot number and the row in typed arrays, and the index keeps the
 * segments by slot. Int64 keys go to an open-addressing table over Int32 words; VarChar keys to a
 * Map of string to entry number.
 *
 * Invariant: entryCounts[s] is the number of keys whose entry points at slot s; a slot is released
 * (its segment forgotten, the number reused) as soon as that count drops to 0, so segments replaced
 * by compaction or dropped with a partition are not kept alive by the index.
 *
 * Entry numbers returned by find() stay valid until the index changes (replaceAt excepted).
 */
export class PrimaryKeyIndex {
  private readonly table: KeyTable<PkValue, PkColumn>;
  private readonly segments: Array<Segment | undefined> = [];
  private readonly entryCounts: number[] = [];
  private readonly slotBySegment = new Map<Segment, number>();
  private readonly freeSlots: number[] = [];

  constructor(readonly keyType: 'int64' | 'varchar') {
    this.table = (keyType === 'int64' ? new Int64KeyTable() : new StringKeyTable()) as KeyTable<
      PkValue,
      PkColumn
    >;
  }

  /** Number of keys. */
  get size(): number {
    return this.table.size;
  }

  /** The entry of `key`, or -1. */
  find(key: PkValue): number {
    return this.table.find(key);
  }

  segmentAt(entry: number): Segment {
    return this.segments[this.table.slotAt(entry)]!;
  }

  rowAt(entry: number): number {
    return this.table.rowAt(entry);
  }

  get(key: PkValue): RowRef | undefined {
    const entry = this.table.find(key);
    return entry < 0 ? undefined : { segment: this.segmentAt(entry), row: this.table.rowAt(entry) };
  }

  /** Points `key` at (segment, row); when it already points at a row, `resolve` decides. */
  add(key: PkValue, segment: Segment, row: number, resolve: ClashResolver): void {
    const slot = this.acquireSlot(segment);
    let existing: number;
    try {
      existing = this.table.insert(key, slot, row);
    } catch (error) {
      this.releaseIfUnused(slot);
      throw error;
    }
    if (existing < 0) {
      this.entryCounts[slot]!++;
      return;
    }
    if (resolve(this.segmentAt(existing), this.table.rowAt(existing), segment, row)) {
      this.moveEntry(existing, slot, row);
    } else {
      this.releaseIfUnused(slot);
    }
  }

  /**
   * Bulk form of add for keys[i] at (segment, firstRow + i), in order, skipping rows whose delete
   * timestamp in `deleteTimestamps` (indexed by segment row) is set. Used to index a segment loaded
   * at startup and each inserted batch.
   */
  addSegmentKeys(
    segment: Segment,
    firstRow: number,
    keys: PkColumn,
    deleteTimestamps: BigUint64Array | undefined,
    resolve: ClashResolver,
  ): void {
    const slot = this.acquireSlot(segment);
    // Pinned by one extra count while adding: a clash inside this segment may move an entry away
    // from the slot before the added keys are counted.
    this.entryCounts[slot]!++;
    let added = 0;
    try {
      added = this.table.insertColumn(keys, slot, firstRow, deleteTimestamps, (entry, row) => {
        if (resolve(this.segmentAt(entry), this.table.rowAt(entry), segment, row))
          this.moveEntry(entry, slot, row);
      });
    } finally {
      this.entryCounts[slot]! += added - 1;
      this.releaseIfUnused(slot);
    }
  }

  /** Points an existing entry at another row. */
  replaceAt(entry: number, segment: Segment, row: number): void {
    this.moveEntry(entry, this.acquireSlot(segment), row);
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: PkValue): boolean {
    const slot = this.table.delete(key);
    if (slot < 0) return false;
    this.entryCounts[slot]!--;
    this.releaseIfUnused(slot);
    return true;
  }

  /** Removes every key whose row is in a segment of partition `partitionId`; returns how many. */
  deletePartition(partitionId: number): number {
    const dropped = new Uint8Array(this.segments.length);
    let any = false;
    for (let slot = 0; slot < this.segments.length; slot++) {
      if (this.segments[slot]?.partitionId !== partitionId) continue;
      dropped[slot] = 1;
      any = true;
    }
    if (!any) return 0;
    const removed = this.table.deleteSlots(dropped);
    for (let slot = 0; slot < dropped.length; slot++) {
      if (dropped[slot] !== 1) continue;
      this.entryCounts[slot] = 0;
      this.releaseIfUnused(slot);
    }
    return removed;
  }

  /** Segments the index currently refers to (for tests and diagnostics). */
  referencedSegments(): Segment[] {
    return this.segments.filter((segment): segment is Segment => segment !== undefined);
  }

  private moveEntry(entry: number, slot: number, row: number): void {
    const previous = this.table.slotAt(entry);
    // Count the new slot first: when both are the same slot its count never touches 0.
    this.entryCounts[slot]!++;
    this.table.setAt(entry, slot, row);
    this.entryCounts[previous]!--;
    this.releaseIfUnused(previous);
  }

  private acquireSlot(segment: Segment): number {
    let slot = this.slotBySegment.get(segment);
    if (slot !== undefined) return slot;
    slot = this.freeSlots.pop() ?? this.segments.length;
    this.segments[slot] = segment;
    this.entryCounts[slot] = 0;
    this.slotBySegment.set(segment, slot);
    return slot;
  }

  private releaseIfUnused(slot: number): void {
    const segment = this.segments[slot];
    if (segment === undefined || this.entryCounts[slot] !== 0) return;
    this.slotBySegment.delete(segment);
    this.segments[slot] = undefined;
    this.freeSlots.push(slot);
  }
}
