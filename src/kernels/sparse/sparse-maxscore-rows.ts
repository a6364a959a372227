import { sparseTermScore } from './bm25.js';
import { advanceCursor, boundPrefixes, END_OF_LIST as END, initSparseCursors } from './sparse-cursors.js';
import type { SparsePostings } from './sparse-postings.js';
import type { SparseQuery } from './sparse-query.js';
import type { SparseTopK } from './sparse-top-k.js';

const fround = Math.fround;

/**
 * Exact MaxScore, one row at a time (the variant maxScoreSearch uses for short queries, where the
 * essential set shrinks fast and recomputing it after every top-k change pays off).
 * MaxScore (Turtle & Flood 1995; knowhere's DAAT_MAXSCORE), document at a time. Query lists are
 * ordered by upper bound; the low-bound prefix whose bounds sum to <= θ (the current k-th score) is
 * "non-essential": a row found only there cannot enter the top-k. Rows are enumerated from the essential
 * lists only; the non-essential lists are probed (skipping with block last-rows) from the highest bound
 * down, giving up on the row as soon as its partial score plus the remaining bounds cannot beat θ.
 *
 * Exactness: pruning decisions use float64 partial sums widened by a slack covering float32 rounding;
 * a surviving row's score is then summed in float32 in ascending dimension order, exactly as TAAT does.
 * Fewer cursor moves per row than WAND on long queries (many lists with similar bounds).
 */
export function maxScoreRowSearch(
  postings: SparsePostings,
  query: SparseQuery,
  heap: SparseTopK,
  bitset: Uint8Array | undefined,
): void {
  const m = query.count;
  if (m === 0) return;
  const { rowIds, values } = postings;
  const weights = query.weights;
  const bm25 = query.bm25;
  const constants = bm25?.constants;
  const norms = bm25?.norms;
  const cursors = initSparseCursors(postings, query);
  const { pos, end, doc, slack } = cursors;
  const contribution = new Float64Array(m);
  const matched = new Int32Array(m);

  // Terms by ascending bound; prefix[i] / prefixAbs[i] = bounds of byBound[0..i).
  const { byBound, prefix, prefixAbs } = boundPrefixes(cursors);
  /** Could a row with float64 partial `partial` (magnitudes `partialAbs`) plus bounds of byBound[0..i) beat θ? */
  const canBeat = (partial: number, partialAbs: number, i: number, theta: number) =>
    partial + prefix[i]! + slack * (partialAbs + prefixAbs[i]!) > theta;

  const advance = (t: number, target: number): void => advanceCursor(postings, query, cursors, t, target);

  const termValue = (t: number, row: number): number => {
    return sparseTermScore(weights[t]!, values[pos[t]!]!, constants, norms === undefined ? 0 : norms[row]!);
  };

  let essentialFrom = 0;
  let theta = -Infinity;
  for (;;) {
    if (heap.threshold !== theta) {
      theta = heap.threshold;
      while (essentialFrom < m && !canBeat(0, 0, essentialFrom + 1, theta)) essentialFrom++;
      if (essentialFrom === m) break;
    }
    // Next row: the smallest current row over the essential lists.
    let row = END;
    for (let i = essentialFrom; i < m; i++) {
      const d = doc[byBound[i]!]!;
      if (d < row) row = d;
    }
    if (row === END) break;
    let partial = 0;
    let partialAbs = 0;
    let matches = 0;
    const allowed = bitset === undefined || ((bitset[row >>> 3]! >>> (row & 7)) & 1) === 1;
    for (let i = essentialFrom; i < m; i++) {
      const t = byBound[i]!;
      if (doc[t] !== row) continue;
      if (allowed) {
        const c = termValue(t, row);
        contribution[t] = c;
        partial += c;
        partialAbs += Math.abs(c);
        matched[matches++] = t;
      }
      const p = ++pos[t]!;
      doc[t] = p < end[t]! ? rowIds[p]! : END;
    }
    if (!allowed) continue;
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
        const c = termValue(t, row);
        contribution[t] = c;
        partial += c;
        partialAbs += Math.abs(c);
        matched[matches++] = t;
      }
    }
    if (!survives || !canBeat(partial, partialAbs, 0, theta)) continue;
    // Exact float32 score in ascending term order.
    for (let i = 1; i < matches; i++) {
      const t = matched[i]!;
      let j = i - 1;
      while (j >= 0 && matched[j]! > t) {
        matched[j + 1] = matched[j]!;
        j--;
      }
      matched[j + 1] = t;
    }
    let score = 0;
    for (let i = 0; i < matches; i++) score = fround(score + contribution[matched[i]!]!);
    heap.push(score, row);
  }
}
