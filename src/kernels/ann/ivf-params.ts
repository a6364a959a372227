import { isBinaryMetric, isFloatMetric, type Metric } from '../distance/metric.js';

/** The IVF index types, named as Milvus names them. */
export type IvfIndexType = 'IVF_FLAT' | 'IVF_SQ8' | 'IVF_PQ' | 'BIN_IVF_FLAT';

/** Codes stored in handles and serialised indexes. */
export const IVF_TYPE_CODES: Readonly<Record<IvfIndexType, number>> = Object.freeze({
  IVF_FLAT: 0,
  IVF_SQ8: 1,
  IVF_PQ: 2,
  BIN_IVF_FLAT: 3,
});

export const IVF_TYPES: readonly IvfIndexType[] = ['IVF_FLAT', 'IVF_SQ8', 'IVF_PQ', 'BIN_IVF_FLAT'];

/** Milvus's ranges and defaults (see src/kernels/ann/IVF.md). */
export const IVF_LIMITS = Object.freeze({
  nlistMin: 1,
  nlistMax: 65536,
  nlistDefault: 128,
  nprobeDefault: 8,
  nbitsMin: 1,
  /** Milvus accepts up to 16; this implementation stores one byte per sub-vector code. */
  nbitsMax: 8,
  nbitsDefault: 8,
  /** Lloyd iterations of the coarse and PQ k-means. */
  iterationsDefault: 10,
  /** Training points per centroid at most (faiss's max_points_per_centroid). */
  pointsPerCentroid: 256,
});

export interface IvfParams {
  indexType: IvfIndexType;
  metric: Metric;
  nlist: number;
  /** IVF_PQ: sub-quantizers (divides dim); 0 otherwise. */
  m: number;
  /** IVF_PQ: bits per sub-quantizer code; 0 otherwise. */
  nbits: number;
}

/** Checks build parameters as Milvus ranges them and fills defaults; throws RangeError. */
export function resolveIvfParams(
  options: { indexType: IvfIndexType; metric: Metric; nlist?: number; m?: number; nbits?: number },
  dim: number,
): IvfParams {
  const { indexType, metric } = options;
  if (!IVF_TYPES.includes(indexType)) throw new RangeError(`unknown IVF index type ${indexType}`);
  const binary = indexType === 'BIN_IVF_FLAT';
  if (binary ? !isBinaryMetric(metric) : !isFloatMetric(metric)) {
    throw new RangeError(`${indexType} does not support metric ${metric}`);
  }
  const nlist = options.nlist ?? IVF_LIMITS.nlistDefault;
  requireInteger(nlist, 'nlist', IVF_LIMITS.nlistMin, IVF_LIMITS.nlistMax);
  if (indexType !== 'IVF_PQ') return { indexType, metric, nlist, m: 0, nbits: 0 };
  const m = options.m;
  if (m === undefined) throw new RangeError('IVF_PQ needs m');
  requireInteger(m, 'm', 1, dim);
  if (dim % m !== 0) throw new RangeError(`m (${m}) must divide dim (${dim})`);
  const nbits = options.nbits ?? IVF_LIMITS.nbitsDefault;
  requireInteger(nbits, 'nbits', IVF_LIMITS.nbitsMin, IVF_LIMITS.nbitsMax);
  return { indexType, metric, nlist, m, nbits };
}

/** The search's nprobe: default min(8, nlist); otherwise must lie in [1, nlist]. */
export function resolveNprobe(nprobe: number | undefined, nlist: number): number {
  if (nprobe === undefined) return Math.min(IVF_LIMITS.nprobeDefault, nlist);
  requireInteger(nprobe, 'nprobe', 1, nlist);
  return nprobe;
}

export function requireInteger(value: number, name: string, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}
