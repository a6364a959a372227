import { type Bm25Constants, bm25Constants, bm25LengthNorm } from './bm25.js';
import { SPARSE_INDEX_VERSION, sparsePostingsFromBytes, sparsePostingsToBytes } from './sparse-bytes.js';
import { maxScoreSearch } from './sparse-maxscore.js';
import {
  buildSparsePostings,
  SPARSE_BLOCK_SIZE,
  type SparseBuildOptions,
  type SparsePostings,
} from './sparse-postings.js';
import { prepareBm25Query, prepareIpQuery, type SparseQuery } from './sparse-query.js';
import { createTaatScratch, type TaatScratch, taatSearch } from './sparse-taat.js';
import { SparseTopK } from './sparse-top-k.js';
import type { SparseVector } from './sparse-vector.js';
import { wandSearch } from './sparse-wand.js';

/**
 * Milvus's inverted_index_algo: 'taat' = TAAT_NAIVE, 'wand' = DAAT_WAND (block-max WAND here),
 * 'maxscore' = DAAT_MAXSCORE. All three are exact and return identical results.
 */
export type SparseAlgorithm = 'taat' | 'wand' | 'maxscore';

/** A candidate bitset as in distance/candidate-bitset.ts: bit i (LSB-first) set = row i may be returned. */
export type SparseBitset = Uint8Array | Uint32Array;

export interface SparseSearchOptions {
  /** 'taat': exact term-at-a-time accumulation; 'wand' / 'maxscore': exact dynamic pruning (same results). */
  algorithm: SparseAlgorithm;
  /** Milvus drop_ratio_search: drop the smallest-magnitude fraction of the query's values. [0, 1). */
  dropRatioSearch?: number;
  bitset?: SparseBitset;
}

export interface Bm25SearchOptions {
  k1?: number;
  b?: number;
  /** Average document length of the collection (Milvus bm25_avgdl; clamped to >= 1 like knowhere). */
  avgdl: number;
  /** N: documents in the collection. */
  docCount: number;
  /** df(term): documents of the collection containing the term. */
  docFreq: (term: number) => number;
  bitset?: SparseBitset;
  /** Default 'wand'. */
  algorithm?: SparseAlgorithm;
}

/** One query's hits, best first: ids[0..count) / scores[0..count), padded to k with id -1 / NaN. */
export interface SparseSearchResult {
  ids: Int32Array;
  scores: Float32Array;
  count: number;
}

/** nq queries' hits: query j owns entries [j * k, (j + 1) * k); counts[j] are real, the rest padding. */
export interface SparseBatchResult {
  nq: number;
  k: number;
  counts: Int32Array;
  ids: Int32Array;
  scores: Float32Array;
}

/**
 * Inverted index over sparse float vectors (Milvus SPARSE_INVERTED_INDEX / SPARSE_WAND) scoring inner
 * product, or BM25 when the values are term frequencies. Rows are 0..rows-1. Plain typed arrays on the JS
 * heap; search scratch is per instance (one thread uses one instance).
 */
export class SparseInvertedIndex {
  private scratch: TaatScratch | undefined;
  private heap: SparseTopK | undefined;
  private bm25Cache: { key: string; constants: Bm25Constants; norms: Float32Array } | undefined;

  private constructor(readonly postings: SparsePostings) {}

  static build(rows: readonly SparseVector[], options: SparseBuildOptions = {}): SparseInvertedIndex {
    return new SparseInvertedIndex(buildSparsePostings(rows, options));
  }

  get rows(): number {
    return this.postings.rows;
  }

  /** Distinct dimensions with at least one posting. */
  get dimensions(): number {
    return this.postings.dims.length;
  }

  /** Stored (row, dimension) pairs after drop_ratio_build. */
  get postingCount(): number {
    return this.postings.rowIds.length;
  }

  /** Bytes of the index's arrays (excluding per-search scratch). */
  get memoryBytes(): number {
    const p = this.postings;
    let bytes = 0;
    for (const array of Object.values(p)) if (ArrayBuffer.isView(array)) bytes += array.byteLength;
    return bytes;
  }

  /** Inner-product top-k of one query: IP descending, ties by lower row. */
  search(query: SparseVector, k: number, options: SparseSearchOptions): SparseSearchResult {
    validateK(k);
    const result = { ids: new Int32Array(k), scores: new Float32Array(k), count: 0 };
    const prepared = prepareIpQuery(this.postings, query, options.dropRatioSearch ?? 0);
    result.count = this.run(prepared, k, options.algorithm, options.bitset, result.ids, result.scores, 0);
    return result;
  }

  /** Inner-product top-k of several queries. */
  searchBatch(queries: readonly SparseVector[], k: number, options: SparseSearchOptions): SparseBatchResult {
    validateK(k);
    const nq = queries.length;
    const out = {
      nq,
      k,
      counts: new Int32Array(nq),
      ids: new Int32Array(nq * k),
      scores: new Float32Array(nq * k),
    };
    for (let j = 0; j < nq; j++) {
      const prepared = prepareIpQuery(this.postings, queries[j]!, options.dropRatioSearch ?? 0);
      out.counts[j] = this.run(prepared, k, options.algorithm, options.bitset, out.ids, out.scores, j * k);
    }
    return out;
  }

  /**
   * BM25 top-k: the stored values are term frequencies, queryTerms the analyzed query's term ids (repeats
   * count). Corpus statistics come from the caller so they can span segments.
   */
  searchBm25(queryTerms: Uint32Array, k: number, options: Bm25SearchOptions): SparseSearchResult {
    validateK(k);
    const bm25 = this.bm25Norms(options);
    const prepared = prepareBm25Query(this.postings, queryTerms, options, bm25);
    const result = { ids: new Int32Array(k), scores: new Float32Array(k), count: 0 };
    result.count = this.run(
      prepared,
      k,
      options.algorithm ?? 'wand',
      options.bitset,
      result.ids,
      result.scores,
      0,
    );
    return result;
  }

  toBytes(): Uint8Array {
    return sparsePostingsToBytes(this.postings, SPARSE_BLOCK_SIZE);
  }

  static fromBytes(bytes: Uint8Array): SparseInvertedIndex {
    return new SparseInvertedIndex(sparsePostingsFromBytes(bytes, SPARSE_BLOCK_SIZE));
  }

  static readonly formatVersion = SPARSE_INDEX_VERSION;

  private run(
    query: SparseQuery,
    k: number,
    algorithm: SparseAlgorithm,
    bitset: SparseBitset | undefined,
    ids: Int32Array,
    scores: Float32Array,
    offset: number,
  ): number {
    const bits = bitsetBytes(bitset);
    const heap = this.topK(k);
    if (algorithm === 'taat') {
      this.scratch ??= createTaatScratch(this.postings.rows);
      taatSearch(this.postings, query, this.scratch, heap, bits);
    } else if (algorithm === 'wand') {
      wandSearch(this.postings, query, heap, bits);
    } else if (algorithm === 'maxscore') {
      maxScoreSearch(this.postings, query, heap, bits);
    } else {
      throw new RangeError(`unknown sparse search algorithm ${String(algorithm)}`);
    }
    return heap.drainInto(ids, scores, offset, k);
  }

  private topK(k: number): SparseTopK {
    const capacity = Math.min(k, Math.max(1, this.postings.rows));
    if (this.heap === undefined || this.heap.maxK < capacity) this.heap = new SparseTopK(capacity);
    this.heap.reset(capacity);
    return this.heap;
  }

  /** Each row's k1 * (1 - b + b * dl / avgdl), cached for the last (k1, b, avgdl). */
  private bm25Norms(options: Bm25SearchOptions): { constants: Bm25Constants; norms: Float32Array } {
    const constants = bm25Constants({ k1: options.k1 ?? 1.2, b: options.b ?? 0.75, avgdl: options.avgdl });
    const key = `${constants.k1}/${constants.b}/${constants.avgdl}`;
    if (this.bm25Cache?.key !== key) {
      for (let i = 0; i < this.postings.listMin.length; i++) {
        if (this.postings.listMin[i]! < 0) throw new RangeError('BM25 needs non-negative term frequencies');
      }
      const lengths = this.postings.rowLengths;
      const norms = new Float32Array(lengths.length);
      for (let r = 0; r < lengths.length; r++) norms[r] = bm25LengthNorm(constants, lengths[r]!);
      this.bm25Cache = { key, constants, norms };
    }
    return this.bm25Cache;
  }
}

function validateK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer >= 1, got ${k}`);
}

function bitsetBytes(bitset: SparseBitset | undefined): Uint8Array | undefined {
  if (bitset === undefined) return undefined;
  if (bitset instanceof Uint8Array) return bitset;
  if (bitset instanceof Uint32Array)
    return new Uint8Array(bitset.buffer, bitset.byteOffset, bitset.byteLength);
  throw new RangeError('bitset must be a Uint8Array or Uint32Array');
}
