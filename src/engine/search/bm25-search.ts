import type { FilterIr } from '../../expr/index.js';
import type { SparseVector } from '../../schema/index.js';
import type { CollectionData } from '../collection/collection-data.js';
import type { SegmentIndexes } from '../exec/filter-rows.js';
import { segmentCandidates } from './segment-candidates.js';
import type { KnnHit } from './vector-search.js';

export interface Bm25SearchRequest {
  /** The BM25 function's output field: per row, term hash → term frequency. */
  fieldName: string;
  /** Per query, term hash → frequency in the query text. */
  queries: readonly SparseVector[];
  k: number;
  /** bm25_k1 (default 1.2) and bm25_b (default 0.75), as Milvus's index parameters. */
  k1: number;
  b: number;
  filter: FilterIr;
  readTs: bigint;
  partitionIds?: ReadonlySet<number>;
  indexesOf?: SegmentIndexes;
}

function frequencyOf(row: SparseVector, term: number): number {
  let low = 0;
  let high = row.indices.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const at = row.indices[mid]!;
    if (at === term) return row.values[mid]!;
    if (at < term) low = mid + 1;
    else high = mid - 1;
  }
  return 0;
}

function documentLength(row: SparseVector): number {
  let length = 0;
  for (let i = 0; i < row.values.length; i++) length += row.values[i]!;
  return length;
}

/**
 * Exact BM25 over a BM25 function's output field. Corpus statistics — document count N, average
 * document length avgdl and each query term's document frequency df — come from every live row of
 * the searched partitions at the read timestamp, so inserts and deletes count at once. A row scores
 * Σ_t qtf(t) · idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·dl / avgdl)) with
 * idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)); rows sharing no term with the query are not hits.
 */
export function bm25Search(data: CollectionData, request: Bm25SearchRequest): KnnHit[][] {
  const segments = [...data.partitions.values()]
    .filter((p) => !request.partitionIds || request.partitionIds.has(p.id))
    .flatMap((p) => p.segments)
    .filter((s) => s.numRows > 0 && s.column(request.fieldName));
  const terms = new Set(request.queries.flatMap((q) => Array.from(q.indices)));
  const documentFrequency = new Map<number, number>([...terms].map((t) => [t, 0]));
  let documents = 0;
  let totalLength = 0;
  const visible = segments.map((segment) => {
    const column = segment.column(request.fieldName)!;
    const candidates = segmentCandidates(segment, request.readTs, { kind: 'alwaysTrue' }, column.valid);
    const rows = column.values as SparseVector[];
    for (let row = 0; row < segment.numRows; row++) {
      if (candidates.bits && ((candidates.bits[row >> 3]! >> (row & 7)) & 1) === 0) continue;
      documents++;
      totalLength += documentLength(rows[row]!);
      for (const term of terms)
        if (frequencyOf(rows[row]!, term) > 0) documentFrequency.set(term, documentFrequency.get(term)! + 1);
    }
    return candidates;
  });
  const averageLength = documents === 0 ? 1 : totalLength / documents || 1;
  const idf = (term: number) => {
    const df = documentFrequency.get(term) ?? 0;
    return Math.log(1 + (documents - df + 0.5) / (df + 0.5));
  };
  const weighted = request.queries.map((query) =>
    Array.from(query.indices, (term, i) => ({ term, weight: query.values[i]! * idf(term) })),
  );
  const perQuery: KnnHit[][] = request.queries.map(() => []);
  segments.forEach((segment, s) => {
    const column = segment.column(request.fieldName)!;
    const candidates =
      request.filter.kind === 'alwaysTrue'
        ? visible[s]!
        : segmentCandidates(segment, request.readTs, request.filter, column.valid, request.indexesOf);
    const rows = column.values as SparseVector[];
    for (let row = 0; row < segment.numRows; row++) {
      if (candidates.bits && ((candidates.bits[row >> 3]! >> (row & 7)) & 1) === 0) continue;
      const vector = rows[row]!;
      const norm = request.k1 * (1 - request.b + (request.b * documentLength(vector)) / averageLength);
      weighted.forEach((terms, q) => {
        let score = 0;
        for (const { term, weight } of terms) {
          const tf = frequencyOf(vector, term);
          if (tf > 0) score += (weight * tf * (request.k1 + 1)) / (tf + norm);
        }
        if (score > 0) perQuery[q]!.push({ ref: { segment, row }, score: Math.fround(score) });
      });
    }
  });
  return perQuery.map((hits) => hits.sort((a, b) => b.score - a.score).slice(0, request.k));
}
