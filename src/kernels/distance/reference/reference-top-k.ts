import { type CandidateBitset, isCandidate } from '../candidate-bitset.js';
import { isSimilarityMetric, type Metric } from '../metric.js';

/**
 * Reference top-k selection over precomputed scores: the best k candidate rows, best first.
 * Distances ascend and similarities descend; ties go to the lower row. A NaN score ranks after every
 * number and is reported as +Infinity (distances) or -Infinity (similarities). The WASM scan must
 * return exactly this for the scores it computed.
 */
export function referenceTopK(
  metric: Metric,
  scores: ArrayLike<number>,
  k: number,
  bitset?: CandidateBitset,
): { ids: number[]; scores: number[] } {
  const sign = isSimilarityMetric(metric) ? -1 : 1;
  const key = (row: number): number => {
    const value = sign * scores[row]!;
    return Number.isNaN(value) ? Infinity : value;
  };
  const rows: number[] = [];
  for (let row = 0; row < scores.length; row++) {
    if (bitset === undefined || isCandidate(bitset, row)) rows.push(row);
  }
  rows.sort((a, b) => key(a) - key(b) || a - b);
  const ids = rows.slice(0, Math.max(0, k));
  return { ids, scores: ids.map((row) => sign * key(row)) };
}
