import { sparseTermScore } from './bm25.js';
import { advanceCursor, boundPrefixes, END_OF_LIST as END, initSparseCursors } from './sparse-cursors.js';
import { maxScoreRowSearch } from './sparse-maxscore-rows.js';
import type { SparsePostings } from './sparse-postings.js';
import type { SparseQuery } from './sparse-query.js';
import type { SparseTopK } from './sparse-top-k.js';

const fround = Math.fround;
const ROW_AT_A_TIME_TERMS = 8;
const BLOCK_SHIFT = 6;

/**
 * Exact MaxScore (Turtle & Flood 1995; knowhere's DAAT_MAXSCORE), document at a time. Query lists are
 * ordered by upper bound; the low-bound prefix whose bounds sum to <= θ (the current k-th score) is
 * "non-essential": a row found only there cannot enter the top-k. Rows are enumerated from the essential
 * lists only, a window of 4096 rows at a time (term at a time inside the window, as Lucene's
 * MaxScoreBulkScorer does); the non-essential lists are then probed (skipping with block last-rows) from
 * the highest bound down, giving up on a row as soon as its partial score plus the remaining bounds
 * cannot beat θ.
 *
 * Exactness: pruning decisions use float64 partial sums widened by a slack covering float32 rounding;
 * a surviving row's score is then recomputed in float32 in ascending dimension order (one lookup per
 * query list), exactly as TAAT sums it. Far fewer cursor moves per row than WAND on long queries.
 */
export function maxScoreSearch(
  postings: SparsePostings,
  query: SparseQuery,
  heap: SparseTopK,
  bitset: Uint8Array | undefined,
): void {
  const m = query.count;
  if (m === 0) return;
  // Short queries (BM25 text): row at a time measured faster (bench/sparse-search.ts).
  if (m <= ROW_AT_A_TIME_TERMS) {
    maxScoreRowSearch(postings, query, heap, bitset);
    return;
  }
  const { offsets, rowIds, values, blockOffsets, blockLastRow } = postings;
  const lists = query.lists;
  const weights = query.weights;
  const bm25 = query.bm25;
  const constants = bm25?.constants;
  const norms = bm25?.norms;
  const cursors = initSparseCursors(postings, query);
  const { pos, end, doc, slack } = cursors;

  // Terms by ascending bound; prefix[i] / prefixAbs[i] = bounds of byBound[0..i).
  const { byBound, prefix, prefixAbs } = boundPrefixes(cursors);
  /** Could a row with float64 partial `partial` (magnitudes `partialAbs`) plus bounds of byBound[0..i) beat θ? */
  const canBeat = (partial: number, partialAbs: number, i: number, theta: number) =>
    partial + prefix[i]! + slack * (partialAbs + prefixAbs[i]!) > theta;

  const advance = (t: number, target: number): void => advanceCursor(postings, query, cursors, t, target);

  /** Position of `row` in query list t, or -1 (binary search over block last rows, then in the block). */
  const find = (t: number, row: number): number => {
    const list = lists[t]!;
    const firstBlock = blockOffsets[list]!;
    let lo = firstBlock;
    let hi = blockOffsets[list + 1]! - 1;
    if (blockLastRow[hi]! < row) return -1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (blockLastRow[mid]! < row) lo = mid + 1;
      else hi = mid;
    }
    const start = offsets[list]!;
    let p = start + ((lo - firstBlock) << BLOCK_SHIFT);
    let q = Math.min(end[t]!, p + (1 << BLOCK_SHIFT)) - 1;
    while (p < q) {
      const mid = (p + q) >>> 1;
      if (rowIds[mid]! < row) p = mid + 1;
      else q = mid;
    }
    return rowIds[p] === row ? p : -1;
  };

  /** The exact float32 score, summed in ascending term order like TAAT. */
  const exactScore = (row: number): number => {
    let score = 0;
    for (let t = 0; t < m; t++) {
      const p = find(t, row);
      if (p < 0) continue;
      score = fround(
        score + sparseTermScore(weights[t]!, values[p]!, constants, norms === undefined ? 0 : norms[row]!),
      );
    }
    return score;
  };

  // Windows of rows: the essential lists are accumulated term-at-a-time into a small float64 window
  // (cheap, sequential), then each touched row of the window probes the non-essential lists.
  // Windows start small and double up to 4096 rows: the first rows fill the top-k, so θ (and with it
  // the non-essential set) is known before the bulk of the rows.
  const MAX_WINDOW = 4096;
  let window = 64;
  const partialOf = new Float64Array(MAX_WINDOW);
  const partialAbsOf = new Float64Array(MAX_WINDOW);
  const touched = new Uint8Array(MAX_WINDOW);
  let essentialFrom = 0;
  for (let lo = 0; ; ) {
    let theta = heap.threshold;
    while (essentialFrom < m && !canBeat(0, 0, essentialFrom + 1, theta)) essentialFrom++;
    if (essentialFrom === m) break;
    let next = END;
    for (let i = essentialFrom; i < m; i++) {
      const d = doc[byBound[i]!]!;
      if (d < next) next = d;
    }
    if (next === END) break;
    if (next > lo) lo = next;
    const hi = lo + window;
    for (let i = essentialFrom; i < m; i++) {
      const t = byBound[i]!;
      const w = weights[t]!;
      const e = end[t]!;
      let p = pos[t]!;
      for (; p < e; p++) {
        const row = rowIds[p]!;
        if (row >= hi) break;
        const c = sparseTermScore(w, values[p]!, constants, norms === undefined ? 0 : norms[row]!);
        const r = row - lo;
        partialOf[r] += c;
        partialAbsOf[r] += Math.abs(c);
        touched[r] = 1;
      }
      pos[t] = p;
      doc[t] = p < e ? rowIds[p]! : END;
    }
    for (let r = 0; r < window; r++) {
      if (touched[r] === 0) continue;
      touched[r] = 0;
      let partial = partialOf[r]!;
      let partialAbs = partialAbsOf[r]!;
      partialOf[r] = 0;
      partialAbsOf[r] = 0;
      const row = lo + r;
      if (bitset !== undefined && ((bitset[row >>> 3]! >>> (row & 7)) & 1) === 0) continue;
      theta = heap.threshold;
      // Probe the non-essential lists, highest bound first, while the row can still beat θ.
      let survives = true;
      for (let i = essentialFrom - 1; i >= 0; i--) {
        if (!canBeat(partial, partialAbs, i + 1, theta)) {
          survives = false;
          break;
        }
        const t = byBound[i]!;
        if (doc[t]! < row) advance(t, row);
        if (doc[t] === row) {
          const c = sparseTermScore(
            weights[t]!,
            values[pos[t]!]!,
            constants,
            norms === undefined ? 0 : norms[row]!,
          );
          partial += c;
          partialAbs += Math.abs(c);
        }
      }
      if (survives && canBeat(partial, partialAbs, 0, theta)) heap.push(exactScore(row), row);
    }
    lo = hi;
    if (window < MAX_WINDOW) window *= 2;
  }
}
