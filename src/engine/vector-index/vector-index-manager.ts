import { readFile, rm } from 'node:fs/promises';
import type { DistanceKernels } from '../../kernels/distance/distance-kernels.js';
import type { ResidentVectors } from '../../kernels/distance/resident-vectors.js';
import type { Logger } from '../../observability/logger.js';
import { writeFileAtomic } from '../../storage/local/write-file-atomic.js';
import { SerialQueue } from '../../util/serial-queue.js';
import type { CollectionData } from '../collection/collection-data.js';
import type { ResidentLease, ResidentVectorCache } from '../search/resident-vector-cache.js';
import type { Segment } from '../segment/segment.js';
import type { KernelWorkerPool } from '../workers/kernel-worker-pool.js';
import {
  type AnnBuildSpec,
  type AnnHandle,
  annIndexBytes,
  annIndexFromBytes,
  annIndexToBytes,
  releaseAnnIndex,
} from './ann-index.js';
import { decodeVectorIndexFile, encodeVectorIndexFile, VectorIndexFileError } from './vector-index-file.js';

/** A declared ANN index on one vector field of a collection. */
export interface VectorIndexSpec {
  fieldName: string;
  fieldId: number;
  build: AnnBuildSpec;
}

type EntryState = 'queued' | 'building' | 'ready' | 'failed';

interface Entry {
  spec: VectorIndexSpec;
  description: string;
  state: EntryState;
  rows: number;
  /** Build progress: rows inserted / assigned so far. */
  done: number;
  index?: AnnHandle;
  vectors?: ResidentLease;
  error?: string;
  refs: number;
  retired: boolean;
}

/** A ready index held for one search; release() when the search is done. */
export interface AnnLease {
  readonly index: AnnHandle;
  readonly vectors: ResidentVectors;
  release(): void;
}

/** DescribeIndex's view of one field's index over the sealed segments. */
export interface VectorIndexProgress {
  indexedRows: number;
  totalRows: number;
  pendingRows: number;
  state: 'Finished' | 'InProgress' | 'Failed';
  failReason: string;
}

export interface VectorIndexManagerDeps {
  collection: (collectionId: number) => CollectionData | undefined;
  indexPath: (collectionId: number, segmentId: bigint, fieldId: number) => string;
  kernels: DistanceKernels;
  residents: ResidentVectorCache;
  /** Workers for builds, apart from the search workers so searches never queue behind a build. */
  buildPool: KernelWorkerPool;
  log?: Logger;
}

/**
 * The ANN indexes of sealed segments. Growing segments are searched exactly; when a segment seals
 * (or compaction produces one, or an index is declared) its index is loaded from its file beside the
 * segment, or built in a worker thread and then written there (atomically, checksummed). Until an
 * index is ready its segment is searched exactly, so results never wait for a build. Indexes of
 * segments that are gone, or of dropped index declarations, are freed once no search holds them, and
 * their files removed. Builds run one at a time, in segment order.
 */
export class VectorIndexManager {
  private readonly specs = new Map<number, VectorIndexSpec[]>();
  private readonly entries = new Map<number, Map<Segment, Map<string, Entry>>>();
  private readonly queue = new SerialQueue();
  private pending: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Indexes built (not loaded from a file) since start: lets tests prove a restart rebuilt nothing. */
  builds = 0;
  /** Indexes loaded from their files since start. */
  loads = 0;

  constructor(private readonly deps: VectorIndexManagerDeps) {}

  setSpecs(collectionId: number, specs: VectorIndexSpec[]): void {
    this.specs.set(collectionId, specs);
    this.reconcile(collectionId);
  }

  /**
   * Brings the collection's indexes in line with its sealed segments and declarations: queues what
   * is missing, retires what is no longer wanted.
   */
  reconcile(collectionId: number): void {
    if (this.closed) return;
    const data = this.deps.collection(collectionId);
    const specs = data ? (this.specs.get(collectionId) ?? []) : [];
    let segments = this.entries.get(collectionId);
    if (!segments) {
      segments = new Map();
      this.entries.set(collectionId, segments);
    }
    const live = new Set(data?.segments() ?? []);
    for (const [segment, fields] of segments) {
      for (const [field, entry] of fields) {
        const wanted = live.has(segment) && specs.some((s) => describe(s, segment) === entry.description);
        if (wanted) continue;
        fields.delete(field);
        this.retire(entry);
        if (!live.has(segment) || !specs.some((s) => s.fieldName === field)) {
          const path = this.deps.indexPath(collectionId, segment.id, entry.spec.fieldId);
          // Queued behind any build of the same file, and awaited by whenIdle().
          this.pending = this.queue.run(() => rm(path, { force: true }));
        }
      }
      if (fields.size === 0) segments.delete(segment);
    }
    if (!data) return;
    for (const segment of data.segments()) {
      if (segment.state !== 'sealed' || segment.numRows === 0) continue;
      for (const spec of specs) {
        let fields = segments.get(segment);
        if (!fields) {
          fields = new Map();
          segments.set(segment, fields);
        }
        if (fields.has(spec.fieldName)) continue;
        const entry: Entry = {
          spec,
          description: describe(spec, segment),
          state: 'queued',
          rows: segment.numRows,
          done: 0,
          refs: 0,
          retired: false,
        };
        fields.set(spec.fieldName, entry);
        this.pending = this.queue.run(() => this.prepare(collectionId, segment, entry));
      }
    }
  }

  /** The segment's ready index on `fieldName`, held until release(); undefined while not ready. */
  acquire(collectionId: number, segment: Segment, fieldName: string): AnnLease | undefined {
    const entry = this.entries.get(collectionId)?.get(segment)?.get(fieldName);
    if (!entry || entry.state !== 'ready' || !entry.index || !entry.vectors) return undefined;
    entry.refs++;
    let released = false;
    return {
      index: entry.index,
      vectors: entry.vectors.vectors,
      release: () => {
        if (released) return;
        released = true;
        entry.refs--;
        if (entry.retired && entry.refs === 0) this.free(entry);
      },
    };
  }

  /** Indexed, total and pending rows of the sealed segments, for DescribeIndex. */
  progress(collectionId: number, fieldName: string): VectorIndexProgress {
    const data = this.deps.collection(collectionId);
    let indexedRows = 0;
    let totalRows = 0;
    let failReason = '';
    for (const segment of data?.segments() ?? []) {
      if (segment.state !== 'sealed') continue;
      totalRows += segment.numRows;
      const entry = this.entries.get(collectionId)?.get(segment)?.get(fieldName);
      if (entry?.state === 'ready') indexedRows += segment.numRows;
      if (entry?.state === 'failed') failReason ||= entry.error ?? 'index build failed';
    }
    const pendingRows = totalRows - indexedRows;
    const state = failReason ? 'Failed' : pendingRows === 0 ? 'Finished' : 'InProgress';
    return { indexedRows, totalRows, pendingRows, state, failReason };
  }

  /** Kernel memory held by ready indexes, and counts by state (for metrics). */
  stats(): { indexBytes: number; ready: number; queued: number; building: number; failed: number } {
    const stats = { indexBytes: 0, ready: 0, queued: 0, building: 0, failed: 0 };
    for (const segments of this.entries.values()) {
      for (const fields of segments.values()) {
        for (const entry of fields.values()) {
          stats[entry.state]++;
          if (entry.index) stats.indexBytes += annIndexBytes(entry.index);
        }
      }
    }
    return stats;
  }

  /** Resolves once every queued load or build has finished (tests, benchmarks, shutdown). */
  async whenIdle(): Promise<void> {
    for (;;) {
      const current = this.pending;
      await current.catch(() => undefined);
      if (current === this.pending) return;
    }
  }

  dropCollection(collectionId: number): void {
    this.specs.delete(collectionId);
    for (const fields of this.entries.get(collectionId)?.values() ?? []) {
      for (const entry of fields.values()) this.retire(entry);
    }
    this.entries.delete(collectionId);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.whenIdle();
  }

  private async prepare(collectionId: number, segment: Segment, entry: Entry): Promise<void> {
    if (entry.retired || this.closed) return;
    const { spec } = entry;
    const column = segment.column(spec.fieldName);
    if (!column) return;
    const path = this.deps.indexPath(collectionId, segment.id, spec.fieldId);
    const log = this.deps.log?.child({
      collection: collectionId,
      segment: String(segment.id),
      field: spec.fieldName,
    });
    try {
      // Copied a slice per event-loop turn first, so a big segment does not stall requests.
      await this.deps.residents.warm(collectionId, segment, spec.fieldName, column);
      if (entry.retired || this.closed) return;
      entry.vectors = this.deps.residents.acquire(collectionId, segment, spec.fieldName, column);
      const vectors = entry.vectors.vectors;
      const loaded = await this.loadFile(path, segment, entry, vectors);
      if (loaded) {
        entry.index = loaded;
        this.loads++;
        log?.info({ indexType: spec.build.indexType, rows: entry.rows }, 'vector index loaded');
      } else {
        entry.state = 'building';
        const started = performance.now();
        log?.info({ indexType: spec.build.indexType, rows: entry.rows }, 'building vector index');
        const index = await this.deps.buildPool.run(
          { kind: 'annBuild', spec: spec.build, vectors, seed: seedOf(segment, spec) },
          (done) => {
            entry.done = done;
          },
        );
        entry.index = index;
        if (entry.retired) return; // freed below
        const payload = annIndexToBytes(this.deps.kernels, index, vectors);
        await writeFileAtomic(
          path,
          encodeVectorIndexFile({
            segmentId: segment.id,
            fieldId: spec.fieldId,
            description: entry.description,
            payload,
          }),
        );
        this.builds++;
        log?.info(
          {
            indexType: spec.build.indexType,
            rows: entry.rows,
            ms: Math.round(performance.now() - started),
            bytes: annIndexBytes(index),
          },
          'vector index built',
        );
      }
      entry.done = entry.rows;
      entry.state = 'ready';
    } catch (error) {
      entry.state = 'failed';
      entry.error = (error as Error).message;
      log?.error({ err: error }, 'vector index build failed; the segment is searched exactly');
    } finally {
      if (entry.retired && entry.refs === 0) this.free(entry);
    }
  }

  /** The index from its file, or undefined when there is none or it cannot be used (then rebuilt). */
  private async loadFile(
    path: string,
    segment: Segment,
    entry: Entry,
    vectors: ResidentVectors,
  ): Promise<AnnHandle | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const payload = decodeVectorIndexFile(bytes, path, {
        segmentId: segment.id,
        fieldId: entry.spec.fieldId,
        description: entry.description,
      });
      return annIndexFromBytes(this.deps.kernels, entry.spec.build.indexType, payload, vectors);
    } catch (error) {
      const reason = error instanceof VectorIndexFileError ? error.defect : (error as Error).message;
      this.deps.log?.warn({ file: path, reason }, 'vector index file unusable; rebuilding it');
      await rm(path, { force: true });
      return undefined;
    }
  }

  private retire(entry: Entry): void {
    if (entry.retired) return;
    entry.retired = true;
    if (entry.refs === 0 && entry.state !== 'building') this.free(entry);
  }

  private free(entry: Entry): void {
    if (entry.index && entry.vectors) {
      releaseAnnIndex(this.deps.kernels, entry.index, entry.vectors.vectors);
    }
    entry.index = undefined;
    entry.vectors?.release();
    entry.vectors = undefined;
  }
}

/** What an index over this segment must be: reused from a file only when this matches exactly. */
function describe(spec: VectorIndexSpec, segment: Segment): string {
  const params = Object.fromEntries(Object.entries(spec.build.params).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify({
    indexType: spec.build.indexType,
    metric: spec.build.metric,
    params,
    seed: seedOf(segment, spec),
    rows: segment.numRows,
  });
}

/** Builds are deterministic: the seed comes from the segment and field, not from a clock. */
function seedOf(segment: Segment, spec: VectorIndexSpec): number {
  return Number(segment.id % 2_147_483_629n) ^ spec.fieldId;
}
