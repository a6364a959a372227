import type { FilterIr } from '../../expr/index.js';
import type { DistanceKernels } from '../../kernels/distance/distance-kernels.js';
import { isSimilarityMetric, type Metric } from '../../kernels/distance/metric.js';
import type { ResidentVectors } from '../../kernels/distance/resident-vectors.js';
import type { CollectionData, RowRef } from '../collection/collection-data.js';
import type { SegmentIndexes } from '../exec/filter-rows.js';
import type { Segment } from '../segment/segment.js';
import type { AnnHandle, AnnSearchParams } from '../vector-index/ann-index.js';
import type { VectorIndexManager } from '../vector-index/vector-index-manager.js';
import type { ScanResult } from '../workers/kernel-task.js';
import type { KernelWorkerPool } from '../workers/kernel-worker-pool.js';
import { groupKeyAt } from './group-key.js';
import type { ResidentVectorCache } from './resident-vector-cache.js';
import { searchableSegments } from './segment-candidates.js';
import { type GroupedCandidate, selectGroups } from './select-groups.js';

export interface VectorSearchRequest {
  collectionId: number;
  fieldName: string;
  metric: Metric;
  /** nq query vectors, row-major: float32 for float/f16/bf16 fields, packed bits for binary. */
  queries: Float32Array | Uint8Array;
  nq: number;
  /** Floats (or bits) per vector. */
  dim: number;
  /** Hits wanted per query, offset included (offset + limit); with groupBy, groups wanted. */
  k: number;
  filter: FilterIr;
  readTs: bigint;
  partitionIds?: ReadonlySet<number>;
  /** Range search: keep only scores between radius (exclusive) and rangeFilter (inclusive). */
  range?: { radius: number; rangeFilter?: number };
  /** Search parameters of the field's ANN index (segments with a ready index use it). */
  annParams?: AnnSearchParams;
  /** Skip growing segments (Milvus's ignore_growing): only sealed data is searched. */
  ignoreGrowing?: boolean;
  /** Grouping search: `offset` groups skipped, then k - offset groups of up to groupSize hits. */
  groupBy?: { field: string; groupSize: number; offset: number };
  indexesOf?: SegmentIndexes;
}

export interface KnnHit {
  ref: RowRef;
  score: number;
}

export interface VectorSearchResult {
  /** Per query, best first (grouped by group with groupBy). */
  hits: KnnHit[][];
  /** With groupBy: per query, the group key of each hit. */
  groupKeys?: unknown[][];
}

/** Rows per scan task at least: smaller tasks cost more in messaging than they save. */
const MIN_TASK_ROWS = 32_768;

interface Chunk {
  /** Set when the segment is searched through its ANN index rather than scanned. */
  ann?: AnnHandle;
  segment: Segment;
  start: number;
  vectors: ResidentVectors;
  bits: Uint8Array | undefined;
  candidates: number;
}

/**
 * Exact k-nearest-neighbour search: per segment the candidate bitset first (visibility, nulls,
 * filter), then WASM SIMD top-k scans of the resident vectors on the worker pool (big segments cut
 * into row ranges so every worker helps), then a merge across segments. Scores and order are Milvus's:
 * distances ascending, similarities descending; equal scores keep segment order, then row order.
 * Exactness means a filter never costs recall: k hits come back whenever k rows match.
 */
export class VectorSearcher {
  constructor(
    private readonly pool: KernelWorkerPool,
    private readonly residents: ResidentVectorCache,
    readonly kernels: DistanceKernels,
    /** Rows per scan task at least (tests lower it to exercise row ranges on small data). */
    private readonly minTaskRows = MIN_TASK_ROWS,
    private readonly indexes?: VectorIndexManager,
  ) {}

  async search(data: CollectionData, request: VectorSearchRequest): Promise<VectorSearchResult> {
    const live = new Set(data.segments());
    this.residents.sweep(request.collectionId, live);
    const leases: Array<{ release(): void }> = [];
    try {
      const chunks = this.plan(data, request, leases);
      if (!request.groupBy) {
        const hits = await this.scan(chunks, request, request.k);
        return { hits: hits.map((perQuery) => perQuery.slice(0, request.k)) };
      }
      return await this.groupedSearch(chunks, request, request.groupBy);
    } finally {
      for (const lease of leases) lease.release();
    }
  }

  private plan(
    data: CollectionData,
    request: VectorSearchRequest,
    leases: Array<{ release(): void }>,
  ): Chunk[] {
    const chunks: Chunk[] = [];
    for (const { segment, column, candidates } of searchableSegments(data, request)) {
      // Range search needs every row in range: exact. A selective filter leaves few candidates:
      // scanning them exactly is cheaper than a graph walk that must skip most of what it meets,
      // and never misses a match (no recall collapse).
      const ann =
        request.range === undefined && candidates.count > exactScanCandidates(segment.numRows)
          ? this.indexes?.acquire(request.collectionId, segment, request.fieldName)
          : undefined;
      if (ann) {
        leases.push(ann);
        chunks.push({
          ann: ann.index,
          segment,
          start: 0,
          bits: candidates.bits,
          candidates: candidates.count,
          vectors: ann.vectors,
        });
        continue;
      }
      // Inverse norms only for COSINE: a column adopted from its file has none until one needs them.
      const lease = this.residents.acquire(
        request.collectionId,
        segment,
        request.fieldName,
        column,
        request.metric === 'COSINE',
      );
      leases.push(lease);
      const rows = lease.vectors.rows;
      // Cut big segments so every worker takes a share; starts stay multiples of 64 rows so each
      // range's bitset is a whole-byte slice of the segment's.
      const share = Math.ceil(rows / Math.max(1, this.pool.threads));
      const size = Math.ceil(Math.max(this.minTaskRows, share) / 64) * 64;
      for (let start = 0; start < rows; start += size) {
        const length = Math.min(size, rows - start);
        const bits = candidates.bits?.slice(start >> 3, (start + length + 7) >> 3);
        chunks.push({
          segment,
          start,
          bits,
          candidates: bits ? countBits(bits, length) : length,
          vectors: {
            ...lease.vectors,
            ptr: lease.vectors.ptr + start * lease.vectors.rowBytes,
            rows: length,
            invNormsPtr: lease.vectors.invNormsPtr === 0 ? 0 : lease.vectors.invNormsPtr + start * 4,
          },
        });
      }
    }
    return chunks.filter((chunk) => chunk.candidates > 0);
  }

  /** Runs every chunk with `k` hits per query each and merges: per query, all hits best first. */
  private async scan(chunks: readonly Chunk[], request: VectorSearchRequest, k: number): Promise<KnnHit[][]> {
    const exact = (chunk: Chunk) =>
      this.pool.run({
        kind: 'topK',
        metric: request.metric,
        vectors: chunk.vectors,
        queries: request.queries,
        // Range search needs every in-range row, not just the k best.
        k: request.range ? chunk.candidates : Math.min(k, chunk.candidates),
        bitset: chunk.bits,
      });
    const results: ScanResult[] = await Promise.all(
      chunks.map(async (chunk) => {
        if (!chunk.ann) return exact(chunk);
        const wanted = Math.min(k, chunk.candidates);
        const found = await this.pool.run({
          kind: 'annSearch',
          index: chunk.ann,
          vectors: chunk.vectors,
          queries: request.queries,
          k: wanted,
          params: request.annParams ?? {},
          bitset: chunk.bits,
        });
        // A filtered graph walk can run out of reachable candidates: never return fewer than k
        // hits when k rows match; scan this segment exactly instead.
        return hitsPerQueryAtLeast(found, request.nq, wanted) ? found : exact(chunk);
      }),
    );
    const perQuery: KnnHit[][] = Array.from({ length: request.nq }, () => []);
    chunks.forEach((chunk, c) => {
      const result = results[c]!;
      for (let q = 0; q < request.nq; q++) {
        const hits = perQuery[q]!;
        const base = q * result.k;
        // Padding (id -1) may sit anywhere past a query's own hits: read all k slots.
        for (let i = 0; i < result.k; i++) {
          const row = result.ids[base + i]!;
          if (row < 0) continue;
          const score = result.scores[base + i]!;
          if (request.range && !inRange(score, request.metric, request.range)) continue;
          hits.push({ ref: { segment: chunk.segment, row: chunk.start + row }, score });
        }
      }
    });
    const similarity = isSimilarityMetric(request.metric);
    for (const hits of perQuery) {
      // Stable: equal scores keep chunk order (segment order, then row).
      hits.sort((a, b) => (similarity ? b.score - a.score : a.score - b.score));
    }
    return perQuery;
  }

  /**
   * Grouping needs more than k hits per segment: scan for k × groupSize per chunk and widen the scan
   * (×4) until every query's groups are complete or every candidate has been seen. Exact either way.
   */
  private async groupedSearch(
    chunks: readonly Chunk[],
    request: VectorSearchRequest,
    groupBy: NonNullable<VectorSearchRequest['groupBy']>,
  ): Promise<VectorSearchResult> {
    const limit = request.k - groupBy.offset;
    const maxCandidates = Math.max(0, ...chunks.map((chunk) => chunk.candidates));
    let perChunk = Math.min(maxCandidates, request.k * groupBy.groupSize * 2);
    for (;;) {
      const merged = await this.scan(chunks, request, perChunk);
      const exhaustive = perChunk >= maxCandidates;
      const hits: KnnHit[][] = [];
      const groupKeys: unknown[][] = [];
      let complete = true;
      for (const perQuery of merged) {
        const keyed: GroupedCandidate<KnnHit>[] = perQuery.map((hit) => ({
          hit,
          key: groupKeyAt(hit.ref.segment.column(groupBy.field)!, hit.ref.row),
        }));
        const selection = selectGroups(keyed, groupBy.offset, limit, groupBy.groupSize);
        complete &&= selection.complete;
        hits.push(selection.hits);
        groupKeys.push(selection.keys);
      }
      if (complete || exhaustive) return { hits, groupKeys };
      perChunk = Math.min(maxCandidates, perChunk * 4);
    }
  }
}

/** Candidate counts at or below this are scanned exactly even when the segment has an ANN index. */
function exactScanCandidates(rows: number): number {
  return Math.max(2048, Math.floor(rows * 0.1));
}

function hitsPerQueryAtLeast(result: ScanResult, nq: number, wanted: number): boolean {
  for (let q = 0; q < nq; q++) {
    let hits = 0;
    for (let i = 0; i < result.k; i++) if (result.ids[q * result.k + i]! >= 0) hits++;
    if (hits < wanted) return false;
  }
  return true;
}

function countBits(bits: Uint8Array, rows: number): number {
  let count = 0;
  for (let row = 0; row < rows; row++) count += (bits[row >> 3]! >> (row & 7)) & 1;
  return count;
}

function inRange(score: number, metric: Metric, range: { radius: number; rangeFilter?: number }): boolean {
  if (isSimilarityMetric(metric)) {
    return score > range.radius && (range.rangeFilter === undefined || score <= range.rangeFilter);
  }
  return score < range.radius && (range.rangeFilter === undefined || score >= range.rangeFilter);
}
