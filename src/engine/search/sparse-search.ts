import type { FilterIr } from '../../expr/index.js';
import type { SparseAlgorithm } from '../../kernels/sparse/sparse-inverted-index.js';
import type { SparseVector } from '../../schema/index.js';
import type { CollectionData } from '../collection/collection-data.js';
import type { SegmentIndexes } from '../exec/filter-rows.js';
import { searchableSegments } from './segment-candidates.js';
import type { SparseIndexCache } from './sparse-index-cache.js';
import type { KnnHit } from './vector-search.js';

export interface SparseSearchRequest {
  fieldName: string;
  queries: readonly SparseVector[];
  /** Hits wanted per query (offset + limit). */
  k: number;
  filter: FilterIr;
  readTs: bigint;
  partitionIds?: ReadonlySet<number>;
  /** Milvus's drop_ratio_search: the smallest fraction of each query's values is ignored. */
  dropRatioSearch?: number;
  indexesOf?: SegmentIndexes;
  /** A declared sparse index: sealed segments are searched through it (growing ones scanned). */
  index?: { algorithm: SparseAlgorithm; dropRatioBuild: number };
  /** Where sealed segments' inverted indexes come from; without it every segment is scanned. */
  sparseIndexes?: SparseIndexCache;
}

/** Inner product of two sparse vectors with sorted indices (a merge of the two index lists). */
export function sparseInnerProduct(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  const ai = a.indices;
  const bi = b.indices;
  while (i < ai.length && j < bi.length) {
    const x = ai[i]!;
    const y = bi[j]!;
    if (x === y) {
      sum += a.values[i]! * b.values[j]!;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return Math.fround(sum);
}

/** The query without the smallest `ratio` of its values (by magnitude), indices still sorted. */
export function dropSmallest(query: SparseVector, ratio: number): SparseVector {
  const drop = Math.floor(query.values.length * ratio);
  if (drop <= 0) return query;
  const threshold = [...query.values].map(Math.abs).sort((x, y) => x - y)[drop - 1]!;
  let dropped = 0;
  const keep: number[] = [];
  for (let i = 0; i < query.values.length; i++) {
    if (Math.abs(query.values[i]!) <= threshold && dropped < drop) dropped++;
    else keep.push(i);
  }
  return {
    indices: Uint32Array.from(keep, (i) => query.indices[i]!),
    values: Float32Array.from(keep, (i) => query.values[i]!),
  };
}

/**
 * Exact sparse search with the IP metric: every candidate row (visible, filtered) is scored against
 * each query; rows sharing no dimension with the query score 0 and are not returned, as Milvus's
 * inverted-index search never visits them. Best first; equal scores keep segment order, then row.
 */
export function sparseSearch(data: CollectionData, request: SparseSearchRequest): KnnHit[][] {
  const queries = request.queries.map((q) => dropSmallest(q, request.dropRatioSearch ?? 0));
  const perQuery: KnnHit[][] = queries.map(() => []);
  for (const { segment, column, candidates } of searchableSegments(data, request)) {
    const index =
      request.index && request.sparseIndexes?.get(segment, request.fieldName, request.index.dropRatioBuild);
    if (index) {
      const found = index.searchBatch(request.queries, Math.max(1, Math.min(request.k, candidates.count)), {
        algorithm: request.index!.algorithm,
        dropRatioSearch: request.dropRatioSearch ?? 0,
        bitset: candidates.bits,
      });
      for (let q = 0; q < found.nq; q++) {
        for (let i = 0; i < found.counts[q]!; i++) {
          const at = q * found.k + i;
          if (found.scores[at]! > 0)
            perQuery[q]!.push({ ref: { segment, row: found.ids[at]! }, score: found.scores[at]! });
        }
      }
      continue;
    }
    const rows = column.values as SparseVector[];
    const bits = candidates.bits;
    for (let row = 0; row < segment.numRows; row++) {
      if (bits && ((bits[row >> 3]! >> (row & 7)) & 1) === 0) continue;
      const vector = rows[row]!;
      queries.forEach((query, q) => {
        const score = sparseInnerProduct(query, vector);
        if (score > 0) perQuery[q]!.push({ ref: { segment, row }, score });
      });
    }
  }
  return perQuery.map((hits) => hits.sort((a, b) => b.score - a.score).slice(0, request.k));
}
