// Per-query top-k heaps for the IVF list scans (see top-k-heap.as for the heap itself).
//
// Unlike the exact scan, IVF lists visit rows out of row order, so a candidate whose key equals the
// root's must still displace it when its row is lower: the comparison here uses (key, row), which
// keeps "ties by lower row" and makes an exhaustive IVF search (nprobe = nlist) return exactly what
// topKF32 / topKBinary return for the same scores.
import { METRIC_COSINE, METRIC_IP } from './metric';
import { heapPush, heapReplaceTop, heapSortBestFirst } from './top-k-heap';

@inline
export function isSimilarityMetric(metric: i32): bool {
  return metric == METRIC_IP || metric == METRIC_COSINE;
}

// Heap key: smaller is better. Similarities are negated (exact), NaN ranks last as +Infinity (as in
// scan-top-k.as, so a NaN score is reported the same way).
@inline
export function heapKey(similarity: bool, score: f32): f32 {
  const key = similarity ? -score : score;
  return key != key ? Infinity : key;
}

// Offers (key, row) to a heap holding `filled` of k entries; returns the new fill.
@inline
export function offer(keys: usize, ids: usize, k: i32, filled: i32, key: f32, row: i32): i32 {
  if (filled < k) {
    heapPush(keys, ids, filled, key, row);
    return filled + 1;
  }
  const worstKey = load<f32>(keys);
  if (key < worstKey || (key == worstKey && row < load<i32>(ids))) heapReplaceTop(keys, ids, k, key, row);
  return filled;
}

// Sorts a query's heap best first, turns keys back into scores and pads [filled, k) with -1 / NaN.
export function finishQuery(similarity: bool, keys: usize, ids: usize, k: i32, filled: i32): void {
  heapSortBestFirst(keys, ids, filled);
  if (similarity) {
    for (let i = 0; i < filled; i++) {
      const slot = keys + (<usize>i << 2);
      store<f32>(slot, -load<f32>(slot));
    }
  }
  for (let i = filled; i < k; i++) {
    store<f32>(keys + (<usize>i << 2), NaN);
    store<i32>(ids + (<usize>i << 2), -1);
  }
}

// Writes the list positions [0, count) whose row (rowIds[position]) has its bitset bit set into
// `positions`, and returns how many there are.
@inline
export function candidatePositions(rowIds: usize, count: i32, bitset: usize, positions: usize): i32 {
  let kept = 0;
  for (let t = 0; t < count; t++) {
    const row = load<i32>(rowIds + (<usize>t << 2));
    if ((load<u32>(bitset + (<usize>(row >> 5) << 2)) >> (<u32>row & 31)) & 1) {
      store<i32>(positions + (<usize>kept << 2), t);
      kept++;
    }
  }
  return kept;
}
