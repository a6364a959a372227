import type { FilterIr } from '../../expr/index.js';
import type { DistanceKernels } from '../../kernels/distance/distance-kernels.js';
import { isBinaryMetric, isSimilarityMetric, type Metric } from '../../kernels/distance/metric.js';
import { type Column, DataType } from '../../schema/index.js';
import type { CollectionData, RowRef } from '../collection/collection-data.js';
import type { Segment } from '../segment/segment.js';
import { filterRows, type SegmentIndexes } from './filter-rows.js';

export interface KnnRequest {
  fieldName: string;
  metric: Metric;
  /** nq query vectors, row-major: float32 for float/f16/bf16 fields, packed bits for binary. */
  queries: Float32Array | Uint8Array;
  nq: number;
  dim: number;
  /** Hits wanted per query (offset + limit). */
  k: number;
  filter: FilterIr;
  readTs: bigint;
  partitionIds?: ReadonlySet<number>;
  /** Range search: keep only scores between radius (exclusive) and rangeFilter (inclusive). */
  range?: { radius: number; rangeFilter?: number };
  indexesOf?: SegmentIndexes;
}

export interface KnnHit {
  ref: RowRef;
  score: number;
}

/** Float32 view of a vector column (float16/bfloat16 converted by the kernels). */
function floatBase(kernels: DistanceKernels, column: Column): Float32Array {
  if (column.type === DataType.FloatVector) return column.values;
  if (column.type === DataType.Float16Vector) return kernels.float16ToFloat32(column.values);
  if (column.type === DataType.BFloat16Vector) return kernels.bfloat16ToFloat32(column.values);
  throw new Error(`column of type ${column.type} is not a float vector column`);
}

/** LSB-first candidate bits (see kernels/distance/candidate-bitset.ts), or undefined when every row is a candidate. */
function candidateBits(
  segment: Segment,
  rows: readonly number[] | undefined,
  readTs: bigint,
): Uint8Array | undefined {
  const bits = new Uint8Array(Math.ceil(segment.numRows / 8));
  if (rows) {
    for (const row of rows) bits[row >> 3]! |= 1 << (row & 7);
    return bits;
  }
  let all = true;
  for (let row = 0; row < segment.numRows; row++) {
    if (segment.isVisible(row, readTs)) bits[row >> 3]! |= 1 << (row & 7);
    else all = false;
  }
  return all ? undefined : bits;
}

function inRange(score: number, metric: Metric, range: { radius: number; rangeFilter?: number }): boolean {
  if (isSimilarityMetric(metric)) {
    return score > range.radius && (range.rangeFilter === undefined || score <= range.rangeFilter);
  }
  return score < range.radius && (range.rangeFilter === undefined || score >= range.rangeFilter);
}

/**
 * Exact k-nearest-neighbour search over every segment of a collection: the filter first (as a
 * candidate bitset), then one WASM SIMD scan per segment keeping a top-k per query, then a merge
 * across segments. Scores and order are Milvus's: distances ascending, similarities descending,
 * ties by segment order then row.
 */
export function knnSearch(kernels: DistanceKernels, data: CollectionData, request: KnnRequest): KnnHit[][] {
  const perQuery: KnnHit[][] = Array.from({ length: request.nq }, () => []);
  const filtered =
    request.filter.kind === 'alwaysTrue'
      ? undefined
      : groupBySegment(
          filterRows(data, request.filter, request.readTs, request.partitionIds, request.indexesOf),
        );
  const binary = isBinaryMetric(request.metric);
  for (const partition of data.partitions.values()) {
    if (request.partitionIds && !request.partitionIds.has(partition.id)) continue;
    for (const segment of partition.segments) {
      if (segment.numRows === 0) continue;
      const column = segment.column(request.fieldName);
      if (!column) continue;
      const rows = filtered ? (filtered.get(segment) ?? []) : undefined;
      if (rows && rows.length === 0) continue;
      const bitset = candidateBits(segment, rows, request.readTs);
      // Range search needs every in-range row, not just the k best: score all candidates.
      const k = request.range ? segment.numRows : Math.min(request.k, segment.numRows);
      const result = binary
        ? kernels.binaryTopK({
            metric: request.metric as 'HAMMING' | 'JACCARD',
            queries: request.queries as Uint8Array,
            base: column.values as Uint8Array,
            dimBits: request.dim,
            k,
            bitset,
          })
        : kernels.topK({
            metric: request.metric as 'L2' | 'IP' | 'COSINE',
            queries: request.queries as Float32Array,
            base: floatBase(kernels, column),
            dim: request.dim,
            k,
            bitset,
          });
      for (let q = 0; q < request.nq; q++) {
        const hits = perQuery[q]!;
        for (let i = 0; i < result.count; i++) {
          const row = result.ids[q * k + i]!;
          if (row < 0) continue;
          const score = result.scores[q * k + i]!;
          if (request.range && !inRange(score, request.metric, request.range)) continue;
          hits.push({ ref: { segment, row }, score });
        }
      }
    }
  }
  const similarity = isSimilarityMetric(request.metric);
  return perQuery.map((hits) => {
    // Stable sort keeps segment/row order for equal scores.
    hits.sort((a, b) => (similarity ? b.score - a.score : a.score - b.score));
    return hits.slice(0, request.k);
  });
}

function groupBySegment(refs: readonly RowRef[]): Map<Segment, number[]> {
  const groups = new Map<Segment, number[]>();
  for (const ref of refs) {
    let rows = groups.get(ref.segment);
    if (!rows) {
      rows = [];
      groups.set(ref.segment, rows);
    }
    rows.push(ref.row);
  }
  return groups;
}
