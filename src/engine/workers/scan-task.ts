import type { DistanceKernels } from '../../kernels/distance/distance-kernels.js';
import {
  type BinaryMetric,
  type FloatMetric,
  isBinaryMetric,
  type Metric,
} from '../../kernels/distance/metric.js';
import type { ResidentVectors } from '../../kernels/distance/resident-vectors.js';

/**
 * One unit of search work: an exact top-k scan of resident vectors (a whole segment or a row range of
 * one) for a block of queries. Plain data, so it can be posted to a worker sharing the KernelMemory.
 */
export interface TopKScanTask {
  kind: 'topK';
  metric: Metric;
  vectors: ResidentVectors;
  /** nq queries, row-major: float32 for float metrics, packed bits for binary metrics. */
  queries: Float32Array | Uint8Array;
  k: number;
  /** Candidate rows of `vectors` (bit i = row i), or undefined when every row is a candidate. */
  bitset?: Uint8Array;
}

export type ScanTask = TopKScanTask;

/** Per query, `count` hits best first at [q * k, q * k + count): row offsets into the task's vectors. */
export interface ScanResult {
  count: number;
  k: number;
  ids: Int32Array;
  scores: Float32Array;
}

/** Runs a task on this thread's kernels: the one implementation behind inline and worker execution. */
export function runScanTask(kernels: DistanceKernels, task: ScanTask): ScanResult {
  const k = Math.max(1, Math.min(task.k, task.vectors.rows));
  const result = isBinaryMetric(task.metric)
    ? kernels.binaryTopK({
        metric: task.metric as BinaryMetric,
        queries: task.queries as Uint8Array,
        base: task.vectors,
        dimBits: task.vectors.dim,
        k,
        bitset: task.bitset,
      })
    : kernels.topK({
        metric: task.metric as FloatMetric,
        queries: task.queries as Float32Array,
        base: task.vectors,
        dim: task.vectors.dim,
        k,
        bitset: task.bitset,
      });
  return { count: result.count, k, ids: result.ids, scores: result.scores };
}
