import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errors, isQuiverError } from '../errors/index.js';
import type { KernelMemory } from '../kernels/distance/kernel-memory.js';
import type { Logger } from '../observability/logger.js';
import type { CollectionSchema, ColumnBatch } from '../schema/index.js';
import type { MetaStore } from '../storage/meta-store.js';
import { SerialQueue } from '../util/serial-queue.js';
import { CollectionData, type PkValue } from './collection/collection-data.js';
import { ScalarIndexManager, type ScalarIndexSpec } from './collection/scalar-index-manager.js';
import { liveRowsOf, mergeLiveRows } from './compaction/merge-live-rows.js';
import { type DataRecord, decodeDataRecord, encodeDataRecord } from './data-log-records.js';
import { readDeleteFile, writeDeleteFile } from './format/delete-file.js';
import { readSegmentFile, writeSegmentFile } from './format/segment-file.js';
import { TransientArena } from './format/transient-arena.js';
import { IdAllocator } from './id-allocator.js';
import { KernelVectorAllocator } from './segment/kernel-vector-allocator.js';
import { Segment } from './segment/segment.js';
import { type WalSyncPolicy, WriteAheadLog } from './wal/write-ahead-log.js';

export interface StorageEngineOptions {
  dataDir: string;
  metaStore: MetaStore;
  /** Hybrid timestamps from the node's oracle; called in WAL order so ts order equals log order. */
  allocateTimestamp: () => Promise<bigint>;
  walSync?: WalSyncPolicy;
  /** A growing segment is sealed once it holds this many rows. */
  sealRows?: number;
  /** ...or once it has existed this long (checked by the maintenance timer). */
  sealAgeMs?: number;
  maintenanceIntervalMs?: number;
  /** Compact a partition once it has this many small sealed segments (or one with many deletes). */
  compactionMinSegments?: number;
  /** A sealed segment whose deleted fraction exceeds this is rewritten without the deleted rows. */
  compactionDeletedRatio?: number;
  /** Crash and I/O fault injection for tests; may throw to stop the operation at that step. */
  faultHook?: (step: EngineFaultStep) => void | Promise<void>;
  logger?: Logger;
  /**
   * Called after a collection's set of sealed segments changed (a segment sealed, segments
   * compacted, a partition dropped), so derived per-segment state (vector indexes) can follow.
   */
  onSegmentsChanged?: (collectionId: number) => void;
  /**
   * The search kernels' shared memory: sealed float32 and binary vector columns are read from their
   * files straight into it, so searches scan them in place (one copy, nothing to copy at startup).
   * Without it they go to SharedArrayBuffers.
   */
  kernelMemory?: KernelMemory;
}

export type EngineFaultStep =
  | 'seal:file-written'
  | 'seal:manifest-committed'
  | 'compaction:file-written'
  | 'compaction:manifest-committed'
  | 'compaction:old-files-removed';

export interface EngineCollectionSpec {
  id: number;
  schema: CollectionSchema;
  partitionIds: readonly number[];
  scalarIndexes?: ScalarIndexSpec[];
}

interface SegmentRecord {
  partitionId: number;
  numRows: number;
  maxLsn: string;
  hasDeleteFile: boolean;
  /** Field IDs whose scalar index file exists beside the segment. */
  scalarIndexFieldIds?: number[];
}

const CHECKPOINT_KEY = 'engine/checkpoint-lsn';
const segmentKey = (collectionId: number, segmentId: bigint) => `engine/segment/${collectionId}/${segmentId}`;
const partitionKey = (collectionId: number, partitionId: number) =>
  `engine/partition/${collectionId}/${partitionId}`;

/**
 * The storage engine: every mutation is appended to the WAL, acknowledged once durable, then
 * applied in log order to in-memory segments. Sealing writes immutable segment files; the WAL is
 * truncated up to the oldest record whose effect is not yet in a file (the checkpoint). A restart
 * loads the segment files and replays the WAL from the checkpoint.
 */
export class StorageEngine {
  private readonly collections = new Map<number, CollectionData>();
  private readonly sealQueues = new Map<number, SerialQueue>();
  private readonly writeOrder = new SerialQueue();
  private readonly autoIds: IdAllocator;
  /** Compacted segments take IDs from 2^62 up, apart from the LSN-derived IDs of sealed ones. */
  private readonly compactedIds: IdAllocator;
  private wal!: WriteAheadLog;
  private maintenance: NodeJS.Timeout | undefined;
  private lastApplied = 0n;
  private readonly sealRows: number;
  private readonly sealAgeMs: number;
  private readonly segmentCreatedAt = new WeakMap<Segment, number>();
  private closed = false;
  readonly scalarIndexes: ScalarIndexManager;
  private readonly kernelVectors: KernelVectorAllocator | undefined;

  private constructor(private readonly options: StorageEngineOptions) {
    this.kernelVectors = options.kernelMemory && new KernelVectorAllocator(options.kernelMemory);
    this.scalarIndexes = new ScalarIndexManager((collectionId, segmentId, fieldId) =>
      join(this.collectionDir(collectionId), `${segmentId}.${fieldId}.qidx`),
    );
    this.autoIds = IdAllocator.open(options.metaStore, 'engine/next-auto-id', 1_000_000n);
    this.compactedIds = IdAllocator.open(
      options.metaStore,
      'engine/next-compacted-segment-id',
      1_000n,
      1n << 62n,
    );
    this.sealRows = options.sealRows ?? 1_000_000;
    this.sealAgeMs = options.sealAgeMs ?? 10 * 60_000;
  }

  static async open(
    options: StorageEngineOptions,
    collections: readonly EngineCollectionSpec[],
  ): Promise<StorageEngine> {
    const engine = new StorageEngine(options);
    await engine.start(collections);
    return engine;
  }

  private get log(): Logger | undefined {
    return this.options.logger;
  }

  private collectionDir(collectionId: number): string {
    return join(this.options.dataDir, 'collections', String(collectionId));
  }

  private segmentPath(collectionId: number, segmentId: bigint, extension: 'qseg' | 'qdel'): string {
    return join(this.collectionDir(collectionId), `${segmentId}.${extension}`);
  }

  private async start(collections: readonly EngineCollectionSpec[]): Promise<void> {
    const startedAt = Date.now();
    for (const spec of collections) this.register(spec);
    await this.loadSegments();
    const checkpoint = BigInt(this.options.metaStore.get(CHECKPOINT_KEY) ?? '1');
    this.wal = await WriteAheadLog.open(join(this.options.dataDir, 'wal'), {
      sync: this.options.walSync ?? 'always',
      firstLsn: checkpoint,
      onWarning: (message) => this.log?.warn({ component: 'wal' }, message),
    });
    // Reads see everything up to lastApplied. A fresh oracle timestamp is above every write made
    // before the restart, including those already in segment files (which replay does not touch).
    this.lastApplied = await this.options.allocateTimestamp();
    let replayed = 0;
    // Each record is decoded into scratch memory, copied into its growing segment and dropped.
    const transient = new TransientArena();
    await this.wal.replay(checkpoint, (record) => {
      this.applyRecord(record.lsn, decodeDataRecord(record.type, record.payload, { transient }), true);
      transient.reset();
      replayed++;
    });
    const interval = this.options.maintenanceIntervalMs ?? 30_000;
    this.maintenance = setInterval(() => void this.maintain(), interval);
    this.maintenance.unref();
    this.log?.info(
      { collections: this.collections.size, replayedRecords: replayed, ms: Date.now() - startedAt },
      'storage engine ready',
    );
  }

  private register(spec: EngineCollectionSpec): CollectionData {
    const data = new CollectionData(spec.id, spec.schema, spec.partitionIds, this.kernelVectors);
    this.collections.set(spec.id, data);
    this.scalarIndexes.setSpecs(spec.id, spec.scalarIndexes ?? []);
    return data;
  }

  /** Loads every sealed segment the manifest lists, and removes files it does not list (crash leftovers). */
  private async loadSegments(): Promise<void> {
    const listed = new Set<string>();
    const listedIndexes = new Set<string>();
    const loads: Array<Promise<void>> = [];
    for (const [key, value] of this.options.metaStore.list('engine/segment/')) {
      const [, , collectionText, segmentText] = key.split('/');
      const collectionId = Number(collectionText);
      const segmentId = BigInt(segmentText!);
      const record = JSON.parse(value) as SegmentRecord;
      listed.add(`${collectionId}/${segmentId}`);
      for (const fieldId of record.scalarIndexFieldIds ?? [])
        listedIndexes.add(`${collectionId}/${segmentId}.${fieldId}`);
      const data = this.collections.get(collectionId);
      if (!data) continue;
      loads.push(this.loadSegment(data, segmentId, record));
    }
    // Load files concurrently, but index them in manifest order so the result is deterministic.
    const segments = await Promise.all(loads);
    void segments;
    for (const [key, value] of this.options.metaStore.list('engine/partition/')) {
      const [, , collectionText, partitionText] = key.split('/');
      const partition = this.collections.get(Number(collectionText))?.partitions.get(Number(partitionText));
      if (partition)
        partition.sealedThroughLsn = BigInt(
          (JSON.parse(value) as { sealedThroughLsn: string }).sealedThroughLsn,
        );
    }
    await this.removeUnlistedFiles(listed, listedIndexes);
  }

  private async loadSegment(data: CollectionData, segmentId: bigint, record: SegmentRecord): Promise<void> {
    const read = this.kernelVectors?.forRead();
    let contents: Awaited<ReturnType<typeof readSegmentFile>>;
    try {
      contents = await readSegmentFile(this.segmentPath(data.collectionId, segmentId, 'qseg'), {
        vectorAllocator: read?.allocate ?? ((byteLength: number) => new SharedArrayBuffer(byteLength)),
        expectedSegmentId: segmentId,
      });
    } catch (error) {
      read?.abandon();
      throw error;
    }
    read?.claim(contents.columns.values());
    const segment = Segment.fromFile(segmentId, record.partitionId, contents);
    segment.maxLsn = BigInt(record.maxLsn);
    if (record.hasDeleteFile) {
      const deletes = await readDeleteFile(this.segmentPath(data.collectionId, segmentId, 'qdel'), {
        expectedSegmentId: segmentId,
      });
      for (let i = 0; i < deletes.rows.length; i++)
        segment.markDeleted(deletes.rows[i]!, deletes.timestamps[i]!, 0n);
    }
    await this.scalarIndexes.load(data.collectionId, segment, record.scalarIndexFieldIds ?? []);
    data.addLoadedSegment(segment);
  }

  private async removeUnlistedFiles(
    listed: ReadonlySet<string>,
    listedIndexes: ReadonlySet<string>,
  ): Promise<void> {
    const root = join(this.options.dataDir, 'collections');
    const dirs = await readdir(root).catch(() => [] as string[]);
    for (const dir of dirs) {
      const collectionId = Number(dir);
      if (!this.collections.has(collectionId)) {
        // A dropped collection whose directory removal was interrupted.
        await rm(join(root, dir), { recursive: true, force: true });
        continue;
      }
      for (const file of await readdir(join(root, dir))) {
        const match = /^(\d+)\.(qseg|qdel)$/.exec(file);
        if (match && listed.has(`${collectionId}/${match[1]}`)) continue;
        const index = /^(\d+)\.(\d+)\.qidx$/.exec(file);
        if (index && listedIndexes.has(`${collectionId}/${index[1]}.${index[2]}`)) continue;
        // Vector index files are derived data checked when loaded: kept while their segment is listed.
        const vectorIndex = /^(\d+)\.(\d+)\.qvix$/.exec(file);
        if (vectorIndex && listed.has(`${collectionId}/${vectorIndex[1]}`)) continue;
        this.log?.warn({ file: join(root, dir, file) }, 'removing a file no manifest entry refers to');
        await rm(join(root, dir, file), { force: true });
      }
    }
  }

  // ------------------------------------------------------------------ catalog changes

  /** Where a sealed segment's vector index file for `fieldId` lives (see docs/FORMATS.md). */
  vectorIndexPath(collectionId: number, segmentId: bigint, fieldId: number): string {
    return join(this.collectionDir(collectionId), `${segmentId}.${fieldId}.qvix`);
  }

  addCollection(spec: EngineCollectionSpec): void {
    if (!this.collections.has(spec.id)) this.register(spec);
  }

  addPartition(collectionId: number, partitionId: number): void {
    this.collections.get(collectionId)?.addPartition(partitionId);
  }

  async dropCollection(collectionId: number): Promise<void> {
    const data = this.collections.get(collectionId);
    if (!data) return;
    this.collections.delete(collectionId);
    await this.sealQueue(collectionId).run(async () => {
      await this.options.metaStore.commit({
        deletePrefix: [`engine/segment/${collectionId}/`, `engine/partition/${collectionId}/`],
      });
      await rm(this.collectionDir(collectionId), { recursive: true, force: true });
    });
    this.sealQueues.delete(collectionId);
  }

  async dropPartition(collectionId: number, partitionId: number): Promise<void> {
    const data = this.collections.get(collectionId);
    const partition = data?.removePartition(partitionId);
    if (!data || !partition) return;
    await this.sealQueue(collectionId).run(async () => {
      await this.options.metaStore.commit({
        delete: [
          partitionKey(collectionId, partitionId),
          ...partition.segments.map((s) => segmentKey(collectionId, s.id)),
        ],
      });
      for (const segment of partition.segments) {
        await rm(this.segmentPath(collectionId, segment.id, 'qseg'), { force: true });
        await rm(this.segmentPath(collectionId, segment.id, 'qdel'), { force: true });
      }
    });
    this.options.onSegmentsChanged?.(collectionId);
  }

  /**
   * Declares the collection's scalar indexes: builds the missing ones for every sealed segment
   * (in the background queue of the collection), and deletes the files of indexes no longer
   * declared. New segments get them when they seal.
   */
  setScalarIndexes(collectionId: number, specs: ScalarIndexSpec[]): Promise<void> {
    const data = this.collections.get(collectionId);
    if (!data) return Promise.resolve();
    const previous = this.scalarIndexes.specsOf(collectionId);
    this.scalarIndexes.setSpecs(collectionId, specs);
    return this.sealQueue(collectionId).run(async () => {
      const removed = previous.filter(
        (p) => !specs.some((s) => s.fieldId === p.fieldId && s.type === p.type),
      );
      const sealed = data.segments().filter((s) => s.state === 'sealed');
      for (const spec of removed)
        await this.scalarIndexes.drop(collectionId, sealed, spec.fieldName, spec.fieldId);
      for (const segment of sealed) {
        const key = segmentKey(collectionId, segment.id);
        const stored = this.options.metaStore.get(key);
        if (!stored) continue;
        const record = JSON.parse(stored) as SegmentRecord;
        const fieldIds = await this.scalarIndexes.buildMissing(collectionId, segment);
        if (JSON.stringify(fieldIds) !== JSON.stringify(record.scalarIndexFieldIds ?? [])) {
          await this.options.metaStore.commit({
            put: [[key, JSON.stringify({ ...record, scalarIndexFieldIds: fieldIds })]],
          });
        }
      }
    });
  }

  // ------------------------------------------------------------------ writes

  hasCollection(collectionId: number): boolean {
    return this.collections.has(collectionId);
  }

  collection(collectionId: number): CollectionData {
    const data = this.collections.get(collectionId);
    if (!data) throw errors.unexpected(`storage engine has no collection ${collectionId}`);
    return data;
  }

  /** Reserves `count` auto_id primary keys. */
  async allocateAutoIds(count: number): Promise<BigInt64Array> {
    const first = await this.autoIds.allocate(count);
    const ids = new BigInt64Array(count);
    for (let i = 0; i < count; i++) ids[i] = first + BigInt(i);
    return ids;
  }

  /** The timestamp of the newest applied write: a read at it sees every acknowledged write. */
  get lastAppliedTimestamp(): bigint {
    return this.lastApplied;
  }

  /**
   * Durably logs and applies an insert/upsert: complete batches (primary keys included), one per
   * partition, as a single record.
   */
  async insert(
    collectionId: number,
    parts: Array<{ partitionId: number; batch: ColumnBatch }>,
  ): Promise<bigint> {
    const result = await this.write((ts) => ({ kind: 'insert', collectionId, ts, parts }));
    return result.ts;
  }

  /** Durably logs and applies a delete by primary key; resolves with the rows deleted. */
  async delete(
    collectionId: number,
    keys: PkValue[],
    partitionId = 0,
  ): Promise<{ ts: bigint; deleted: number }> {
    return this.write((ts) => ({ kind: 'delete', collectionId, partitionId, ts, keys }));
  }

  /**
   * Timestamp allocation and WAL append happen in one serial section, so timestamps increase with
   * LSNs; the apply runs when the append is acknowledged, which the WAL does in LSN order.
   */
  private async write(make: (ts: bigint) => DataRecord): Promise<{ ts: bigint; deleted: number }> {
    if (this.closed) throw errors.serviceUnavailable('the storage engine is shutting down');
    // The serial section only enqueues the append; it hands back the pending result wrapped in an
    // object so the queue does not wait for durability (that would defeat group commit).
    const pending = await this.writeOrder.run(async () => {
      const ts = await this.options.allocateTimestamp();
      const record = make(ts);
      const { type, payload } = encodeDataRecord(record);
      const done = this.wal.append(type, payload).then(
        (lsn) => ({ ts, deleted: this.applyRecord(lsn, record, false) }),
        (error: unknown) => {
          throw isQuiverError(error)
            ? error
            : errors.ioFailed(`write-ahead log append failed: ${(error as Error).message}`, error);
        },
      );
      return { done };
    });
    return pending.done;
  }

  /** Applies one logged record. Never throws for a valid record: the WAL already holds it. */
  private applyRecord(lsn: bigint, record: DataRecord, replaying: boolean): number {
    if (record.ts > this.lastApplied) this.lastApplied = record.ts;
    const data = this.collections.get(record.collectionId);
    if (!data) return 0; // dropped since
    if (record.kind === 'delete') {
      return data.applyDelete(
        record.keys,
        record.ts,
        lsn,
        record.partitionId === 0 ? undefined : record.partitionId,
      );
    }
    for (const part of record.parts) {
      const partition = data.partitions.get(part.partitionId);
      if (!partition) continue; // partition dropped since
      if (replaying && lsn <= partition.sealedThroughLsn) continue; // already in a segment file
      data.applyInsert(part.partitionId, part.batch, record.ts, lsn);
      const growing = data.currentGrowing(part.partitionId);
      if (growing) {
        if (!this.segmentCreatedAt.has(growing)) this.segmentCreatedAt.set(growing, Date.now());
        if (!replaying && growing.numRows >= this.sealRows) void this.sealInBackground(data, growing);
      }
    }
    return 0;
  }

  // ------------------------------------------------------------------ sealing, flush, checkpoint

  private sealQueue(collectionId: number): SerialQueue {
    let queue = this.sealQueues.get(collectionId);
    if (!queue) {
      queue = new SerialQueue();
      this.sealQueues.set(collectionId, queue);
    }
    return queue;
  }

  private sealInBackground(data: CollectionData, segment: Segment): Promise<void> {
    segment.freeze();
    return this.sealQueue(data.collectionId)
      .run(() => this.persistSegment(data, segment))
      .catch((error: unknown) => {
        this.log?.error(
          { err: error, segment: String(segment.id) },
          'sealing a segment failed; it stays in the WAL',
        );
      });
  }

  /** Writes a frozen segment's file (and delete file) and records it in the manifest. */
  private async persistSegment(data: CollectionData, segment: Segment): Promise<void> {
    if (segment.state === 'sealed' || !this.collections.has(data.collectionId)) return;
    const partition = data.partitions.get(segment.partitionId);
    if (!partition) return;
    await mkdir(this.collectionDir(data.collectionId), { recursive: true });
    await writeSegmentFile(this.segmentPath(data.collectionId, segment.id, 'qseg'), {
      segmentId: segment.id,
      collectionId: data.collectionId,
      partitionId: segment.partitionId,
      numRows: segment.numRows,
      insertTimestamps: segment.insertTimestamps(),
      columns: segment.columns(),
    });
    await this.options.faultHook?.('seal:file-written');
    const version = segment.deleteVersion;
    const deleted = segment.deletedRows();
    if (deleted.rows.length > 0) {
      await writeDeleteFile(this.segmentPath(data.collectionId, segment.id, 'qdel'), {
        segmentId: segment.id,
        ...deleted,
      });
    }
    const record: SegmentRecord = {
      partitionId: segment.partitionId,
      numRows: segment.numRows,
      maxLsn: segment.maxLsn.toString(),
      hasDeleteFile: deleted.rows.length > 0,
      scalarIndexFieldIds: await this.scalarIndexes.buildMissing(data.collectionId, segment),
    };
    const sealedThrough =
      segment.maxLsn > partition.sealedThroughLsn ? segment.maxLsn : partition.sealedThroughLsn;
    await this.options.metaStore.commit({
      put: [
        [segmentKey(data.collectionId, segment.id), JSON.stringify(record)],
        [
          partitionKey(data.collectionId, segment.partitionId),
          JSON.stringify({ sealedThroughLsn: sealedThrough.toString() }),
        ],
      ],
    });
    segment.state = 'sealed';
    partition.sealedThroughLsn = sealedThrough;
    segment.deletesPersisted(version);
    await this.options.faultHook?.('seal:manifest-committed');
    this.options.onSegmentsChanged?.(data.collectionId);
  }

  /** Rewrites the delete file of a sealed segment that has deletes not yet on disk. */
  private async persistDeletes(data: CollectionData, segment: Segment): Promise<void> {
    if (segment.state !== 'sealed' || segment.unpersistedDeletes === 0) return;
    const version = segment.deleteVersion;
    const deleted = segment.deletedRows();
    await writeDeleteFile(this.segmentPath(data.collectionId, segment.id, 'qdel'), {
      segmentId: segment.id,
      ...deleted,
    });
    const key = segmentKey(data.collectionId, segment.id);
    const record = JSON.parse(this.options.metaStore.get(key) ?? '{}') as SegmentRecord;
    if (!record.hasDeleteFile) {
      await this.options.metaStore.commit({
        put: [[key, JSON.stringify({ ...record, hasDeleteFile: true })]],
      });
    }
    segment.deletesPersisted(version);
  }

  /**
   * Seals every growing segment of the collections and persists their deletes, then advances the
   * checkpoint. Resolves with the IDs of the collections' sealed segments.
   */
  async flush(collectionIds: readonly number[]): Promise<Map<number, bigint[]>> {
    const result = new Map<number, bigint[]>();
    for (const collectionId of collectionIds) {
      const data = this.collection(collectionId);
      await this.sealQueue(collectionId).run(async () => {
        for (const segment of data.segments()) {
          if (segment.state !== 'sealed' && segment.numRows > 0) {
            segment.freeze();
            await this.persistSegment(data, segment);
          }
        }
        for (const segment of data.segments()) await this.persistDeletes(data, segment);
      });
      result.set(
        collectionId,
        data
          .segments()
          .filter((s) => s.state === 'sealed')
          .map((s) => s.id),
      );
    }
    await this.checkpoint();
    return result;
  }

  /** Moves the WAL checkpoint to the oldest record whose effect is not yet in a file. */
  async checkpoint(): Promise<void> {
    let oldest = this.wal.lastLsn + 1n;
    for (const data of this.collections.values()) {
      for (const segment of data.segments()) {
        if (segment.state !== 'sealed' && segment.numRows > 0 && segment.minLsn < oldest)
          oldest = segment.minLsn;
        if (segment.unpersistedDeletes > 0 && segment.oldestUnpersistedDeleteLsn < oldest) {
          oldest = segment.oldestUnpersistedDeleteLsn;
        }
      }
    }
    const current = BigInt(this.options.metaStore.get(CHECKPOINT_KEY) ?? '1');
    if (oldest <= current) return;
    await this.options.metaStore.commit({ put: [[CHECKPOINT_KEY, oldest.toString()]] });
    await this.wal.truncateBefore(oldest);
  }

  /**
   * Merges a collection's small sealed segments and rewrites segments with many deleted rows,
   * partition by partition: new file first, then one manifest commit that swaps it in, then removal
   * of the old files. A crash at any step leaves either the old segments or the new one listed;
   * unlisted files are removed at the next start. Returns how many segments were rewritten.
   */
  compact(collectionId: number): Promise<number> {
    const data = this.collection(collectionId);
    return this.sealQueue(collectionId).run(async () => {
      let rewritten = 0;
      for (const partition of [...data.partitions.values()]) {
        rewritten += await this.compactPartition(data, partition.id);
      }
      return rewritten;
    });
  }

  private async compactPartition(data: CollectionData, partitionId: number): Promise<number> {
    const partition = data.partitions.get(partitionId);
    if (!partition) return 0;
    const minSegments = this.options.compactionMinSegments ?? 4;
    const deletedRatio = this.options.compactionDeletedRatio ?? 0.2;
    const sealed = partition.segments.filter((s) => s.state === 'sealed');
    const small = sealed.filter((s) => s.numRows < this.sealRows / 2);
    const holey = sealed.filter((s) => s.numRows > 0 && (s.numRows - s.liveRows) / s.numRows > deletedRatio);
    const chosen = new Set<Segment>(holey);
    if (small.length >= minSegments) for (const s of small) chosen.add(s);
    if (chosen.size === 0) return 0;
    const inputs = sealed
      .filter((s) => chosen.has(s))
      .map((segment) => ({ segment, rows: liveRowsOf(segment) }));
    const merged = mergeLiveRows(
      inputs,
      data.storedFields.map((f) => f.name),
    );
    // The merged vectors go to kernel memory, where searches scan them without another copy.
    this.kernelVectors?.moveColumns(merged.columns);
    const id = await this.compactedIds.allocate(1);
    const replacement = Segment.fromFile(id, partitionId, merged);
    replacement.maxLsn = merged.maxLsn;
    const put: Array<[string, string]> = [];
    if (merged.numRows > 0) {
      await writeSegmentFile(this.segmentPath(data.collectionId, id, 'qseg'), {
        segmentId: id,
        collectionId: data.collectionId,
        partitionId,
        numRows: merged.numRows,
        insertTimestamps: merged.insertTimestamps,
        columns: merged.columns,
      });
      const record: SegmentRecord = {
        partitionId,
        numRows: merged.numRows,
        maxLsn: merged.maxLsn.toString(),
        hasDeleteFile: false,
      };
      put.push([segmentKey(data.collectionId, id), JSON.stringify(record)]);
    }
    await this.options.faultHook?.('compaction:file-written');
    await this.options.metaStore.commit({
      put,
      delete: inputs.map(({ segment }) => segmentKey(data.collectionId, segment.id)),
    });
    await this.options.faultHook?.('compaction:manifest-committed');
    data.replaceSegments(
      partitionId,
      inputs.map((i) => i.segment),
      inputs.map((i) => i.rows),
      replacement,
    );
    if (merged.numRows === 0)
      data.partitions.get(partitionId)!.segments = data.partitions
        .get(partitionId)!
        .segments.filter((s) => s !== replacement);
    for (const { segment } of inputs) {
      await rm(this.segmentPath(data.collectionId, segment.id, 'qseg'), { force: true });
      await rm(this.segmentPath(data.collectionId, segment.id, 'qdel'), { force: true });
      for (const spec of this.scalarIndexes.specsOf(data.collectionId)) {
        await rm(join(this.collectionDir(data.collectionId), `${segment.id}.${spec.fieldId}.qidx`), {
          force: true,
        });
      }
    }
    await this.options.faultHook?.('compaction:old-files-removed');
    this.options.onSegmentsChanged?.(data.collectionId);
    this.log?.info(
      { collection: data.collectionId, partition: partitionId, merged: inputs.length, rows: merged.numRows },
      'compacted segments',
    );
    return inputs.length;
  }

  /** Seals segments that have grown old and advances the checkpoint. */
  private async maintain(): Promise<void> {
    if (this.closed) return;
    const now = Date.now();
    try {
      for (const data of this.collections.values()) {
        for (const segment of data.segments()) {
          const created = this.segmentCreatedAt.get(segment);
          if (
            segment.state === 'growing' &&
            segment.numRows > 0 &&
            created !== undefined &&
            now - created >= this.sealAgeMs
          ) {
            await this.sealInBackground(data, segment);
          }
        }
      }
      await this.checkpoint();
    } catch (error) {
      this.log?.error({ err: error }, 'storage maintenance failed');
    }
  }

  walStats() {
    return this.wal.stats;
  }

  /** Stops accepting writes, waits for in-flight ones, and closes the WAL (flushing it). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.maintenance) clearInterval(this.maintenance);
    await this.writeOrder.run(() => undefined);
    for (const queue of this.sealQueues.values()) await queue.run(() => undefined);
    await this.wal.close();
  }
}
