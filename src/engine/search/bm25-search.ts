import type { FilterIr } from '../../expr/index.js';
import { bm25Constants, bm25DocValue, bm25LengthNorm, bm25QueryWeight } from '../../kernels/sparse/bm25.js';
import type { SparseAlgorithm, SparseInvertedIndex } from '../../kernels/sparse/sparse-inverted-index.js';
import type { SparseVector } from '../../schema/index.js';
import type { CollectionData } from '../collection/collection-data.js';
import type { SegmentIndexes } from '../exec/filter-rows.js';
import type { Segment } from '../segment/segment.js';
import { type SegmentCandidates, segmentCandidates } from './segment-candidates.js';
import { liveDocumentFrequency, type SparseIndexCache } from './sparse-index-cache.js';
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
  /** Sealed segments are searched through their inverted index with this algorithm. */
  algorithm?: SparseAlgorithm;
  /** Where sealed segments' inverted indexes come from; without it every segment is scanned. */
  sparseIndexes?: SparseIndexCache;
}

const isSet = (bits: Uint8Array | undefined, row: number) =>
  !bits || ((bits[row >> 3]! >> (row & 7)) & 1) === 1;

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
  for (let i = 0; i < row.values.length; i++) length = Math.fround(length + row.values[i]!);
  return length;
}

/**
 * BM25 over a BM25 function's output field, as Milvus scores it (kernels/sparse/bm25.ts: float32
 * idf · tf·(k1 + 1) / (tf + k1·(1 − b + b·dl / avgdl))). Corpus statistics — N, avgdl and each query
 * term's df — count every live row of the searched partitions at the read timestamp, so inserts and
 * deletes count at once. Sealed segments are searched through their inverted index (exact MaxScore by
 * default), growing ones scanned; rows sharing no term with the query are not hits.
 */
export function bm25Search(data: CollectionData, request: Bm25SearchRequest): KnnHit[][] {
  const segments = [...data.partitions.values()]
    .filter((p) => !request.partitionIds || request.partitionIds.has(p.id))
    .flatMap((p) => p.segments)
    .filter((s) => s.numRows > 0 && s.column(request.fieldName));
  const terms = [...new Set(request.queries.flatMap((q) => Array.from(q.indices)))];
  const documentFrequency = new Map<number, number>(terms.map((t) => [t, 0]));
  let documents = 0;
  let totalLength = 0;
  const visible: SegmentCandidates[] = [];
  // Taken once per segment, so statistics and scoring use the same index (or both scan).
  const indexes: Array<SparseInvertedIndex | undefined> = [];
  for (const segment of segments) {
    const column = segment.column(request.fieldName)!;
    const candidates = segmentCandidates(segment, request.readTs, { kind: 'alwaysTrue' }, column.valid);
    visible.push(candidates);
    documents += candidates.count;
    const index = request.sparseIndexes?.get(segment, request.fieldName, 0);
    indexes.push(index);
    const rows = column.values as SparseVector[];
    if (index) {
      const lengths = index.postings.rowLengths;
      for (let row = 0; row < segment.numRows; row++)
        if (isSet(candidates.bits, row)) totalLength += lengths[row]!;
      for (const term of terms) {
        documentFrequency.set(
          term,
          documentFrequency.get(term)! + liveDocumentFrequency(index, term, candidates.bits),
        );
      }
      continue;
    }
    for (let row = 0; row < segment.numRows; row++) {
      if (!isSet(candidates.bits, row)) continue;
      totalLength += documentLength(rows[row]!);
      for (const term of terms) {
        if (frequencyOf(rows[row]!, term) > 0) documentFrequency.set(term, documentFrequency.get(term)! + 1);
      }
    }
  }
  const avgdl = documents === 0 ? 1 : Math.max(1, totalLength / documents);
  const constants = bm25Constants({ k1: request.k1, b: request.b, avgdl });
  const perQuery: KnnHit[][] = request.queries.map(() => []);
  segments.forEach((segment, s) => {
    scoreSegment(segment, s);
  });
  return perQuery.map((hits) => hits.sort((a, b) => b.score - a.score).slice(0, request.k));

  function scoreSegment(segment: Segment, s: number): void {
    const column = segment.column(request.fieldName)!;
    const candidates =
      request.filter.kind === 'alwaysTrue'
        ? visible[s]!
        : segmentCandidates(segment, request.readTs, request.filter, column.valid, request.indexesOf);
    if (candidates.count === 0) return;
    const index = indexes[s];
    request.queries.forEach((query, q) => {
      if (index) {
        // Query term ids repeated by their count: the index weighs each distinct term by it.
        const queryTerms = Uint32Array.from(
          Array.from(query.indices).flatMap((term, i) => Array<number>(query.values[i]!).fill(term)),
        );
        const found = index.searchBm25(queryTerms, Math.max(1, Math.min(request.k, candidates.count)), {
          k1: request.k1,
          b: request.b,
          avgdl,
          docCount: documents,
          docFreq: (term) => documentFrequency.get(term) ?? 0,
          bitset: candidates.bits,
          algorithm: request.algorithm ?? 'maxscore',
        });
        for (let i = 0; i < found.count; i++) {
          perQuery[q]!.push({ ref: { segment, row: found.ids[i]! }, score: found.scores[i]! });
        }
        return;
      }
      const weights = Array.from(query.indices, (term, i) => ({
        term,
        weight: bm25QueryWeight(query.values[i]!, documents, documentFrequency.get(term) ?? 0),
      }));
      const rows = column.values as SparseVector[];
      for (let row = 0; row < segment.numRows; row++) {
        if (!isSet(candidates.bits, row)) continue;
        const vector = rows[row]!;
        const norm = bm25LengthNorm(constants, documentLength(vector));
        let score = 0;
        for (const { term, weight } of weights) {
          const tf = frequencyOf(vector, term);
          if (tf > 0) score = Math.fround(score + Math.fround(weight * bm25DocValue(constants, tf, norm)));
        }
        if (score > 0) perQuery[q]!.push({ ref: { segment, row }, score });
      }
    });
  }
}
