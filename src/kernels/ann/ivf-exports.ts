import type { DistanceKernels } from '../distance/distance-kernels.js';

/**
 * The raw WASM entry points of the IVF family (src/kernels/wasm/ivf*.as). Pointers are byte offsets
 * into the KernelMemory, metric codes are METRIC_CODES. Each scan writes, per query, its best
 * min(k, rows in the probed lists that pass the bitset) rows best first into outIds / outScores
 * (padding -1 / NaN), that count into outCounts, and returns the largest count (-1 for a metric the
 * entry point does not handle). Probe entries < 0 are skipped.
 */
export interface IvfExports {
  ivfFlatWorkBytes(): number;
  ivfSq8WorkBytes(dim: number): number;
  ivfPqWorkBytes(dim: number, m: number, nbits: number): number;
  ivfFlatScanF32(
    metric: number,
    queries: number,
    nq: number,
    queryInvNorms: number,
    dim: number,
    probes: number,
    nprobe: number,
    listStarts: number,
    rowIds: number,
    vectors: number,
    listInvNorms: number,
    bitset: number,
    k: number,
    outIds: number,
    outScores: number,
    outCounts: number,
    work: number,
  ): number;
  ivfFlatScanBinary(
    metric: number,
    queries: number,
    nq: number,
    dimBits: number,
    probes: number,
    nprobe: number,
    listStarts: number,
    rowIds: number,
    vectors: number,
    bitset: number,
    k: number,
    outIds: number,
    outScores: number,
    outCounts: number,
    work: number,
  ): number;
  ivfSq8Scan(
    metric: number,
    queries: number,
    nq: number,
    queryInvNorms: number,
    dim: number,
    probes: number,
    nprobe: number,
    listStarts: number,
    rowIds: number,
    codes: number,
    vmin: number,
    scale: number,
    bitset: number,
    k: number,
    outIds: number,
    outScores: number,
    outCounts: number,
    work: number,
  ): number;
  ivfPqScan(
    metric: number,
    queries: number,
    nq: number,
    queryInvNorms: number,
    dim: number,
    m: number,
    nbits: number,
    probes: number,
    nprobe: number,
    listStarts: number,
    rowIds: number,
    codes: number,
    centroids: number,
    codebooks: number,
    bitset: number,
    k: number,
    outIds: number,
    outScores: number,
    outCounts: number,
    work: number,
  ): number;
  /** Exact re-scoring of nq x candidatesPerQuery candidate rows (-1 = none) into the best k. */
  ivfRerankF32(
    metric: number,
    queries: number,
    nq: number,
    queryInvNorms: number,
    dim: number,
    vectors: number,
    invNorms: number,
    candidates: number,
    candidatesPerQuery: number,
    k: number,
    outIds: number,
    outScores: number,
    outCounts: number,
  ): number;
  /** Quantises rows rowIds[0..count) of `vectors` (scaled by invNorms[row] when invNorms != 0). */
  sq8EncodeRows(
    vectors: number,
    rowIds: number,
    count: number,
    dim: number,
    invNorms: number,
    vmin: number,
    scale: number,
    out: number,
  ): void;
  /** PQ-encodes the residuals of rows rowIds[0..count) against `centroid`; residual: dim floats of scratch. */
  pqEncodeRows(
    vectors: number,
    rowIds: number,
    count: number,
    dim: number,
    invNorms: number,
    centroid: number,
    m: number,
    nbits: number,
    codebooks: number,
    out: number,
    residual: number,
  ): void;
}

export function ivfExports(kernels: DistanceKernels): IvfExports {
  return kernels.raw as unknown as IvfExports;
}
