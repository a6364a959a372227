// Exact re-scoring of approximate IVF_SQ8 / IVF_PQ candidates against the original float32 rows:
// each query's candidate rows (from a code scan that kept more than k) are scored with the exact
// pair helpers (the same expressions as scan-top-k.as, so scores are bit-identical to topKF32's) and
// the best k are kept, ties by lower row.
import { METRIC_COSINE, METRIC_IP, METRIC_L2 } from './metric';
import { dot, l2Squared } from './float-distance';
import { finishQuery, heapKey, isSimilarityMetric, offer } from './ivf-heap';

@inline
function exactScore(metric: i32, query: usize, queryInvNorm: f32, row: usize, rowInvNorm: f32, dim: i32): f32 {
  if (metric == METRIC_L2) return l2Squared(query, row, dim);
  if (metric == METRIC_IP) return dot(query, row, dim);
  return dot(query, row, dim) * queryInvNorm * rowInvNorm;
}

// candidates holds nq x candidatesPerQuery row ids (entries < 0 are padding and skipped); vectors are
// the resident rows (invNorms: their inverse norms, needed for COSINE). Writes nq x k results and
// per-query counts like the scans; returns the largest count, or -1 for an unknown metric.
export function ivfRerankF32(
  metric: i32,
  queries: usize,
  nq: i32,
  queryInvNorms: usize,
  dim: i32,
  vectors: usize,
  invNorms: usize,
  candidates: usize,
  candidatesPerQuery: i32,
  k: i32,
  outIds: usize,
  outScores: usize,
  outCounts: usize,
): i32 {
  if (metric != METRIC_L2 && metric != METRIC_IP && metric != METRIC_COSINE) return -1;
  if (k <= 0) return 0;
  const similarity = isSimilarityMetric(metric);
  const rowBytes = <usize>dim << 2;
  let most = 0;
  for (let j = 0; j < nq; j++) {
    const query = queries + <usize>j * rowBytes;
    const queryInvNorm: f32 = metric == METRIC_COSINE ? load<f32>(queryInvNorms + (<usize>j << 2)) : 0;
    const keys = outScores + ((<usize>j * <usize>k) << 2);
    const ids = outIds + ((<usize>j * <usize>k) << 2);
    const list = candidates + ((<usize>j * <usize>candidatesPerQuery) << 2);
    let filled = 0;
    for (let t = 0; t < candidatesPerQuery; t++) {
      const row = load<i32>(list + (<usize>t << 2));
      if (row < 0) continue;
      const rowInvNorm: f32 = metric == METRIC_COSINE ? load<f32>(invNorms + (<usize>row << 2)) : 0;
      const score = exactScore(metric, query, queryInvNorm, vectors + <usize>row * rowBytes, rowInvNorm, dim);
      filled = offer(keys, ids, k, filled, heapKey(similarity, score), row);
    }
    finishQuery(similarity, keys, ids, k, filled);
    store<i32>(outCounts + (<usize>j << 2), filled);
    if (filled > most) most = filled;
  }
  return most;
}
