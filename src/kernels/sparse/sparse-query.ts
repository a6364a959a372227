import { type Bm25Constants, bm25QueryWeight } from './bm25.js';
import { findList, type SparsePostings } from './sparse-postings.js';
import {
  dropThreshold,
  type SparseVector,
  validateDropRatio,
  validateSparseVector,
} from './sparse-vector.js';

/**
 * A query resolved against one index: the posting lists it touches, in ascending dimension order
 * (the order every algorithm sums in, so TAAT, WAND and the reference agree bit for bit), with one
 * float32 weight each. For BM25 the weights are idf-weighted counts and `bm25` holds the constants
 * and each row's precomputed length norm.
 */
export interface SparseQuery {
  count: number;
  lists: Int32Array;
  weights: Float64Array;
  bm25?: { constants: Bm25Constants; norms: Float32Array };
}

/** IP query: drop_ratio_search applied (knowhere's rule), zero values and absent dimensions skipped. */
export function prepareIpQuery(
  postings: SparsePostings,
  query: SparseVector,
  dropRatioSearch: number,
): SparseQuery {
  validateSparseVector(query, 'query');
  validateDropRatio(dropRatioSearch, 'dropRatioSearch');
  const { indices, values } = query;
  const threshold = dropThreshold(values, dropRatioSearch);
  const lists = new Int32Array(values.length);
  const weights = new Float64Array(values.length);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const magnitude = Math.abs(values[i]!);
    if (magnitude === 0 || magnitude < threshold) continue;
    const list = findList(postings.dims, indices[i]!);
    if (list < 0) continue;
    lists[count] = list;
    weights[count++] = values[i]!;
  }
  return { count, lists, weights };
}

export interface Bm25QueryStats {
  /** Documents in the collection (N), caller-maintained across segments. */
  docCount: number;
  /** Documents containing `term` in the collection (df). */
  docFreq: (term: number) => number;
}

/** BM25 query: repeated terms counted, each distinct term weighted by count * idf (Milvus BuildIDF). */
export function prepareBm25Query(
  postings: SparsePostings,
  queryTerms: Uint32Array,
  stats: Bm25QueryStats,
  bm25: { constants: Bm25Constants; norms: Float32Array },
): SparseQuery {
  if (!(queryTerms instanceof Uint32Array)) throw new RangeError('queryTerms must be a Uint32Array');
  const { docCount, docFreq } = stats;
  if (!(docCount > 0 && Number.isFinite(docCount)))
    throw new RangeError(`docCount must be > 0, got ${docCount}`);
  const sorted = queryTerms.slice().sort();
  const lists = new Int32Array(sorted.length);
  const weights = new Float64Array(sorted.length);
  let count = 0;
  for (let i = 0; i < sorted.length; ) {
    const term = sorted[i]!;
    let j = i + 1;
    while (j < sorted.length && sorted[j] === term) j++;
    const list = findList(postings.dims, term);
    if (list >= 0) {
      const df = docFreq(term);
      if (!(df >= 0 && df <= docCount))
        throw new RangeError(`docFreq(${term}) must be in [0, docCount], got ${df}`);
      lists[count] = list;
      weights[count++] = bm25QueryWeight(j - i, docCount, df);
    }
    i = j;
  }
  return { count, lists, weights, bm25 };
}
