import { type HnswHandle, HnswIndex } from '../../kernels/ann/hnsw-index.js';
import { type IvfHandle, IvfIndex } from '../../kernels/ann/ivf-index.js';
import type { IvfIndexType } from '../../kernels/ann/ivf-params.js';
import type { CandidateBitset } from '../../kernels/distance/candidate-bitset.js';
import type { DistanceKernels } from '../../kernels/distance/distance-kernels.js';
import type { FloatMetric, Metric } from '../../kernels/distance/metric.js';
import type { ResidentVectors } from '../../kernels/distance/resident-vectors.js';
import type { TopKResult } from '../../kernels/distance/top-k-result.js';

/** The ANN index types Quiver builds (FLAT and BIN_FLAT are exact scans and build nothing). */
export type AnnIndexType = 'HNSW' | IvfIndexType;

export const ANN_INDEX_TYPES: readonly AnnIndexType[] = [
  'HNSW',
  'IVF_FLAT',
  'IVF_SQ8',
  'IVF_PQ',
  'BIN_IVF_FLAT',
];

/** What to build: resolved type, metric and numeric build parameters. */
export interface AnnBuildSpec {
  indexType: AnnIndexType;
  metric: Metric;
  /** HNSW: M, efConstruction. IVF: nlist (m, nbits for IVF_PQ). */
  params: Readonly<Record<string, number>>;
}

/** Search-time parameters: HNSW ef, IVF nprobe (defaults applied by the caller). */
export interface AnnSearchParams {
  ef?: number;
  nprobe?: number;
}

/** A built index as plain data (postMessage-able): its type and the kernels' handle. */
export type AnnHandle =
  | { readonly indexType: 'HNSW'; readonly handle: HnswHandle }
  | { readonly indexType: IvfIndexType; readonly handle: IvfHandle };

/** IVF needs no more lists than rows (a small segment gets one list per row at most). */
function effectiveNlist(spec: AnnBuildSpec, rows: number): number {
  return Math.max(1, Math.min(spec.params.nlist ?? 128, rows));
}

/** Builds an index over resident vectors (synchronous: run it in a worker). */
export function buildAnnIndex(
  kernels: DistanceKernels,
  vectors: ResidentVectors,
  spec: AnnBuildSpec,
  seed: number,
  onProgress?: (done: number, total: number) => void,
): AnnHandle {
  if (spec.indexType === 'HNSW') {
    const index = HnswIndex.build(kernels, vectors, {
      metric: spec.metric as FloatMetric,
      M: spec.params.M ?? 16,
      efConstruction: spec.params.efConstruction ?? 200,
      seed,
      onProgress,
    });
    return { indexType: 'HNSW', handle: index.handle };
  }
  const index = IvfIndex.build(kernels, vectors, {
    indexType: spec.indexType,
    metric: spec.metric,
    nlist: effectiveNlist(spec, vectors.rows),
    m: spec.params.m,
    nbits: spec.params.nbits,
    seed,
    onProgress,
  });
  return { indexType: spec.indexType, handle: index.handle };
}

function attach(index: AnnHandle, vectors: ResidentVectors): HnswIndex | IvfIndex {
  return index.indexType === 'HNSW'
    ? HnswIndex.attach(index.handle, vectors)
    : IvfIndex.attach(index.handle, vectors);
}

/** Searches a built index on this thread's kernels; results are row offsets, best first. */
export function searchAnnIndex(
  kernels: DistanceKernels,
  index: AnnHandle,
  vectors: ResidentVectors,
  queries: Float32Array | Uint8Array,
  k: number,
  params: AnnSearchParams,
  bitset?: CandidateBitset,
): TopKResult {
  if (index.indexType === 'HNSW') {
    const ef = Math.max(k, params.ef ?? k);
    return HnswIndex.attach(index.handle, vectors).search(kernels, {
      queries: queries as Float32Array,
      k,
      ef,
      bitset,
    });
  }
  const nlist = index.handle.nlist;
  const nprobe = Math.min(nlist, params.nprobe ?? 8);
  return IvfIndex.attach(index.handle, vectors).search(kernels, { queries, k, nprobe, bitset });
}

export function annIndexToBytes(
  kernels: DistanceKernels,
  index: AnnHandle,
  vectors: ResidentVectors,
): Uint8Array {
  return attach(index, vectors).toBytes(kernels);
}

export function annIndexFromBytes(
  kernels: DistanceKernels,
  indexType: AnnIndexType,
  bytes: Uint8Array,
  vectors: ResidentVectors,
): AnnHandle {
  if (indexType === 'HNSW') return { indexType, handle: HnswIndex.fromBytes(kernels, bytes, vectors).handle };
  return { indexType, handle: IvfIndex.fromBytes(kernels, bytes, vectors).handle };
}

export function releaseAnnIndex(kernels: DistanceKernels, index: AnnHandle, vectors: ResidentVectors): void {
  attach(index, vectors).release(kernels);
}

/** Kernel memory the index holds (graph or lists), for metrics and logs. */
export function annIndexBytes(index: AnnHandle): number {
  return index.indexType === 'HNSW' ? index.handle.bytes : index.handle.sizeBytes;
}
