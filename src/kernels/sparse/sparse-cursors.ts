import { bm25DocValueBound } from './bm25.js';
import type { SparsePostings } from './sparse-postings.js';
import type { SparseQuery } from './sparse-query.js';

/**
 * The per-query state the dynamic-pruning searches (WAND, MaxScore) start from: one cursor per query
 * list at its first posting, and each list's score upper bound (IP: the weight times the list's
 * extreme values; BM25: the weight times the largest document value the list allows).
 */
export interface SparseCursors {
  /** Current posting of each list, and the end of its postings. */
  pos: Int32Array;
  end: Int32Array;
  /** Row under each cursor (float64 so END compares as a plain number). */
  doc: Float64Array;
  /** Score upper bound of each list, and of its magnitude (for the rounding slack). */
  upper: Float64Array;
  upperAbs: Float64Array;
  /**
   * Float32 rounding: each of the <= m + 1 additions and the per-term arithmetic (<= 6 roundings)
   * can lift a score by 2^-24 relative to the magnitudes involved; 2^-20 * (m + 8) covers it.
   */
  slack: number;
}

export function initSparseCursors(postings: SparsePostings, query: SparseQuery): SparseCursors {
  const m = query.count;
  const { offsets, rowIds } = postings;
  const constants = query.bm25?.constants;
  const cursors: SparseCursors = {
    pos: new Int32Array(m),
    end: new Int32Array(m),
    doc: new Float64Array(m),
    upper: new Float64Array(m),
    upperAbs: new Float64Array(m),
    slack: 2 ** -20 * (m + 8),
  };
  const { pos, end, doc, upper, upperAbs } = cursors;
  for (let t = 0; t < m; t++) {
    const list = query.lists[t]!;
    pos[t] = offsets[list]!;
    end[t] = offsets[list + 1]!;
    doc[t] = rowIds[pos[t]!]!;
    const w = query.weights[t]!;
    if (constants === undefined) {
      const max = postings.listMax[list]!;
      const min = postings.listMin[list]!;
      upper[t] = Math.max(0, w * max, w * min);
      upperAbs[t] = Math.abs(w) * Math.max(Math.abs(max), Math.abs(min));
    } else {
      const bound = bm25DocValueBound(constants, postings.listMax[list]!, postings.listMinLength[list]!);
      upper[t] = Math.max(0, w * bound);
      upperAbs[t] = Math.abs(w) * bound;
    }
  }
  return cursors;
}

/** A cursor past its list's last posting. */
export const END_OF_LIST = 0xffffffff;
const BLOCK_SHIFT = 6;

/**
 * Moves cursor t to its first posting with row >= target: whole blocks are skipped by their last row,
 * then a binary search inside the block; past the end the cursor's row becomes END_OF_LIST.
 */
export function advanceCursor(
  postings: SparsePostings,
  query: SparseQuery,
  cursors: SparseCursors,
  t: number,
  target: number,
): void {
  const { offsets, rowIds, blockOffsets, blockLastRow } = postings;
  const { pos, end, doc } = cursors;
  const list = query.lists[t]!;
  const start = offsets[list]!;
  const firstBlock = blockOffsets[list]!;
  const blockEnd = blockOffsets[list + 1]!;
  let block = firstBlock + ((pos[t]! - start) >>> BLOCK_SHIFT);
  while (block < blockEnd && blockLastRow[block]! < target) block++;
  if (block === blockEnd) {
    pos[t] = end[t]!;
    doc[t] = END_OF_LIST;
    return;
  }
  let lo = Math.max(pos[t]!, start + ((block - firstBlock) << BLOCK_SHIFT));
  let hi = Math.min(end[t]!, start + ((block - firstBlock + 1) << BLOCK_SHIFT)) - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rowIds[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  pos[t] = lo;
  doc[t] = rowIds[lo]!;
}

/**
 * MaxScore's ordering: query terms by ascending upper bound, with prefix[i] / prefixAbs[i] the sums
 * of the bounds (and magnitudes) of byBound[0..i).
 */
export function boundPrefixes(cursors: SparseCursors): {
  byBound: Int32Array;
  prefix: Float64Array;
  prefixAbs: Float64Array;
} {
  const { upper, upperAbs } = cursors;
  const m = upper.length;
  const byBound = Int32Array.from({ length: m }, (_, i) => i).sort((a, b) => upper[a]! - upper[b]! || a - b);
  const prefix = new Float64Array(m + 1);
  const prefixAbs = new Float64Array(m + 1);
  for (let i = 0; i < m; i++) {
    prefix[i + 1] = prefix[i]! + upper[byBound[i]!]!;
    prefixAbs[i + 1] = prefixAbs[i]! + upperAbs[byBound[i]!]!;
  }
  return { byBound, prefix, prefixAbs };
}
