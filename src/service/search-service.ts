import { type KnnHit, knnSearch } from '../engine/exec/knn-search.js';
import { projectRows } from '../engine/exec/project-rows.js';
import { emptyColumn } from '../engine/segment/column-ops.js';
import type { StorageEngine } from '../engine/storage-engine.js';
import { errors } from '../errors/index.js';
import type { TemplateValues } from '../expr/index.js';
import { DistanceKernels } from '../kernels/distance/distance-kernels.js';
import type { Metric } from '../kernels/distance/metric.js';
import {
  type Column,
  DataType,
  dataTypeName,
  type FieldSchema,
  isVectorType,
  primaryField,
} from '../schema/index.js';
import type { Catalog } from './catalog/catalog.js';
import type { CollectionInfo } from './catalog/catalog-model.js';
import type { LoadService } from './load-service.js';
import {
  compileRequestFilter,
  MAX_QUERY_RESULT_WINDOW,
  pickDynamicKeys,
  type QueryOutput,
  resolveOutputFields,
} from './query-service.js';
import type { RequestContext } from './request-context.js';

/** Query vectors as decoded from the placeholder group. */
export interface SearchVectors {
  type: DataType;
  /** One entry per query: raw little-endian bytes of one vector. */
  values: Uint8Array[];
}

export interface SearchRequest {
  collectionName: string;
  partitionNames: readonly string[];
  filter: string;
  templateValues: TemplateValues;
  outputFields: readonly string[];
  params: Record<string, string>;
  vectors: SearchVectors;
}

export interface SearchResult {
  collection: CollectionInfo;
  nq: number;
  topK: number;
  /** Per query: hits after offset, best first. */
  hits: KnnHit[][];
  scores: number[];
  pkColumn: Column;
  outputs: QueryOutput[];
  /** Output field names as Milvus lists them: fields, with requested dynamic keys by name. */
  outputFieldNames: string[];
}

const floatMetrics = ['L2', 'IP', 'COSINE'];
const binaryMetrics = ['HAMMING', 'JACCARD'];

function integerParam(params: Record<string, string>, name: string, fallback: number): number {
  const text = params[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value)) throw errors.parameterInvalid(`${name} [${text}] is invalid`);
  return value;
}

/** Search params arrive flattened and as a JSON `params` object; both are read. */
function searchParams(params: Record<string, string>): Record<string, unknown> {
  let nested: Record<string, unknown> = {};
  if (params.params) {
    try {
      nested = JSON.parse(params.params) as Record<string, unknown>;
    } catch {
      throw errors.parameterInvalid(`search params are not valid JSON: ${params.params}`);
    }
  }
  return { ...params, ...nested };
}

/** FLAT exact vector search on the WASM SIMD kernels. */
export class SearchService {
  private kernels: DistanceKernels | undefined;

  constructor(
    private readonly catalog: Catalog,
    private readonly engine: StorageEngine,
    private readonly loads: LoadService,
    private readonly maxResultWindow = MAX_QUERY_RESULT_WINDOW,
  ) {}

  search(ctx: RequestContext, request: SearchRequest): SearchResult {
    const collection = this.catalog.getCollection(ctx.dbName, request.collectionName);
    const schema = collection.schema;
    const all = searchParams(request.params);
    const vectorFields = schema.fields.filter((f) => isVectorType(f.dataType));
    const annsName = String(all.anns_field ?? '');
    const field: FieldSchema | undefined = annsName
      ? schema.fields.find((f) => f.name === annsName)
      : vectorFields.length === 1
        ? vectorFields[0]
        : undefined;
    if (!field) {
      if (!annsName)
        throw errors.parameterInvalid(
          'multiple anns_fields exist, please specify a anns_field in search_params',
        );
      throw errors.uncoded(`failed to get field schema by name: fieldName(${annsName}) not found`);
    }
    if (!isVectorType(field.dataType))
      throw errors.uncoded(`field (${field.name}) to search is not of vector data type`);
    if (field.dataType === DataType.SparseFloatVector || field.dataType === DataType.Int8Vector) {
      throw errors.operationNotSupported(
        `search on ${dataTypeName(field.dataType)} fields is not supported by Quiver yet`,
      );
    }
    const topK = integerParam(request.params, 'topk', integerParam(request.params, 'limit', 10));
    const offset = integerParam(request.params, 'offset', 0);
    if (topK <= 0 || topK > this.maxResultWindow) {
      throw errors.parameterInvalid(
        `topk [${topK}] is invalid, it should be in range [1, ${this.maxResultWindow}], but got ${topK}`,
      );
    }
    if (offset < 0 || offset + topK > this.maxResultWindow) {
      throw errors.parameterInvalid(
        `(offset+limit) should be in range [1, ${this.maxResultWindow}], but got ${offset + topK}`,
      );
    }
    const metric = this.resolveMetric(collection, field, String(all.metric_type ?? '').toUpperCase());
    const dim = Number(field.typeParams.dim);
    const { queries, nq } = this.decodeQueries(field, request.vectors, dim);
    const range =
      all.radius !== undefined && all.radius !== ''
        ? {
            radius: Number(all.radius),
            rangeFilter:
              all.range_filter === undefined || all.range_filter === ''
                ? undefined
                : Number(all.range_filter),
          }
        : undefined;
    const roundDecimal = integerParam(request.params, 'round_decimal', -1);
    const partitionIds = this.loads.readablePartitions(collection, request.partitionNames);
    const filter = compileRequestFilter(request.filter, schema, request.templateValues, 'query');
    const data = this.engine.collection(collection.id);
    this.kernels ??= DistanceKernels.load();
    const perQuery = knnSearch(this.kernels, data, {
      fieldName: field.name,
      metric,
      queries,
      nq,
      dim,
      k: offset + topK,
      filter,
      readTs: this.engine.lastAppliedTimestamp,
      partitionIds,
      range,
      indexesOf: (segment) => this.engine.scalarIndexes.indexesOf(segment),
    }).map((hits) => hits.slice(offset));
    const refs = perQuery.flat().map((hit) => hit.ref);
    const round = (score: number) => (roundDecimal < 0 ? score : Number(score.toFixed(roundDecimal)));
    const pk = primaryField(schema);
    // Milvus always returns the primary key among the output fields (the Node SDK reads it there).
    const resolved = resolveOutputFields(collection, request.outputFields);
    const outputs = resolved.fields.map((f) => ({
      field: f,
      column:
        f.isDynamic && resolved.dynamicKeys
          ? pickDynamicKeys(projectRows(refs, f.name), resolved.dynamicKeys, refs.length)
          : (projectRows(refs, f.name) ?? emptyColumn(f, 0, 'zero')),
    }));
    return {
      collection,
      nq,
      topK,
      hits: perQuery,
      scores: perQuery.flat().map((hit) => round(hit.score)),
      pkColumn: projectRows(refs, pk.name) ?? emptyColumn(pk, 0, 'zero'),
      outputs,
      outputFieldNames: [
        ...outputs
          .filter(({ field }) => !(field.isDynamic && resolved.dynamicKeys))
          .map(({ field }) => field.name),
        ...(resolved.dynamicKeys ?? []),
      ],
    };
  }

  private resolveMetric(collection: CollectionInfo, field: FieldSchema, requested: string): Metric {
    const index = (collection.indexes ?? []).find((i) => i.fieldName === field.name);
    const binary = field.dataType === DataType.BinaryVector;
    const allowed = binary ? binaryMetrics : floatMetrics;
    if (index?.metricType && requested && index.metricType !== requested) {
      throw errors.parameterInvalidValue(index.metricType, requested, 'metric type not match');
    }
    const metric = requested || index?.metricType || (binary ? 'HAMMING' : 'L2');
    if (!allowed.includes(metric)) {
      throw errors.parameterInvalid(
        `metric type ${metric} not found or not supported, supported: [${allowed.join(' ')}]`,
      );
    }
    return metric as Metric;
  }

  private decodeQueries(
    field: FieldSchema,
    vectors: SearchVectors,
    dim: number,
  ): { queries: Float32Array | Uint8Array; nq: number } {
    const expected = field.dataType;
    if (vectors.type !== expected) {
      throw errors.parameterInvalid(
        `vector type must be the same, field ${field.name} - type ${dataTypeName(expected)}, search info type ${dataTypeName(vectors.type)}`,
      );
    }
    const nq = vectors.values.length;
    if (nq === 0)
      throw errors.parameterInvalid(
        'nq [0] is invalid, nq (number of search vector per search request) should be in range [1, 16384]',
      );
    if (expected === DataType.BinaryVector) {
      const bytes = dim / 8;
      const queries = new Uint8Array(nq * bytes);
      vectors.values.forEach((value, i) => {
        if (value.length !== bytes)
          throw errors.parameterInvalid(
            `the dim (${value.length * 8}) of field data(${field.name}) is not equal to schema dim (${dim})`,
          );
        queries.set(value, i * bytes);
      });
      return { queries, nq };
    }
    const width = expected === DataType.FloatVector ? 4 : 2;
    const queries = new Float32Array(nq * dim);
    vectors.values.forEach((value, i) => {
      if (value.length !== dim * width) {
        throw errors.parameterInvalid(
          `the dim (${value.length / width}) of field data(${field.name}) is not equal to schema dim (${dim})`,
        );
      }
      const copy = new Uint8Array(value);
      if (width === 4) {
        queries.set(new Float32Array(copy.buffer, 0, dim), i * dim);
      } else {
        const bits = new Uint16Array(copy.buffer, 0, dim);
        this.kernels ??= DistanceKernels.load();
        const floats =
          expected === DataType.Float16Vector
            ? this.kernels.float16ToFloat32(bits)
            : this.kernels.bfloat16ToFloat32(bits);
        queries.set(floats, i * dim);
      }
    });
    for (let i = 0; i < queries.length; i++) {
      const v = queries[i]!;
      if (v - v !== 0) throw errors.uncoded(`value '${v}' is not a number or infinity`);
    }
    return { queries, nq };
  }
}
