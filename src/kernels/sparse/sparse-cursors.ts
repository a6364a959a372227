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
