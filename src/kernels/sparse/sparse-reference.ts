import { type Bm25Parameters, bm25Constants, bm25DocValue, bm25LengthNorm, bm25QueryWeight } from './bm25.js';
import { dropThreshold, type SparseVector } from './sparse-vector.js';

/**
 * Brute-force reference scorers (tests and benches): every row is scored directly from its sparse
 * vector, then all candidates are sorted. They share no code with the inverted index except the BM25
 * float32 formulas, and define the semantics the index must reproduce:
 *  - candidates are rows sharing at least one dimension with the query where both values are non-zero
 *    (after the query's drop_ratio_search and the rows' drop_ratio_build), and allowed by the bitset;
 *  - a score is the float32 sum, in ascending dimension order, of float32 products;
 *  - order: score descending, ties by lower row; at most k hits.
 */
export interface ReferenceHit {
  row: number;
  score: number;
}

function allowed(bitset: Uint8Array | undefined, row: number): boolean {
  return bitset === undefined || ((bitset[row >>> 3] ?? 0) >>> (row & 7)) % 2 === 1;
}

function topHits(hits: ReferenceHit[], k: number): ReferenceHit[] {
  hits.sort((a, b) => b.score - a.score || a.row - b.row);
  return hits.slice(0, k);
}

/** Applies knowhere's drop rule to one vector (also used to pre-drop rows for the reference). */
export function dropSmallest(vector: SparseVector, ratio: number): SparseVector {
  const threshold = dropThreshold(vector.values, ratio);
  const indices: number[] = [];
  const values: number[] = [];
  vector.values.forEach((value, i) => {
    if (value !== 0 && Math.abs(value) >= threshold) {
      indices.push(vector.indices[i]!);
      values.push(value);
    }
  });
  return { indices: Uint32Array.from(indices), values: Float32Array.from(values) };
}

export function referenceSparseIp(
  rows: readonly SparseVector[],
  query: SparseVector,
  k: number,
  options: { dropRatioSearch?: number; dropRatioBuild?: number; bitset?: Uint8Array } = {},
): ReferenceHit[] {
  const q = dropSmallest(query, options.dropRatioSearch ?? 0);
  const hits: ReferenceHit[] = [];
  rows.forEach((original, row) => {
    const r = dropSmallest(original, options.dropRatioBuild ?? 0);
    let score = 0;
    let shared = false;
    for (let i = 0, j = 0; i < q.indices.length && j < r.indices.length; ) {
      if (q.indices[i]! < r.indices[j]!) i++;
      else if (q.indices[i]! > r.indices[j]!) j++;
      else {
        score = Math.fround(score + Math.fround(q.values[i++]! * r.values[j++]!));
        shared = true;
      }
    }
    if (shared && allowed(options.bitset, row)) hits.push({ row, score });
  });
  return topHits(hits, k);
}

export function referenceBm25(
  rows: readonly SparseVector[],
  queryTerms: Uint32Array,
  k: number,
  options: Partial<Bm25Parameters> & {
    avgdl: number;
    docCount: number;
    docFreq: (term: number) => number;
    bitset?: Uint8Array;
  },
): ReferenceHit[] {
  const constants = bm25Constants({ k1: options.k1 ?? 1.2, b: options.b ?? 0.75, avgdl: options.avgdl });
  const counts = new Map<number, number>();
  for (const term of queryTerms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const terms = [...counts.keys()].sort((a, b) => a - b);
  const hits: ReferenceHit[] = [];
  rows.forEach((row, r) => {
    let length = 0;
    for (const tf of row.values) length = Math.fround(length + tf);
    const norm = bm25LengthNorm(constants, length);
    let score = 0;
    let shared = false;
    for (const term of terms) {
      const at = row.indices.indexOf(term);
      if (at < 0 || row.values[at] === 0) continue;
      const weight = bm25QueryWeight(counts.get(term)!, options.docCount, options.docFreq(term));
      score = Math.fround(score + Math.fround(weight * bm25DocValue(constants, row.values[at]!, norm)));
      shared = true;
    }
    if (shared && allowed(options.bitset, r)) hits.push({ row: r, score });
  });
  return topHits(hits, k);
}
