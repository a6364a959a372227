// Batch entry points: score N contiguous row-major base vectors against a block of queries, optionally
// restricted by a candidate bitset, keeping each query's top-k in a heap in linear memory.
import { METRIC_COSINE, METRIC_HAMMING, METRIC_IP, METRIC_JACCARD, METRIC_L2 } from './metric';
import { dot, dotAndBaseSquares, inverseNorm, l2Squared, lastBaseSquares, sumSquares } from './float-distance';
import { hammingBits, jaccardDistance, lastByteMask } from './binary-distance';
import { heapPush, heapReplaceTop, heapSortBestFirst } from './top-k-heap';

// Rows are scanned in tiles of about this many bytes. All queries of a block pass over one tile before
// the next is loaded, so a tile is read from memory once per block instead of once per query.
const TILE_BYTES: usize = 32768;
// Tiles hold at most this many rows (tiny binary rows would otherwise make huge tiles); a multiple of
// 32 so tiles start on bitset word boundaries.
const TILE_MAX_ROWS: i32 = 1024;
// Per tile, the work area holds the candidate row numbers (i32) and then one score per candidate (f32).
const WORK_BYTES: i32 = TILE_MAX_ROWS * 8;

// Bytes of the `work` area the top-k entry points need.
export function scanWorkBytes(): i32 {
  return WORK_BYTES;
}

@inline
function isSimilarity(metric: i32): bool {
  return metric == METRIC_IP || metric == METRIC_COSINE;
}

@inline
function isBinary(metric: i32): bool {
  return metric == METRIC_HAMMING || metric == METRIC_JACCARD;
}

// The score Milvus reports for one pair: squared L2 distance, IP or cosine similarity, Hamming or
// Jaccard distance. `metric` is a literal at every call site, so each specialisation folds to one
// kernel. `dim` counts floats for float metrics and bits for binary ones.
@inline
function pairScore(
  metric: i32,
  query: usize,
  queryInvNorm: f32,
  row: usize,
  rowIndex: i32,
  dim: i32,
  baseInvNorms: usize,
  fullBytes: i32,
  tailMask: i32,
): f32 {
  if (metric == METRIC_L2) return l2Squared(query, row, dim);
  if (metric == METRIC_IP) return dot(query, row, dim);
  if (metric == METRIC_COSINE) {
    if (baseInvNorms != 0) {
      return dot(query, row, dim) * queryInvNorm * load<f32>(baseInvNorms + (<usize>rowIndex << 2));
    }
    const product = dotAndBaseSquares(query, row, dim);
    return product * queryInvNorm * inverseNorm(lastBaseSquares());
  }
  if (metric == METRIC_HAMMING) return <f32>hammingBits(query, row, fullBytes, tailMask);
  return jaccardDistance(query, row, fullBytes, tailMask);
}

// Heap key: smaller is better. Similarities are negated (exact), NaN ranks last as +Infinity.
@inline
function toKey(metric: i32, score: f32): f32 {
  const key = isSimilarity(metric) ? -score : score;
  return key != key ? Infinity : key;
}

@inline
function rowBytesOf(metric: i32, dim: i32): usize {
  return isBinary(metric) ? (<usize>dim + 7) >> 3 : <usize>dim << 2;
}

// The arithmetic loops. scoreRange and scoreList are deliberately not inlined into the scan: in a
// small function the engine's register allocator gives the loop's accumulators registers, while
// inlined into the scan (with its heap state live around the loop) the same loop ran ~1.5x slower.
// Each holds one loop per metric; `metric` is compared with literals around each specialised loop.

@inline
function scoreRangeAs(
  metric: i32,
  query: usize,
  queryInvNorm: f32,
  base: usize,
  rows: i32,
  dim: i32,
  baseInvNorms: usize,
  out: usize,
): void {
  const rowBytes = rowBytesOf(metric, dim);
  const fullBytes = dim >> 3;
  const tailMask = lastByteMask(dim);
  let row = base;
  for (let i = 0; i < rows; i++) {
    store<f32>(
      out + (<usize>i << 2),
      pairScore(metric, query, queryInvNorm, row, i, dim, baseInvNorms, fullBytes, tailMask),
    );
    row += rowBytes;
  }
}

// out[i] = score of (query, row i) for rows [0, rows) from base; baseInvNorms (COSINE, may be 0) is
// indexed from the same row 0.
function scoreRange(
  metric: i32,
  query: usize,
  queryInvNorm: f32,
  base: usize,
  rows: i32,
  dim: i32,
  baseInvNorms: usize,
  out: usize,
): void {
  if (metric == METRIC_L2) scoreRangeAs(METRIC_L2, query, 0, base, rows, dim, 0, out);
  else if (metric == METRIC_IP) scoreRangeAs(METRIC_IP, query, 0, base, rows, dim, 0, out);
  else if (metric == METRIC_COSINE) {
    scoreRangeAs(METRIC_COSINE, query, queryInvNorm, base, rows, dim, baseInvNorms, out);
  } else if (metric == METRIC_HAMMING) scoreRangeAs(METRIC_HAMMING, query, 0, base, rows, dim, 0, out);
  else if (metric == METRIC_JACCARD) scoreRangeAs(METRIC_JACCARD, query, 0, base, rows, dim, 0, out);
}

@inline
function scoreListAs(
  metric: i32,
  query: usize,
  queryInvNorm: f32,
  base: usize,
  candidates: usize,
  count: i32,
  dim: i32,
  baseInvNorms: usize,
  out: usize,
): void {
  const rowBytes = rowBytesOf(metric, dim);
  const fullBytes = dim >> 3;
  const tailMask = lastByteMask(dim);
  for (let t = 0; t < count; t++) {
    const i = load<i32>(candidates + (<usize>t << 2));
    const row = base + <usize>i * rowBytes;
    store<f32>(
      out + (<usize>t << 2),
      pairScore(metric, query, queryInvNorm, row, i, dim, baseInvNorms, fullBytes, tailMask),
    );
  }
}

// out[t] = score of (query, row candidates[t]) for t < count.
function scoreList(
  metric: i32,
  query: usize,
  queryInvNorm: f32,
  base: usize,
  candidates: usize,
  count: i32,
  dim: i32,
  baseInvNorms: usize,
  out: usize,
): void {
  if (metric == METRIC_L2) scoreListAs(METRIC_L2, query, 0, base, candidates, count, dim, 0, out);
  else if (metric == METRIC_IP) scoreListAs(METRIC_IP, query, 0, base, candidates, count, dim, 0, out);
  else if (metric == METRIC_COSINE) {
    scoreListAs(METRIC_COSINE, query, queryInvNorm, base, candidates, count, dim, baseInvNorms, out);
  } else if (metric == METRIC_HAMMING) {
    scoreListAs(METRIC_HAMMING, query, 0, base, candidates, count, dim, 0, out);
  } else if (metric == METRIC_JACCARD) {
    scoreListAs(METRIC_JACCARD, query, 0, base, candidates, count, dim, 0, out);
  }
}

// Invariants the caller guarantees: queries holds nq rows; base holds `rows` rows; outIds and outScores
// hold nq * k entries (query j uses [j * k, (j + 1) * k)); bitset, when not 0, spans
// ceil(rows / 32) 32-bit little-endian words where bit i set means row i is a candidate; for COSINE
// queryInvNorms holds nq inverse norms and baseInvNorms is 0 or holds `rows` inverse norms; work holds
// WORK_BYTES and overlaps nothing else.
// Returns how many entries each query got: min(k, number of candidates).
//
// Per tile and query, scoreRange or scoreList (the loops distancesF32 runs, hence bit-identical scores)
// writes the candidates' scores to the work area, then a second loop offers them to the heap.
@inline
function scanTopK(
  metric: i32,
  queries: usize,
  nq: i32,
  queryInvNorms: usize,
  base: usize,
  rows: i32,
  dim: i32,
  baseInvNorms: usize,
  bitset: usize,
  k: i32,
  outIds: usize,
  outScores: usize,
  work: usize,
): i32 {
  if (k <= 0 || nq <= 0) return 0;
  const rowBytes = rowBytesOf(metric, dim);
  const heapBytes = <usize>k << 2;
  let tileRows = <i32>(TILE_BYTES / (rowBytes > 0 ? rowBytes : 1)) & ~31;
  if (tileRows < 32) tileRows = 32;
  if (tileRows > TILE_MAX_ROWS) tileRows = TILE_MAX_ROWS;
  const candidates = work;
  const scores = work + (<usize>TILE_MAX_ROWS << 2);

  // Every query sees the same candidates in the same order, so all heaps have the same size at a
  // tile boundary.
  let size = 0;
  for (let tileStart = 0; tileStart < rows; ) {
    const tileEnd = rows - tileStart > tileRows ? tileStart + tileRows : rows;
    // The tile's candidates, in increasing row order.
    let count = 0;
    if (bitset == 0) {
      count = tileEnd - tileStart;
    } else {
      const lastWord = (tileEnd - 1) >> 5;
      for (let word = tileStart >> 5; word <= lastWord; word++) {
        let bits = load<u32>(bitset + (<usize>word << 2));
        const available = tileEnd - (word << 5);
        if (available < 32) bits &= (<u32>1 << <u32>available) - 1;
        while (bits != 0) {
          store<i32>(candidates + (<usize>count << 2), (word << 5) + <i32>ctz(bits));
          count++;
          bits &= bits - 1;
        }
      }
    }
    if (count == 0) {
      tileStart = tileEnd;
      continue;
    }
    let sizeAfterTile = size;
    for (let j = 0; j < nq; j++) {
      const query = queries + <usize>j * rowBytes;
      const queryInvNorm: f32 = metric == METRIC_COSINE ? load<f32>(queryInvNorms + (<usize>j << 2)) : 0;
      if (bitset == 0) {
        const tileInvNorms = baseInvNorms == 0 ? 0 : baseInvNorms + (<usize>tileStart << 2);
        scoreRange(metric, query, queryInvNorm, base + <usize>tileStart * rowBytes, count, dim, tileInvNorms, scores);
      } else {
        scoreList(metric, query, queryInvNorm, base, candidates, count, dim, baseInvNorms, scores);
      }
      const keys = outScores + <usize>j * heapBytes;
      const ids = outIds + <usize>j * heapBytes;
      let filled = size;
      let worst: f32 = filled == k ? load<f32>(keys) : Infinity;
      for (let t = 0; t < count; t++) {
        const key = toKey(metric, load<f32>(scores + (<usize>t << 2)));
        // Rows arrive in increasing order, so an equal key never displaces the root (lower id wins).
        if (filled == k) {
          if (key < worst) {
            const i = bitset == 0 ? tileStart + t : load<i32>(candidates + (<usize>t << 2));
            heapReplaceTop(keys, ids, k, key, i);
            worst = load<f32>(keys);
          }
        } else {
          const i = bitset == 0 ? tileStart + t : load<i32>(candidates + (<usize>t << 2));
          heapPush(keys, ids, filled, key, i);
          filled++;
          if (filled == k) worst = load<f32>(keys);
        }
      }
      sizeAfterTile = filled;
    }
    size = sizeAfterTile;
    tileStart = tileEnd;
  }

  for (let j = 0; j < nq; j++) {
    const keys = outScores + <usize>j * heapBytes;
    const ids = outIds + <usize>j * heapBytes;
    heapSortBestFirst(keys, ids, size);
    if (isSimilarity(metric)) {
      for (let i = 0; i < size; i++) {
        const slot = keys + (<usize>i << 2);
        store<f32>(slot, -load<f32>(slot));
      }
    }
    for (let i = size; i < k; i++) {
      store<f32>(keys + (<usize>i << 2), NaN);
      store<i32>(ids + (<usize>i << 2), -1);
    }
  }
  return size;
}

// Top-k over float32 rows for L2, IP or COSINE. Returns min(k, candidates), or -1 for an unknown metric.
export function topKF32(
  metric: i32,
  queries: usize,
  nq: i32,
  queryInvNorms: usize,
  base: usize,
  rows: i32,
  dim: i32,
  baseInvNorms: usize,
  bitset: usize,
  k: i32,
  outIds: usize,
  outScores: usize,
  work: usize,
): i32 {
  if (metric == METRIC_L2) {
    return scanTopK(METRIC_L2, queries, nq, 0, base, rows, dim, 0, bitset, k, outIds, outScores, work);
  }
  if (metric == METRIC_IP) {
    return scanTopK(METRIC_IP, queries, nq, 0, base, rows, dim, 0, bitset, k, outIds, outScores, work);
  }
  if (metric == METRIC_COSINE) {
    return scanTopK(
      METRIC_COSINE,
      queries,
      nq,
      queryInvNorms,
      base,
      rows,
      dim,
      baseInvNorms,
      bitset,
      k,
      outIds,
      outScores,
      work,
    );
  }
  return -1;
}

// Top-k over packed binary rows for HAMMING or JACCARD. Returns min(k, candidates), or -1 for an
// unknown metric.
export function topKBinary(
  metric: i32,
  queries: usize,
  nq: i32,
  base: usize,
  rows: i32,
  dimBits: i32,
  bitset: usize,
  k: i32,
  outIds: usize,
  outScores: usize,
  work: usize,
): i32 {
  if (metric == METRIC_HAMMING) {
    return scanTopK(METRIC_HAMMING, queries, nq, 0, base, rows, dimBits, 0, bitset, k, outIds, outScores, work);
  }
  if (metric == METRIC_JACCARD) {
    return scanTopK(METRIC_JACCARD, queries, nq, 0, base, rows, dimBits, 0, bitset, k, outIds, outScores, work);
  }
  return -1;
}

// out[i] = score of (query, row i) for L2, IP or COSINE. Returns 0, or -1 for an unknown metric.
export function distancesF32(
  metric: i32,
  query: usize,
  base: usize,
  rows: i32,
  dim: i32,
  baseInvNorms: usize,
  out: usize,
): i32 {
  if (metric != METRIC_L2 && metric != METRIC_IP && metric != METRIC_COSINE) return -1;
  const queryInvNorm = metric == METRIC_COSINE ? inverseNorm(sumSquares(query, dim)) : 0;
  scoreRange(metric, query, queryInvNorm, base, rows, dim, baseInvNorms, out);
  return 0;
}

// out[i] = score of (query, row i) for HAMMING or JACCARD. Returns 0, or -1 for an unknown metric.
export function distancesBinary(metric: i32, query: usize, base: usize, rows: i32, dimBits: i32, out: usize): i32 {
  if (metric != METRIC_HAMMING && metric != METRIC_JACCARD) return -1;
  scoreRange(metric, query, 0, base, rows, dimBits, 0, out);
  return 0;
}

// out[i] = 1 / ||row i|| (0 for a zero row): the per-row factor COSINE needs, for queries and for
// precomputed base norms.
export function inverseNormsF32(vectors: usize, rows: i32, dim: i32, out: usize): void {
  const rowBytes = <usize>dim << 2;
  let row = vectors;
  for (let i = 0; i < rows; i++) {
    store<f32>(out + (<usize>i << 2), inverseNorm(sumSquares(row, dim)));
    row += rowBytes;
  }
}
