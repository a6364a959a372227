// IVF_SQ8: rows quantised to one byte per dimension with a per-dimension minimum and step
// (x ≈ vmin[d] + code * scale[d], code in [0, 255]); COSINE rows are normalised before quantising, so
// COSINE is scored as IP with the normalised query. Scores are approximate (as Milvus's IVF_SQ8).
//
// L2:  sum_d ((q[d] - vmin[d]) - code[d] * scale[d])^2        (per query: qv = q - vmin)
// IP:  q.vmin + sum_d (q[d] * scale[d]) * code[d]              (per query: qs = q * scale, bias = q.vmin)
import { METRIC_COSINE, METRIC_IP, METRIC_L2 } from './metric';
import { candidatePositions, finishQuery, heapKey, isSimilarityMetric, offer } from './ivf-heap';
import { IVF_CHUNK_ROWS } from './ivf-flat-scan';

// Work: CHUNK positions (i32) | CHUNK scores (f32) | prepared query (dim f32).
export function ivfSq8WorkBytes(dim: i32): i32 {
  return IVF_CHUNK_ROWS * 8 + dim * 4;
}

// Codes for `count` rows picked by rowIds from row-major float32 `vectors` (each row scaled by its
// inverse norm when invNorms != 0), written contiguously to out (dim bytes per row).
export function sq8EncodeRows(
  vectors: usize,
  rowIds: usize,
  count: i32,
  dim: i32,
  invNorms: usize,
  vmin: usize,
  scale: usize,
  out: usize,
): void {
  const rowBytes = <usize>dim << 2;
  for (let t = 0; t < count; t++) {
    const row = load<i32>(rowIds + (<usize>t << 2));
    const src = vectors + <usize>row * rowBytes;
    const factor: f32 = invNorms == 0 ? 1 : load<f32>(invNorms + (<usize>row << 2));
    const dst = out + <usize>t * <usize>dim;
    for (let d = 0; d < dim; d++) {
      const step = load<f32>(scale + (<usize>d << 2));
      let code: f32 = 0;
      if (step > 0) code = nearest<f32>((load<f32>(src + (<usize>d << 2)) * factor - load<f32>(vmin + (<usize>d << 2))) / step);
      if (!(code >= 0)) code = 0; // also maps NaN to 0
      if (code > 255) code = 255;
      store<u8>(dst + <usize>d, <u8>code);
    }
  }
}

@inline
function widen(codes: v128, part: i32): v128 {
  const half = part < 2 ? i16x8.extend_low_i8x16_u(codes) : i16x8.extend_high_i8x16_u(codes);
  return f32x4.convert_i32x4_u((part & 1) == 0 ? i32x4.extend_low_i16x8_u(half) : i32x4.extend_high_i16x8_u(half));
}

@inline
function l2Row(prepared: usize, scale: usize, row: usize, dim: i32): f32 {
  let a0 = f32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0;
  let d = 0;
  for (; d + 16 <= dim; d += 16) {
    const codes = v128.load(row + <usize>d);
    const q = prepared + (<usize>d << 2);
    const s = scale + (<usize>d << 2);
    const e0 = f32x4.sub(v128.load(q), f32x4.mul(widen(codes, 0), v128.load(s)));
    const e1 = f32x4.sub(v128.load(q, 16), f32x4.mul(widen(codes, 1), v128.load(s, 16)));
    const e2 = f32x4.sub(v128.load(q, 32), f32x4.mul(widen(codes, 2), v128.load(s, 32)));
    const e3 = f32x4.sub(v128.load(q, 48), f32x4.mul(widen(codes, 3), v128.load(s, 48)));
    a0 = f32x4.add(a0, f32x4.mul(e0, e0));
    a1 = f32x4.add(a1, f32x4.mul(e1, e1));
    a2 = f32x4.add(a2, f32x4.mul(e2, e2));
    a3 = f32x4.add(a3, f32x4.mul(e3, e3));
  }
  const v = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
  let sum = f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
  for (; d < dim; d++) {
    const e = load<f32>(prepared + (<usize>d << 2)) - <f32>load<u8>(row + <usize>d) * load<f32>(scale + (<usize>d << 2));
    sum += e * e;
  }
  return sum;
}

@inline
function ipRow(prepared: usize, row: usize, dim: i32): f32 {
  let a0 = f32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0;
  let d = 0;
  for (; d + 16 <= dim; d += 16) {
    const codes = v128.load(row + <usize>d);
    const q = prepared + (<usize>d << 2);
    a0 = f32x4.add(a0, f32x4.mul(widen(codes, 0), v128.load(q)));
    a1 = f32x4.add(a1, f32x4.mul(widen(codes, 1), v128.load(q, 16)));
    a2 = f32x4.add(a2, f32x4.mul(widen(codes, 2), v128.load(q, 32)));
    a3 = f32x4.add(a3, f32x4.mul(widen(codes, 3), v128.load(q, 48)));
  }
  const v = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
  let sum = f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
  for (; d < dim; d++) sum += <f32>load<u8>(row + <usize>d) * load<f32>(prepared + (<usize>d << 2));
  return sum;
}

// out[t] = approximate score of the row at list position positions[t] (or t). Out of line on purpose.
function scoreSq8(
  l2: bool,
  prepared: usize,
  bias: f32,
  scale: usize,
  codes: usize,
  positions: usize,
  count: i32,
  dim: i32,
  out: usize,
): void {
  if (l2) {
    for (let t = 0; t < count; t++) {
      const p = positions == 0 ? t : load<i32>(positions + (<usize>t << 2));
      store<f32>(out + (<usize>t << 2), l2Row(prepared, scale, codes + <usize>p * <usize>dim, dim));
    }
  } else {
    for (let t = 0; t < count; t++) {
      const p = positions == 0 ? t : load<i32>(positions + (<usize>t << 2));
      store<f32>(out + (<usize>t << 2), bias + ipRow(prepared, codes + <usize>p * <usize>dim, dim));
    }
  }
}

// Same contract as ivfFlatScanF32, with `codes` (dim bytes per row, list order) instead of vectors.
export function ivfSq8Scan(
  metric: i32,
  queries: usize,
  nq: i32,
  queryInvNorms: usize,
  dim: i32,
  probes: usize,
  nprobe: i32,
  listStarts: usize,
  rowIds: usize,
  codes: usize,
  vmin: usize,
  scale: usize,
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
  const prepared = work + (<usize>IVF_CHUNK_ROWS << 3);
  let most = 0;
  for (let j = 0; j < nq; j++) {
    const query = queries + ((<usize>j * <usize>dim) << 2);
    const factor: f32 = metric == METRIC_COSINE ? load<f32>(queryInvNorms + (<usize>j << 2)) : 1;
    let bias: f32 = 0;
    for (let d = 0; d < dim; d++) {
      const q = load<f32>(query + (<usize>d << 2)) * factor;
      const low = load<f32>(vmin + (<usize>d << 2));
      if (l2) store<f32>(prepared + (<usize>d << 2), q - low);
      else {
        store<f32>(prepared + (<usize>d << 2), q * load<f32>(scale + (<usize>d << 2)));
        bias += q * low;
      }
    }
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
        scoreSq8(l2, prepared, bias, scale, codes + <usize>first * <usize>dim, chosen, n, dim, scores);
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
