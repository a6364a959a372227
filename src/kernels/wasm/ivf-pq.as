// IVF_PQ: each row's residual against its list centroid (row - centroid; COSINE rows are normalised
// first) is split into m sub-vectors of dim / m floats, each replaced by the number of its nearest
// codeword in that sub-space's codebook of 2^nbits codewords (one byte per sub-vector, nbits <= 8).
// Search uses asymmetric distance computation (ADC): per query (IP) or per probed list (L2) a lookup
// table of m x 2^nbits partial scores, then each row's score is the sum of m table entries:
//   L2:  sum_j || (q - c)_j - codeword_j ||^2                 (table per probed list)
//   IP:  q.c + sum_j q_j . codeword_j                          (table per query; COSINE: q normalised)
// Scores are approximate (as Milvus's IVF_PQ).
import { METRIC_COSINE, METRIC_IP, METRIC_L2 } from './metric';
import { dot, l2Squared } from './float-distance';
import { candidatePositions, finishQuery, heapKey, isSimilarityMetric, offer } from './ivf-heap';
import { IVF_CHUNK_ROWS } from './ivf-flat-scan';

// Work: CHUNK positions | CHUNK scores | query or residual (dim f32) | table (m * 2^nbits f32).
export function ivfPqWorkBytes(dim: i32, m: i32, nbits: i32): i32 {
  return IVF_CHUNK_ROWS * 8 + dim * 4 + (m << nbits) * 4;
}

// table[j * ksub + c] = partial score of sub-vector j of `vector` against codeword c.
function fillTable(l2: bool, vector: usize, dim: i32, m: i32, nbits: i32, codebooks: usize, table: usize): void {
  const ksub = 1 << nbits;
  const dsub = dim / m;
  const codewordBytes = <usize>dsub << 2;
  let codeword = codebooks;
  let slot = table;
  for (let j = 0; j < m; j++) {
    const sub = vector + ((<usize>j * <usize>dsub) << 2);
    for (let c = 0; c < ksub; c++) {
      store<f32>(slot, l2 ? l2Squared(sub, codeword, dsub) : dot(sub, codeword, dsub));
      codeword += codewordBytes;
      slot += 4;
    }
  }
}

// PQ codes (m bytes per row) of `count` rows picked by rowIds, against list centroid `centroid`.
// residual: dim floats of scratch.
export function pqEncodeRows(
  vectors: usize,
  rowIds: usize,
  count: i32,
  dim: i32,
  invNorms: usize,
  centroid: usize,
  m: i32,
  nbits: i32,
  codebooks: usize,
  out: usize,
  residual: usize,
): void {
  const ksub = 1 << nbits;
  const dsub = dim / m;
  const rowBytes = <usize>dim << 2;
  for (let t = 0; t < count; t++) {
    const row = load<i32>(rowIds + (<usize>t << 2));
    const src = vectors + <usize>row * rowBytes;
    const factor: f32 = invNorms == 0 ? 1 : load<f32>(invNorms + (<usize>row << 2));
    for (let d = 0; d < dim; d++) {
      const at = <usize>d << 2;
      store<f32>(residual + at, load<f32>(src + at) * factor - load<f32>(centroid + at));
    }
    for (let j = 0; j < m; j++) {
      const sub = residual + ((<usize>j * <usize>dsub) << 2);
      const book = codebooks + ((<usize>j * <usize>ksub * <usize>dsub) << 2);
      let best = 0;
      let bestDistance: f32 = Infinity;
      for (let c = 0; c < ksub; c++) {
        const distance = l2Squared(sub, book + ((<usize>c * <usize>dsub) << 2), dsub);
        if (distance < bestDistance) {
          bestDistance = distance;
          best = c;
        }
      }
      store<u8>(out + <usize>t * <usize>m + <usize>j, <u8>best);
    }
  }
}

// out[t] = bias + sum_j table[j * ksub + code_j] for the row at list position positions[t] (or t).
function scorePq(
  bias: f32,
  table: usize,
  nbits: i32,
  codes: usize,
  m: i32,
  positions: usize,
  count: i32,
  out: usize,
): void {
  const tableRow = <usize>4 << nbits;
  for (let t = 0; t < count; t++) {
    const p = positions == 0 ? t : load<i32>(positions + (<usize>t << 2));
    const code = codes + <usize>p * <usize>m;
    let sum = bias;
    let entries = table;
    let j = 0;
    for (; j + 4 <= m; j += 4) {
      const s0 = load<f32>(entries + (<usize>load<u8>(code + <usize>j) << 2));
      const s1 = load<f32>(entries + tableRow + (<usize>load<u8>(code + <usize>j + 1) << 2));
      const s2 = load<f32>(entries + 2 * tableRow + (<usize>load<u8>(code + <usize>j + 2) << 2));
      const s3 = load<f32>(entries + 3 * tableRow + (<usize>load<u8>(code + <usize>j + 3) << 2));
      sum += (s0 + s1) + (s2 + s3);
      entries += 4 * tableRow;
    }
    for (; j < m; j++) {
      sum += load<f32>(entries + (<usize>load<u8>(code + <usize>j) << 2));
      entries += tableRow;
    }
    store<f32>(out + (<usize>t << 2), sum);
  }
}

// Same contract as ivfFlatScanF32, with PQ `codes` (m bytes per row, list order), the list
// `centroids` (nlist x dim; normalised for COSINE) and `codebooks` (m x 2^nbits x dim/m).
export function ivfPqScan(
  metric: i32,
  queries: usize,
  nq: i32,
  queryInvNorms: usize,
  dim: i32,
  m: i32,
  nbits: i32,
  probes: usize,
  nprobe: i32,
  listStarts: usize,
  rowIds: usize,
  codes: usize,
  centroids: usize,
  codebooks: usize,
  bitset: usize,
  k: i32,
  outIds: usize,
  outScores: usize,
  outCounts: usize,
  work: usize,
): i32 {
  if (metric != METRIC_L2 && metric != METRIC_IP && metric != METRIC_COSINE) return -1;
  if (k <= 0) return 0;
  const l2 = metric == METRIC_L2;
  const similarity = isSimilarityMetric(metric);
  const positions = work;
  const scores = work + (<usize>IVF_CHUNK_ROWS << 2);
  const vector = work + (<usize>IVF_CHUNK_ROWS << 3);
  const table = vector + (<usize>dim << 2);
  const rowBytes = <usize>dim << 2;
  let most = 0;
  for (let j = 0; j < nq; j++) {
    const query = queries + <usize>j * rowBytes;
    const factor: f32 = metric == METRIC_COSINE ? load<f32>(queryInvNorms + (<usize>j << 2)) : 1;
    if (!l2) {
      for (let d = 0; d < dim; d++) {
        store<f32>(vector + (<usize>d << 2), load<f32>(query + (<usize>d << 2)) * factor);
      }
      fillTable(false, vector, dim, m, nbits, codebooks, table);
    }
    const keys = outScores + ((<usize>j * <usize>k) << 2);
    const ids = outIds + ((<usize>j * <usize>k) << 2);
    let filled = 0;
    for (let p = 0; p < nprobe; p++) {
      const list = load<i32>(probes + ((<usize>j * <usize>nprobe + <usize>p) << 2));
      if (list < 0) continue;
      const start = load<i32>(listStarts + (<usize>list << 2));
      const end = load<i32>(listStarts + (<usize>(list + 1) << 2));
      if (start == end) continue;
      const centroid = centroids + <usize>list * rowBytes;
      let bias: f32 = 0;
      if (l2) {
        for (let d = 0; d < dim; d++) {
          const at = <usize>d << 2;
          store<f32>(vector + at, load<f32>(query + at) - load<f32>(centroid + at));
        }
        fillTable(true, vector, dim, m, nbits, codebooks, table);
      } else {
        bias = dot(vector, centroid, dim);
      }
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
        scorePq(bias, table, nbits, codes + <usize>first * <usize>m, m, chosen, n, scores);
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
