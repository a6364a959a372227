import type { DistanceKernels } from '../../kernels/distance/distance-kernels.js';
import {
  type BinaryMetric,
  type FloatMetric,
  isBinaryMetric,
  type Metric,
} from '../../kernels/distance/metric.js';
import type { ResidentVectors } from '../../kernels/distance/resident-vectors.js';
import { SparseInvertedIndex } from '../../kernels/sparse/sparse-inverted-index.js';
import {
  type AnnBuildSpec,
  type AnnHandle,
  type AnnSearchParams,
  buildAnnIndex,
  searchAnnIndex,
} from '../vector-index/ann-index.js';

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

/** A search of one segment's ANN index (row offsets of the segment's vectors come back). */
export interface AnnSearchTask {
  kind: 'annSearch';
  index: AnnHandle;
  vectors: ResidentVectors;
  queries: Float32Array | Uint8Array;
  k: number;
  params: AnnSearchParams;
  bitset?: Uint8Array;
}

/** Builds an ANN index over resident vectors; the index stays in the shared memory. */
export interface AnnBuildTask {
  kind: 'annBuild';
  spec: AnnBuildSpec;
  vectors: ResidentVectors;
  seed: number;
}

export type ScanTask = TopKScanTask | AnnSearchTask;
/**
 * Builds a sparse inverted index from rows in CSR form (row r is entries [indptr[r], indptr[r + 1])
 * of indices / values) and returns its bytes: sparse rows are JS objects a worker cannot share, so
 * they travel as three typed arrays and the index comes back serialized.
 */
export interface SparseBuildTask {
  kind: 'sparseBuild';
  indptr: Uint32Array;
  indices: Uint32Array;
  values: Float32Array;
  dropRatioBuild: number;
}

/** The bytes of a built sparse index (SparseInvertedIndex.toBytes). */
export interface SparseBuildResult {
  bytes: Uint8Array;
}

export type KernelTask = ScanTask | AnnBuildTask | SparseBuildTask;

/** What a task produces: scan results for scans and searches, the index handle for builds. */
export type KernelTaskResult<T extends KernelTask> = T extends AnnBuildTask
  ? AnnHandle
  : T extends SparseBuildTask
    ? SparseBuildResult
    : ScanResult;

/**
 * Per query, hits best first at [q * k, q * k + k): row offsets into the task's vectors, padded with
 * id -1. `count` is the largest hit count of any query (ANN searches may find fewer for some).
 */
export interface ScanResult {
  count: number;
  k: number;
  ids: Int32Array;
  scores: Float32Array;
}

/**
 * Runs a task on this thread's kernels: the one implementation behind inline and worker execution.
 * `onProgress` receives build progress (rows inserted or assigned, of the total).
 */
export function runKernelTask(
  kernels: DistanceKernels,
  task: KernelTask,
  onProgress?: (done: number, total: number) => void,
): ScanResult | AnnHandle | SparseBuildResult {
  if (task.kind === 'sparseBuild') {
    const rows = Array.from({ length: task.indptr.length - 1 }, (_, r) => ({
      indices: task.indices.subarray(task.indptr[r]!, task.indptr[r + 1]!),
      values: task.values.subarray(task.indptr[r]!, task.indptr[r + 1]!),
    }));
    return { bytes: SparseInvertedIndex.build(rows, { dropRatioBuild: task.dropRatioBuild }).toBytes() };
  }
  if (task.kind === 'annBuild') return buildAnnIndex(kernels, task.vectors, task.spec, task.seed, onProgress);
  if (task.kind === 'annSearch') {
    const k = Math.max(1, Math.min(task.k, task.vectors.rows));
    const result = searchAnnIndex(
      kernels,
      task.index,
      task.vectors,
      task.queries,
      k,
      task.params,
      task.bitset,
    );
    return { count: result.count, k, ids: result.ids, scores: result.scores };
  }
  return runScanTask(kernels, task);
}

function runScanTask(kernels: DistanceKernels, task: TopKScanTask): ScanResult {
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
