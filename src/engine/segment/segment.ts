import type { Column, ColumnBatch, FieldSchema } from '../../schema/index.js';
import { ColumnStore } from './column-store.js';
import { GrowableArray, type GrowableStorage } from './growable-array.js';

export type SegmentState = 'growing' | 'sealing' | 'sealed';

/**
 * A horizontal slice of one partition's rows, in columnar form, with per-row MVCC timestamps.
 *
 * A segment starts growing (rows are appended in memory), is frozen when sealed (no more appends),
 * and is backed by an immutable segment file once sealed. The same object lives through all three
 * states, so primary-key index entries stay valid. Only `deleteTs` changes after freezing: a row is
 * visible at read timestamp T when insertTs ≤ T and (deleteTs = 0 or deleteTs > T).
 */
export class Segment {
  state: SegmentState;
  /** Smallest and largest WAL LSN whose rows are in this segment (0n when loaded from a file). */
  minLsn = 0n;
  maxLsn = 0n;
  /** Rows whose deleteTs is not yet persisted in the delete file; and the oldest LSN among those deletes. */
  unpersistedDeletes = 0;
  oldestUnpersistedDeleteLsn = 0n;
  /** Live (not deleted) rows, kept exact so that count(*) is O(1). */
  liveRows = 0;
  /** Bumped by every delete, so a delete-file write can tell whether deletes raced with it. */
  deleteVersion = 0;

  private readonly stores: Map<string, ColumnStore> | undefined;
  private readonly fixedColumns: Map<string, Column> | undefined;
  private readonly insertTs: GrowableArray<BigUint64Array>;
  private readonly deleteTs: GrowableArray<BigUint64Array>;
  private rows = 0;

  private constructor(
    readonly id: bigint,
    readonly partitionId: number,
    fields: readonly FieldSchema[],
    loaded?: { columns: Map<string, Column>; insertTimestamps: BigUint64Array; numRows: number },
    vectorStorage?: GrowableStorage,
  ) {
    if (loaded) {
      this.state = 'sealed';
      this.fixedColumns = loaded.columns;
      this.rows = loaded.numRows;
      this.insertTs = new GrowableArray(BigUint64Array, Math.max(16, loaded.numRows));
      this.insertTs.append(loaded.insertTimestamps);
      this.deleteTs = new GrowableArray(BigUint64Array, Math.max(16, loaded.numRows));
      this.deleteTs.reserve(loaded.numRows);
      this.liveRows = loaded.numRows;
    } else {
      this.state = 'growing';
      this.stores = new Map(fields.map((field) => [field.name, new ColumnStore(field, 1024, vectorStorage)]));
      this.insertTs = new GrowableArray(BigUint64Array);
      this.deleteTs = new GrowableArray(BigUint64Array);
    }
  }

  /** `vectorStorage`: where float32 and binary vector columns keep their rows (kernel memory). */
  static growing(
    id: bigint,
    partitionId: number,
    fields: readonly FieldSchema[],
    vectorStorage?: GrowableStorage,
  ): Segment {
    return new Segment(id, partitionId, fields, undefined, vectorStorage);
  }

  static fromFile(
    id: bigint,
    partitionId: number,
    contents: { columns: Map<string, Column>; insertTimestamps: BigUint64Array; numRows: number },
  ): Segment {
    return new Segment(id, partitionId, [], contents);
  }

  get numRows(): number {
    return this.rows;
  }

  /** Appends a batch at `ts` (from WAL record `lsn`); returns the first new row's offset. */
  append(batch: ColumnBatch, ts: bigint, lsn: bigint): number {
    if (this.state !== 'growing' || !this.stores)
      throw new Error(`segment ${this.id} is ${this.state}, not growing`);
    const first = this.rows;
    for (const [name, store] of this.stores) store.append(batch.columns.get(name), batch.numRows);
    const start = this.insertTs.reserve(batch.numRows);
    this.insertTs.raw.fill(ts, start, start + batch.numRows);
    this.deleteTs.reserve(batch.numRows);
    this.rows += batch.numRows;
    this.liveRows += batch.numRows;
    if (this.minLsn === 0n) this.minLsn = lsn;
    this.maxLsn = lsn;
    return first;
  }

  column(name: string): Column | undefined {
    return this.stores ? this.stores.get(name)?.view() : this.fixedColumns?.get(name);
  }

  /** Every column, for writing the segment file. */
  columns(): Map<string, Column> {
    if (this.fixedColumns) return this.fixedColumns;
    return new Map([...this.stores!].map(([name, store]) => [name, store.view()]));
  }

  insertTimestamp(row: number): bigint {
    return this.insertTs.raw[row]!;
  }

  insertTimestamps(): BigUint64Array {
    return this.insertTs.view();
  }

  deleteTimestamp(row: number): bigint {
    return this.deleteTs.raw[row]!;
  }

  deleteTimestamps(): BigUint64Array {
    return this.deleteTs.view();
  }

  /**
   * Marks `row` deleted at `ts` (keeping an earlier delete if there is one). Returns whether the
   * row went from live to deleted. `lsn` is the WAL record of the delete (0n when it is already
   * persisted, e.g. loaded from a delete file).
   */
  markDeleted(row: number, ts: bigint, lsn: bigint): boolean {
    const current = this.deleteTs.raw[row]!;
    if (current !== 0n && current <= ts) return false;
    this.deleteTs.raw[row] = ts;
    this.deleteVersion++;
    if (lsn !== 0n) {
      this.unpersistedDeletes++;
      if (this.oldestUnpersistedDeleteLsn === 0n || lsn < this.oldestUnpersistedDeleteLsn) {
        this.oldestUnpersistedDeleteLsn = lsn;
      }
    }
    if (current === 0n) {
      this.liveRows--;
      return true;
    }
    return false;
  }

  isVisible(row: number, readTs: bigint): boolean {
    if (this.insertTs.raw[row]! > readTs) return false;
    const deleted = this.deleteTs.raw[row]!;
    return deleted === 0n || deleted > readTs;
  }

  /** Stops appends; the next rows of the partition go to a new growing segment. */
  freeze(): void {
    if (this.state === 'growing') this.state = 'sealing';
  }

  /** Rows with a delete timestamp, for the delete file. */
  deletedRows(): { rows: Uint32Array; timestamps: BigUint64Array } {
    const all = this.deleteTs.view();
    let count = 0;
    for (let i = 0; i < this.rows; i++) if (all[i] !== 0n) count++;
    const rows = new Uint32Array(count);
    const timestamps = new BigUint64Array(count);
    let j = 0;
    for (let i = 0; i < this.rows; i++) {
      if (all[i] !== 0n) {
        rows[j] = i;
        timestamps[j] = all[i]!;
        j++;
      }
    }
    return { rows, timestamps };
  }

  /**
   * Called once a delete file written from the state at `version` is durable. Deletes that arrived
   * meanwhile keep the segment marked, so the next flush writes them too.
   */
  deletesPersisted(version: number): void {
    if (version !== this.deleteVersion) return;
    this.unpersistedDeletes = 0;
    this.oldestUnpersistedDeleteLsn = 0n;
  }
}
