import type { AnnBuildSpec, AnnIndexType, AnnSearchParams } from '../engine/vector-index/ann-index.js';
import type { VectorIndexSpec } from '../engine/vector-index/vector-index-manager.js';
import { errors } from '../errors/index.js';
import type { Metric } from '../kernels/distance/metric.js';
import { DataType, type FieldSchema, isVectorType } from '../schema/index.js';
import type { CollectionInfo, IndexInfo } from './catalog/catalog-model.js';

/**
 * AUTOINDEX for float vectors is what Milvus's default autoIndex.params.build says: HNSW with M = 18,
 * efConstruction = 240. Searched with ef = max(k, 64 × level), level 1 by default (Quiver's mapping
 * of the `level` knob). Binary vectors get BIN_FLAT (exact). Documented in docs/COMPATIBILITY.md.
 */
export const AUTOINDEX_HNSW = { M: 18, efConstruction: 240 } as const;
const AUTOINDEX_EF_PER_LEVEL = 64;
/** knowhere's current HNSW defaults (BaseHnswConfig): M = 30, efConstruction = 360. */
const DEFAULT_HNSW = { M: 30, efConstruction: 360 } as const;
/** knowhere searches with ef = max(k, 16) when the request gives none. */
const DEFAULT_EF = 16;
const INT32_MAX = 2_147_483_647;

const ANN_TYPES: ReadonlySet<string> = new Set(['HNSW', 'IVF_FLAT', 'IVF_SQ8', 'IVF_PQ', 'BIN_IVF_FLAT']);

function integerParam(
  params: Record<string, string>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const text = params[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || !/^-?\d+$/.test(text.trim())) {
    throw errors.parameterInvalid(`Type conflict in json: param '${name}' (${text}) should be integer`);
  }
  if (value < min || value > max) {
    throw errors.parameterInvalid(
      `Out of range in json: param '${name}' (${value}) should be in range [${min}, ${max}]`,
    );
  }
  return value;
}

/**
 * Checks an ANN index's build parameters with knowhere's ranges and messages; returns the numeric
 * parameters to build with (defaults filled in). FLAT, BIN_FLAT and AUTOINDEX on binary vectors
 * build nothing and return undefined.
 */
export function resolveAnnBuild(
  indexType: string,
  metric: string,
  params: Record<string, string>,
  field: FieldSchema,
): AnnBuildSpec | undefined {
  const dim = Number(field.typeParams.dim);
  if (indexType === 'AUTOINDEX') {
    if (field.dataType === DataType.BinaryVector) return undefined;
    return { indexType: 'HNSW', metric: metric as Metric, params: { ...AUTOINDEX_HNSW } };
  }
  if (!ANN_TYPES.has(indexType)) return undefined;
  if (indexType === 'HNSW') {
    const M = integerParam(params, 'M', 2, 2048) ?? DEFAULT_HNSW.M;
    const efConstruction =
      integerParam(params, 'efConstruction', 1, INT32_MAX) ?? DEFAULT_HNSW.efConstruction;
    return { indexType, metric: metric as Metric, params: { M, efConstruction } };
  }
  const nlist = integerParam(params, 'nlist', 1, 65536) ?? 128;
  if (indexType !== 'IVF_PQ')
    return { indexType: indexType as AnnIndexType, metric: metric as Metric, params: { nlist } };
  const m = integerParam(params, 'm', 1, 65536);
  if (m === undefined) throw errors.parameterInvalid("param 'm' is required for IVF_PQ");
  if (dim % m !== 0) {
    throw errors.parameterInvalid(
      `The dimension of a vector (dim) should be a multiple of the number of subquantizers (m). Dimension:${dim}, m:${m}`,
    );
  }
  const nbits = integerParam(params, 'nbits', 1, 16) ?? 8;
  if (nbits > 8) {
    throw errors.indexNotSupported(
      'IVF_PQ',
      `nbits ${nbits}: Quiver's IVF_PQ stores one byte per code and supports nbits in [1, 8]`,
    );
  }
  return { indexType: 'IVF_PQ', metric: metric as Metric, params: { nlist, m, nbits } };
}

/** The vector indexes the engine must build for a collection, from its declared indexes. */
export function vectorIndexSpecs(collection: CollectionInfo): VectorIndexSpec[] {
  const byName = new Map(collection.schema.fields.map((f) => [f.name, f]));
  const specs: VectorIndexSpec[] = [];
  for (const index of collection.indexes ?? []) {
    const field = byName.get(index.fieldName);
    if (!field || !isVectorType(field.dataType)) continue;
    const build = resolveAnnBuild(index.indexType, index.metricType, index.params, field);
    if (build) specs.push({ fieldName: field.name, fieldId: field.fieldId, build });
  }
  return specs;
}

/**
 * Search parameters for the field's index: HNSW `ef` (must be ≥ k, as knowhere requires), IVF
 * `nprobe` (1..nlist), AUTOINDEX `level` (1..10). Unknown keys are ignored, as Milvus does.
 */
export function resolveAnnSearch(
  index: IndexInfo | undefined,
  field: FieldSchema,
  all: Record<string, unknown>,
  k: number,
): AnnSearchParams {
  if (!index) return {};
  const params = Object.fromEntries(
    Object.entries(all)
      .filter(([, value]) => value !== undefined && value !== null && typeof value !== 'object')
      .map(([key, value]) => [key, String(value)]),
  );
  const build = resolveAnnBuild(index.indexType, index.metricType, index.params, field);
  if (!build) return {};
  if (build.indexType === 'HNSW') {
    let ef = integerParam(params, 'ef', 1, INT32_MAX);
    if (index.indexType === 'AUTOINDEX' && ef === undefined) {
      const level = integerParam(params, 'level', 1, 10) ?? 1;
      ef = AUTOINDEX_EF_PER_LEVEL * level;
      return { ef: Math.max(k, ef) };
    }
    if (ef !== undefined && ef < k) throw errors.uncoded(`ef(${ef}) should be larger than k(${k})`);
    return { ef: ef ?? Math.max(k, DEFAULT_EF) };
  }
  const nlist = build.params.nlist ?? 128;
  // Milvus accepts nprobe up to 65536 and probes at most every list.
  return { nprobe: Math.min(nlist, integerParam(params, 'nprobe', 1, 65536) ?? 8) };
}
