import { sparseTermScore } from './bm25.js';
import type { SparsePostings } from './sparse-postings.js';
import type { SparseQuery } from './sparse-query.js';
import type { SparseTopK } from './sparse-top-k.js';

const fround = Math.fround;

/** Per-index scratch for term-at-a-time search: one float32 accumulator per row and a touched list. */
export interface TaatScratch {
  accumulators: Float32Array;
  touchedMark: Uint8Array;
  touched: Int32Array;
}

export function createTaatScratch(rows: number): TaatScratch {
  return {
    accumulators: new Float32Array(rows),
    touchedMark: new Uint8Array(rows),
    touched: new Int32Array(rows),
  };
}

/**
 * Exact term-at-a-time search: every posting of every query list is accumulated into its row's float32
 * score (list by list, ascending dimension, as knowhere's TAAT does), then the touched rows allowed by
 * the bitset go through the top-k. Rows sharing no list with the query are not candidates.
 */
export function taatSearch(
  postings: SparsePostings,
  query: SparseQuery,
  scratch: TaatScratch,
  heap: SparseTopK,
  bitset: Uint8Array | undefined,
): void {
  const { offsets, rowIds, values } = postings;
  const { accumulators, touchedMark, touched } = scratch;
  let touchedCount = 0;
  const bm25 = query.bm25;
  for (let t = 0; t < query.count; t++) {
    const list = query.lists[t]!;
    const weight = query.weights[t]!;
    const end = offsets[list + 1]!;
    if (bm25 === undefined) {
      for (let p = offsets[list]!; p < end; p++) {
        const row = rowIds[p]!;
        if (touchedMark[row] === 0) {
          touchedMark[row] = 1;
          touched[touchedCount++] = row;
        }
        accumulators[row] += fround(weight * values[p]!);
      }
    } else {
      const norms = bm25.norms;
      const constants = bm25.constants;
      for (let p = offsets[list]!; p < end; p++) {
        const row = rowIds[p]!;
        if (touchedMark[row] === 0) {
          touchedMark[row] = 1;
          touched[touchedCount++] = row;
        }
        accumulators[row] += sparseTermScore(weight, values[p]!, constants, norms[row]!);
      }
    }
  }
  for (let i = 0; i < touchedCount; i++) {
    const row = touched[i]!;
    if (bitset === undefined || ((bitset[row >>> 3]! >>> (row & 7)) & 1) === 1)
      heap.push(accumulators[row]!, row);
    accumulators[row] = 0;
    touchedMark[row] = 0;
  }
}
