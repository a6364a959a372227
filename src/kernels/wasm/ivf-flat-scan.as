// IVF_FLAT and BIN_IVF_FLAT list scans: for each query, score the rows of its probed lists (stored
// contiguously per list, in list order, with their original row ids) and keep the top k.
//
// Scores go through the same pair helpers as scan-top-k.as (l2Squared, dot, the COSINE expression
// dot * queryInvNorm * rowInvNorm with the row's precomputed inverse norm, hammingBits,
// jaccardDistance), so a pair's score is bit-identical to the exact scan's.
import { METRIC_COSINE, METRIC_HAMMING, METRIC_IP, METRIC_JACCARD, METRIC_L2 } from './metric';
import { dot, l2Squared } from './float-distance';
import { hammingBits, jaccardDistance, lastByteMask } from './binary-distance';
import { candidatePositions, finishQuery, heapKey, isSimilarityMetric, offer } from './ivf-heap';

// Rows scored per chunk; the work area holds CHUNK_ROWS positions (i32) then CHUNK_ROWS scores (f32).
export const IVF_CHUNK_ROWS: i32 = 1024;

export function ivfFlatWorkBytes(): i32 {
  return IVF_CHUNK_ROWS * 8;
}

@inline
function floatPair(metric: i32, query: usize, queryInvNorm: f32, row: usize, rowInvNorm: usize, dim: i32): f32 {
  if (metric == METRIC_L2) return l2Squared(query, row, dim);
  if (metric == METRIC_IP) return dot(query, row, dim);
  return dot(query, row, dim) * queryInvNorm * load<f32>(rowInvNorm);
}

@inline
function scoreFloatAs(
  metric: i32,
  query: usize,
  queryInvNorm: f32,
  base: usize,
  invNorms: usize,
  positions: usize,
  count: i32,
  dim: i32,
  out: usize,
): void {
  const rowBytes = <usize>dim << 2;
  for (let t = 0; t < count; t++) {
    const p = positions == 0 ? t : load<i32>(positions + (<usize>t << 2));
    store<f32>(
      out + (<usize>t << 2),
      floatPair(metric, query, queryInvNorm, base + <usize>p * rowBytes, invNorms + (<usize>p << 2), dim),
    );
  }
}

// out[t] = score of (query, row at list position positions[t] or t). Kept out of line (see the note in
// scan-top-k.as on register allocation).
function scoreFloat(
  metric: i32,
  query: usize,
  queryInvNorm: f32,
  base: usize,
  invNorms: usize,
  positions: usize,
  count: i32,
  dim: i32,
  out: usize,
): void {
  if (metric == METRIC_L2) scoreFloatAs(METRIC_L2, query, 0, base, 0, positions, count, dim, out);
  else if (metric == METRIC_IP) scoreFloatAs(METRIC_IP, query, 0, base, 0, positions, count, dim, out);
  else scoreFloatAs(METRIC_COSINE, query, queryInvNorm, base, invNorms, positions, count, dim, out);
}

@inline
function scoreBinaryAs(
  metric: i32,
  query: usize,
  base: usize,
  positions: usize,
  count: i32,
  dimBits: i32,
  out: usize,
): void {
  const rowBytes = (<usize>dimBits + 7) >> 3;
  const fullBytes = dimBits >> 3;
  const tailMask = lastByteMask(dimBits);
  for (let t = 0; t < count; t++) {
    const p = positions == 0 ? t : load<i32>(positions + (<usize>t << 2));
    const row = base + <usize>p * rowBytes;
    const score: f32 =
      metric == METRIC_HAMMING
        ? <f32>hammingBits(query, row, fullBytes, tailMask)
        : jaccardDistance(query, row, fullBytes, tailMask);
    store<f32>(out + (<usize>t << 2), score);
  }
}

function scoreBinary(
  metric: i32,
  query: usize,
  base: usize,
  positions: usize,
  count: i32,
  dimBits: i32,
  out: usize,
): void {
  if (metric == METRIC_HAMMING) scoreBinaryAs(METRIC_HAMMING, query, base, positions, count, dimBits, out);
  else scoreBinaryAs(METRIC_JACCARD, query, base, positions, count, dimBits, out);
}

// Shared driver. `binary` selects the row kind; for float rows `dim` counts floats, for binary bits.
// Invariants the caller guarantees: probes holds nq * nprobe list numbers (query j uses
// [j * nprobe, (j + 1) * nprobe), entries < 0 are skipped); listStarts holds nlist + 1 offsets into
// rowIds / vectors; a list's rows are rows [listStarts[l], listStarts[l + 1]) of `vectors` (and of
// listInvNorms for COSINE); bitset (0 = none) covers every row id; outIds / outScores hold nq * k
// entries and outCounts nq; work holds ivfFlatWorkBytes().
@inline
function scanLists(
  binary: bool,
  metric: i32,
  queries: usize,
  nq: i32,
  queryInvNorms: usize,
  dim: i32,
  probes: usize,
  nprobe: i32,
  listStarts: usize,
  rowIds: usize,
  vectors: usize,
  listInvNorms: usize,
  bitset: usize,
  k: i32,
  outIds: usize,
  outScores: usize,
  outCounts: usize,
  work: usize,
): i32 {
  const rowBytes: usize = binary ? (<usize>dim + 7) >> 3 : <usize>dim << 2;
  const similarity = isSimilarityMetric(metric);
  const positions = work;
  const scores = work + (<usize>IVF_CHUNK_ROWS << 2);
  let most = 0;
  for (let j = 0; j < nq; j++) {
    const query = queries + <usize>j * rowBytes;
    const queryInvNorm: f32 = metric == METRIC_COSINE ? load<f32>(queryInvNorms + (<usize>j << 2)) : 0;
    const keys = outScores + ((<usize>j * <usize>k) << 2);
    const ids = outIds + ((<usize>j * <usize>k) << 2);
    let filled = 0;
    for (let p = 0; p < nprobe; p++) {
      const list = load<i32>(probes + ((<usize>j * <usize>nprobe + <usize>p) << 2));
      if (list < 0) continue;
      const start = load<i32>(listStarts + (<usize>list << 2));
      const end = load<i32>(listStarts + (<usize>(list + 1) << 2));
      for (let first = start; first < end; first += IVF_CHUNK_ROWS) {
        const count = end - first < IVF_CHUNK_ROWS ? end - first : IVF_CHUNK_ROWS;
        const chunkIds = rowIds + (<usize>first << 2);
        let n = count;
        let chosen: usize = 0;
        if (bitset != 0) {
          n = candidatePositions(chunkIds, count, bitset, positions);
          if (n == 0) continue;
          chosen = positions;
        }
        const chunkRows = vectors + <usize>first * rowBytes;
        if (binary) scoreBinary(metric, query, chunkRows, chosen, n, dim, scores);
        else {
          const chunkNorms: usize = listInvNorms == 0 ? 0 : listInvNorms + (<usize>first << 2);
          scoreFloat(metric, query, queryInvNorm, chunkRows, chunkNorms, chosen, n, dim, scores);
        }
        for (let t = 0; t < n; t++) {
          const position = chosen == 0 ? t : load<i32>(chosen + (<usize>t << 2));
          const row = load<i32>(chunkIds + (<usize>position << 2));
          filled = offer(keys, ids, k, filled, heapKey(similarity, load<f32>(scores + (<usize>t << 2))), row);
        }
      }
    }
    finishQuery(similarity, keys, ids, k, filled);
    store<i32>(outCounts + (<usize>j << 2), filled);
    if (filled > most) most = filled;
  }
  return most;
}

// IVF_FLAT over float32 lists (L2, IP, COSINE). Returns the largest per-query count, or -1 for an
// unknown metric. For COSINE, queryInvNorms holds nq inverse norms and listInvNorms the rows' inverse
// norms in list order.
export function ivfFlatScanF32(
  metric: i32,
  queries: usize,
  nq: i32,
  queryInvNorms: usize,
  dim: i32,
  probes: usize,
  nprobe: i32,
  listStarts: usize,
  rowIds: usize,
  vectors: usize,
  listInvNorms: usize,
  bitset: usize,
  k: i32,
  outIds: usize,
  outScores: usize,
  outCounts: usize,
  work: usize,
): i32 {
  if (metric != METRIC_L2 && metric != METRIC_IP && metric != METRIC_COSINE) return -1;
  if (k <= 0) return 0;
  return scanLists(
    false, metric, queries, nq, queryInvNorms, dim, probes, nprobe, listStarts, rowIds, vectors, listInvNorms,
    bitset, k, outIds, outScores, outCounts, work,
  );
}

// BIN_IVF_FLAT over packed binary lists (HAMMING, JACCARD); dimBits bits per row.
export function ivfFlatScanBinary(
  metric: i32,
  queries: usize,
  nq: i32,
  dimBits: i32,
  probes: usize,
  nprobe: i32,
  listStarts: usize,
  rowIds: usize,
  vectors: usize,
  bitset: usize,
  k: i32,
  outIds: usize,
  outScores: usize,
  outCounts: usize,
  work: usize,
): i32 {
  if (metric != METRIC_HAMMING && metric != METRIC_JACCARD) return -1;
  if (k <= 0) return 0;
  return scanLists(
    true, metric, queries, nq, 0, dimBits, probes, nprobe, listStarts, rowIds, vectors, 0, bitset, k, outIds,
    outScores, outCounts, work,
  );
}
