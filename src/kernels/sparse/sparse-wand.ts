import { bm25DocValueBound, sparseTermScore } from './bm25.js';
import { advanceCursor, END_OF_LIST as END, initSparseCursors } from './sparse-cursors.js';
import type { SparsePostings } from './sparse-postings.js';
import type { SparseQuery } from './sparse-query.js';
import type { SparseTopK } from './sparse-top-k.js';

const fround = Math.fround;
const BLOCK_SHIFT = 6;

/**
 * Exact block-max WAND (Broder et al. 2003; Ding & Suel 2011), document at a time in ascending row order.
 * Each query list has a cursor; the pivot is the first row (in cursor order) whose summed list upper bounds
 * could beat the current k-th score θ. Before scoring it, the bounds of the blocks holding the pivot are
 * summed; if even those cannot beat θ, every cursor up to the pivot jumps past the nearest block end.
 *
 * Exactness: a row's score is summed in ascending dimension order exactly as TAAT does, and bounds are
 * float64 over-estimates widened by a relative slack that covers float32 rounding of the real sum, so a
 * row is skipped only when it provably cannot enter the top-k (a row tying θ loses anyway: rows arrive
 * in ascending order and ties go to the lower row). Same results as TAAT, bit for bit.
 */
export function wandSearch(
  postings: SparsePostings,
  query: SparseQuery,
  heap: SparseTopK,
  bitset: Uint8Array | undefined,
): void {
  const m = query.count;
  if (m === 0) return;
  const { offsets, rowIds, values, blockOffsets, blockLastRow, blockMax, blockMin, blockMinLength } =
    postings;
  const lists = query.lists;
  const weights = query.weights;
  const bm25 = query.bm25;
  const constants = bm25?.constants;
  const norms = bm25?.norms;
  const cursors = initSparseCursors(postings, query);
  const { pos, end, doc, upper, upperAbs, slack } = cursors;
  const order = Int32Array.from({ length: m }, (_, t) => t);
  const hit = new Int32Array(m);
  sortCursors(order, doc, m);

  /** Moves cursor t to its first posting with row >= target, skipping whole blocks first. */
  const advance = (t: number, target: number): void => advanceCursor(postings, query, cursors, t, target);

  for (;;) {
    const theta = heap.threshold;
    // Pivot: first cursor at which the summed list bounds could beat θ.
    let acc = 0;
    let accAbs = 0;
    let pivot = -1;
    for (let j = 0; j < m; j++) {
      const t = order[j]!;
      if (doc[t] === END) break;
      acc += upper[t]!;
      accAbs += upperAbs[t]!;
      if (acc + slack * accAbs > theta) {
        pivot = j;
        break;
      }
    }
    if (pivot < 0) break;
    const pivotRow = doc[order[pivot]!]!;
    while (pivot + 1 < m && doc[order[pivot + 1]!] === pivotRow) pivot++;

    if (theta !== -Infinity) {
      // Block-max check on the blocks that hold (or follow) the pivot row in each cursor up to the pivot.
      let blockAcc = 0;
      let blockAbs = 0;
      let next = pivot + 1 < m ? doc[order[pivot + 1]!]! : END;
      for (let j = 0; j <= pivot; j++) {
        const t = order[j]!;
        const list = lists[t]!;
        const firstBlock = blockOffsets[list]!;
        const blockEnd = blockOffsets[list + 1]!;
        let block = firstBlock + ((pos[t]! - offsets[list]!) >>> BLOCK_SHIFT);
        while (block < blockEnd && blockLastRow[block]! < pivotRow) block++;
        if (block === blockEnd) continue;
        const w = weights[t]!;
        if (constants === undefined) {
          const max = blockMax[block]!;
          const min = blockMin[block]!;
          blockAcc += Math.max(0, w * max, w * min);
          blockAbs += Math.abs(w) * Math.max(Math.abs(max), Math.abs(min));
        } else {
          const bound = bm25DocValueBound(constants, blockMax[block]!, blockMinLength[block]!);
          blockAcc += Math.max(0, w * bound);
          blockAbs += Math.abs(w) * bound;
        }
        const after = blockLastRow[block]! + 1;
        if (after < next) next = after;
      }
      if (!(blockAcc + slack * blockAbs > theta)) {
        for (let j = 0; j <= pivot; j++) {
          const t = order[j]!;
          if (doc[t]! < next) advance(t, next);
        }
        sortCursors(order, doc, m);
        continue;
      }
    }

    if (doc[order[0]!] === pivotRow) {
      // Cursors order[0..pivot] all sit on the pivot row: score it summing in ascending dimension
      // (= term) order, as TAAT does, so scores are bit-identical.
      for (let j = 0; j <= pivot; j++) {
        const t = order[j]!;
        let i = j - 1;
        while (i >= 0 && hit[i]! > t) {
          hit[i + 1] = hit[i]!;
          i--;
        }
        hit[i + 1] = t;
      }
      if (bitset === undefined || ((bitset[pivotRow >>> 3]! >>> (pivotRow & 7)) & 1) === 1) {
        let score = 0;
        for (let j = 0; j <= pivot; j++) {
          const t = hit[j]!;
          const norm = norms === undefined ? 0 : norms[pivotRow]!;
          score = fround(score + sparseTermScore(weights[t]!, values[pos[t]!]!, constants, norm));
        }
        heap.push(score, pivotRow);
      }
      for (let j = 0; j <= pivot; j++) {
        const t = hit[j]!;
        const p = ++pos[t]!;
        doc[t] = p < end[t]! ? rowIds[p]! : END;
      }
    } else {
      // Rows before the pivot cannot beat θ: move the lagging cursors up to it.
      for (let j = 0; j < pivot; j++) {
        const t = order[j]!;
        if (doc[t]! < pivotRow) advance(t, pivotRow);
      }
    }
    sortCursors(order, doc, m);
  }
}

/** Insertion sort of the cursor order by current row (cursors move a little at a time). */
function sortCursors(order: Int32Array, doc: Float64Array, m: number): void {
  for (let i = 1; i < m; i++) {
    const t = order[i]!;
    const d = doc[t]!;
    let j = i - 1;
    while (j >= 0 && doc[order[j]!]! > d) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = t;
  }
}
