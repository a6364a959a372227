import { isBinaryMetric, type Metric } from '../metric.js';
import { cosineSimilarity } from './cosine-similarity.js';
import { hammingDistance } from './hamming-distance.js';
import { innerProduct } from './inner-product.js';
import { jaccardDistance } from './jaccard-distance.js';
import { l2Squared } from './l2-squared.js';

/**
 * Reference score of every base row against one query, in float64: what the WASM distances kernels
 * compute. `dim` counts floats for float metrics (query and base are Float32Array) and bits for
 * binary metrics (Uint8Array, packed MSB-first).
 */
export function referenceScores(
  metric: Metric,
  query: Float32Array | Uint8Array,
  base: Float32Array | Uint8Array,
  dim: number,
): Float64Array {
  if (isBinaryMetric(metric)) {
    if (!(query instanceof Uint8Array) || !(base instanceof Uint8Array)) {
      throw new TypeError(`${metric} needs Uint8Array vectors`);
    }
    const rowBytes = Math.ceil(dim / 8);
    const rows = rowBytes === 0 ? 0 : base.length / rowBytes;
    const scores = new Float64Array(rows);
    const score = metric === 'HAMMING' ? hammingDistance : jaccardDistance;
    for (let row = 0; row < rows; row++) scores[row] = score(query, 0, base, row * rowBytes, dim);
    return scores;
  }
  if (!(query instanceof Float32Array) || !(base instanceof Float32Array)) {
    throw new TypeError(`${metric} needs Float32Array vectors`);
  }
  const rows = base.length / dim;
  const scores = new Float64Array(rows);
  const score = metric === 'L2' ? l2Squared : metric === 'IP' ? innerProduct : cosineSimilarity;
  for (let row = 0; row < rows; row++) scores[row] = score(query, 0, base, row * dim, dim);
  return scores;
}
