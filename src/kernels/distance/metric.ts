/** Metrics on float32 vectors (float16/bfloat16 vectors are converted to float32 first). */
export type FloatMetric = 'L2' | 'IP' | 'COSINE';
/** Metrics on packed binary vectors. */
export type BinaryMetric = 'HAMMING' | 'JACCARD';
/**
 * A distance metric as Milvus names it. L2 is the squared Euclidean distance, HAMMING the number of
 * differing bits and JACCARD 1 - |a AND b| / |a OR b| (all: smaller is closer); IP and COSINE are
 * similarities (larger is closer).
 */
export type Metric = FloatMetric | BinaryMetric;

/** Codes the WASM entry points take; must match src/kernels/wasm/metric.as. */
export const METRIC_CODES: Readonly<Record<Metric, number>> = Object.freeze({
  L2: 0,
  IP: 1,
  COSINE: 2,
  HAMMING: 3,
  JACCARD: 4,
});

/** True when larger scores are better (results are ordered by descending score). */
export function isSimilarityMetric(metric: Metric): boolean {
  return metric === 'IP' || metric === 'COSINE';
}

export function isFloatMetric(metric: string): metric is FloatMetric {
  return metric === 'L2' || metric === 'IP' || metric === 'COSINE';
}

export function isBinaryMetric(metric: string): metric is BinaryMetric {
  return metric === 'HAMMING' || metric === 'JACCARD';
}
