import type { RowRef } from '../engine/collection/collection-data.js';
import { projectRows } from '../engine/exec/project-rows.js';
import { bm25Search } from '../engine/search/bm25-search.js';
import { GROUPABLE_TYPES } from '../engine/search/group-key.js';
import type { SparseIndexCache } from '../engine/search/sparse-index-cache.js';
import { sparseSearch } from '../engine/search/sparse-search.js';
import type { KnnHit, VectorSearcher } from '../engine/search/vector-search.js';
import { emptyColumn } from '../engine/segment/column-ops.js';
import type { StorageEngine } from '../engine/storage-engine.js';
import { errors } from '../errors/index.js';
import type { TemplateValues } from '../expr/index.js';
import type { Metric } from '../kernels/distance/metric.js';
import type { SparseAlgorithm } from '../kernels/sparse/sparse-inverted-index.js';
import {
  type Column,
  DataType,
  dataTypeName,
  type FieldSchema,
  isVectorType,
  primaryField,
  type SparseVector,
} from '../schema/index.js';
import { bm25TermFrequencies } from './bm25-function.js';
import type { Catalog } from './catalog/catalog.js';
import type { CollectionInfo, IndexInfo } from './catalog/catalog-model.js';
import type { LoadService } from './load-service.js';
import {
  compileRequestFilter,
  MAX_QUERY_RESULT_WINDOW,
  pickDynamicKeys,
  type QueryOutput,
  resolveOutputFields,
} from './query-service.js';
import type { RequestContext } from './request-context.js';
import { resolveAnnSearch } from './vector-index-specs.js';

/** Query vectors as decoded from the placeholder group. */
export interface SearchVectors {
  type: DataType;
  /** One entry per query: raw little-endian bytes of one vector. */
  values: Uint8Array[];
  /** SparseFloatVector queries, decoded and checked by the wire codec. */
  sparse?: SparseVector[];
}

export interface SearchRequest {
  collectionName: string;
  partitionNames: readonly string[];
  filter: string;
  templateValues: TemplateValues;
  outputFields: readonly string[];
  params: Record<string, string>;
  /** Query vectors; absent when searching by primary keys. */
  vectors?: SearchVectors;
  /** Search by primary key: the stored vectors of these rows are the queries. */
  ids?: Column;
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
  /** The metric the hits were scored with (BM25 for full-text search). */
  metric: Metric | 'BM25';
  /** Grouping search: the group field and each returned hit's value of it. */
  groupBy?: { field: FieldSchema; column: Column };
}

/** Milvus's default cap on group_size (queryNode.maxGroupSize... proxy.maxGroupSize = 1024). */
const MAX_GROUP_SIZE = 1024;
/** Milvus's cap on queries per search request (quotaAndLimits.limits.maxNQ). */
const MAX_NQ = 16_384;

const floatMetrics = ['L2', 'IP', 'COSINE'];
const binaryMetrics = ['HAMMING', 'JACCARD'];

/** topk (limit) and offset against the result window, with Milvus's messages. */
export function validateResultWindow(topK: number, offset: number, maxResultWindow: number): void {
  if (topK <= 0 || topK > maxResultWindow) {
    throw errors.parameterInvalid(
      `topk [${topK}] is invalid, it should be in range [1, ${maxResultWindow}], but got ${topK}`,
    );
  }
  if (offset < 0 || offset + topK > maxResultWindow) {
    throw errors.parameterInvalid(
      `(offset+limit) should be in range [1, ${maxResultWindow}], but got ${offset + topK}`,
    );
  }
}

/** An integer request parameter (given as text), or `fallback` when absent. */
export function integerParam(params: Record<string, string>, name: string, fallback: number): number {
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

/**
 * The response of a search (or hybrid search) from its hits: scores rounded as asked, the primary
 * key and the output fields projected from the hit rows, output names as Milvus lists them.
 */
export function searchResult(
  collection: CollectionInfo,
  metric: Metric | 'BM25',
  topK: number,
  perQuery: KnnHit[][],
  outputFields: readonly string[],
  roundDecimal: number,
): SearchResult {
  const refs = perQuery.flat().map((hit) => hit.ref);
  const round = (score: number) => (roundDecimal < 0 ? score : Number(score.toFixed(roundDecimal)));
  const pk = primaryField(collection.schema);
  // Milvus always returns the primary key among the output fields (the Node SDK reads it there).
  const resolved = resolveOutputFields(collection, outputFields);
  const outputs = resolved.fields.map((f) => ({
    field: f,
    column:
      f.isDynamic && resolved.dynamicKeys
        ? pickDynamicKeys(projectRows(refs, f.name), resolved.dynamicKeys, refs.length)
        : (projectRows(refs, f.name) ?? emptyColumn(f, 0, 'zero')),
  }));
  return {
    collection,
    nq: perQuery.length,
    topK,
    metric,
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

const sparseAlgorithms: Record<string, SparseAlgorithm> = {
  TAAT_NAIVE: 'taat',
  DAAT_WAND: 'wand',
  DAAT_MAXSCORE: 'maxscore',
};

/**
 * How a declared sparse index searches: SPARSE_WAND walks with WAND; SPARSE_INVERTED_INDEX with its
 * inverted_index_algo (DAAT_MAXSCORE by default, as Milvus 2.5+); drop_ratio_build from the index.
 */
function sparseIndexOf(
  index: IndexInfo | undefined,
): { algorithm: SparseAlgorithm; dropRatioBuild: number } | undefined {
  if (!index || !['SPARSE_INVERTED_INDEX', 'SPARSE_WAND', 'AUTOINDEX'].includes(index.indexType))
    return undefined;
  const algorithm =
    index.indexType === 'SPARSE_WAND'
      ? 'wand'
      : (sparseAlgorithms[(index.params.inverted_index_algo ?? 'DAAT_MAXSCORE').toUpperCase()] ?? 'maxscore');
  return { algorithm, dropRatioBuild: Number(index.params.drop_ratio_build ?? 0) || 0 };
}

/** Vector search use-case: Milvus's parameters and checks, then exact search on the worker pool. */
export class SearchService {
  constructor(
    private readonly catalog: Catalog,
    private readonly engine: StorageEngine,
    private readonly loads: LoadService,
    private readonly searcher: VectorSearcher,
    readonly maxResultWindow = MAX_QUERY_RESULT_WINDOW,
    private readonly sparseIndexes?: SparseIndexCache,
  ) {}

  async search(ctx: RequestContext, request: SearchRequest): Promise<SearchResult> {
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
          request.ids
            ? 'anns_field is required for search by IDs'
            : 'multiple anns_fields exist, please specify a anns_field in search_params',
        );
      throw errors.uncoded(`failed to get field schema by name: fieldName(${annsName}) not found`);
    }
    if (!isVectorType(field.dataType))
      throw errors.uncoded(`field (${field.name}) to search is not of vector data type`);
    if (field.dataType === DataType.SparseFloatVector)
      return this.sparseSearch(request, collection, field, all);
    if (field.dataType === DataType.Int8Vector) {
      throw errors.operationNotSupported(
        `search on ${dataTypeName(field.dataType)} fields is not supported by Quiver yet`,
      );
    }
    const topK = integerParam(request.params, 'topk', integerParam(request.params, 'limit', 10));
    const offset = integerParam(request.params, 'offset', 0);
    validateResultWindow(topK, offset, this.maxResultWindow);
    const metric = this.resolveMetric(collection, field, String(all.metric_type ?? '').toUpperCase());
    const dim = Number(field.typeParams.dim);
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
    const groupBy = this.resolveGroupBy(collection, all);
    if (groupBy && range) {
      throw errors.parameterInvalid('Not allowed to do range-search when doing search-group-by');
    }
    const roundDecimal = integerParam(request.params, 'round_decimal', -1);
    const partitionIds = this.loads.readablePartitions(collection, request.partitionNames);
    const filter = compileRequestFilter(request.filter, schema, request.templateValues, 'query');
    const data = this.engine.collection(collection.id);
    const readTs = this.engine.lastAppliedTimestamp;
    const vectors = request.ids
      ? this.vectorsOfKeys(collection, field, request.ids, request.vectors, partitionIds)
      : request.vectors;
    if (!vectors) throw errors.parameterInvalid('placeholder group is empty');
    const { queries, nq } = this.decodeQueries(field, vectors, dim);
    const found = await this.searcher.search(data, {
      collectionId: collection.id,
      fieldName: field.name,
      metric,
      queries,
      nq,
      dim,
      k: offset + topK,
      filter,
      readTs,
      partitionIds,
      range,
      ignoreGrowing: String(all.ignore_growing ?? '').toLowerCase() === 'true',
      annParams: resolveAnnSearch(
        (collection.indexes ?? []).find((i) => i.fieldName === field.name),
        field,
        all,
        offset + topK,
      ),
      groupBy: groupBy && { field: groupBy.field.name, groupSize: groupBy.groupSize, offset },
      indexesOf: (segment) => this.engine.scalarIndexes.indexesOf(segment),
    });
    // Grouping applies the offset to groups; otherwise it skips the first hits.
    const perQuery = groupBy ? found.hits : found.hits.map((hits) => hits.slice(offset));
    const result = searchResult(collection, metric, topK, perQuery, request.outputFields, roundDecimal);
    if (groupBy) {
      const refs = perQuery.flat().map((hit) => hit.ref);
      result.groupBy = {
        field: groupBy.field,
        column: projectRows(refs, groupBy.field.name) ?? emptyColumn(groupBy.field, 0, 'zero'),
      };
    }
    return result;
  }

  /**
   * SparseFloatVector fields: exact inner-product search (the IP metric only, as Milvus), with
   * drop_ratio_search; rows sharing no dimension with a query are not hits.
   */
  private async sparseSearch(
    request: SearchRequest,
    collection: CollectionInfo,
    field: FieldSchema,
    all: Record<string, unknown>,
  ): Promise<SearchResult> {
    const topK = integerParam(request.params, 'topk', integerParam(request.params, 'limit', 10));
    const offset = integerParam(request.params, 'offset', 0);
    validateResultWindow(topK, offset, this.maxResultWindow);
    const requested = String(all.metric_type ?? '').toUpperCase();
    const index = (collection.indexes ?? []).find((i) => i.fieldName === field.name);
    const roundDecimal = integerParam(request.params, 'round_decimal', -1);
    const partitionIds = this.loads.readablePartitions(collection, request.partitionNames);
    const filter = compileRequestFilter(request.filter, collection.schema, request.templateValues, 'query');
    const bm25 = collection.schema.functions.find(
      (fn) => fn.type === 'BM25' && fn.outputFieldNames.includes(field.name),
    );
    if (request.vectors?.type === DataType.VarChar) {
      // Full-text search: the query texts go through the same analyzer and hashing as the rows.
      if (!bm25) {
        throw errors.parameterInvalid(
          `field ${field.name} is not the output of a BM25 function, so it cannot be searched with text`,
        );
      }
      const metric = requested || index?.metricType || 'BM25';
      if (metric !== 'BM25') {
        throw errors.parameterInvalid(`metric type ${metric} not found or not supported, supported: [BM25]`);
      }
      const decoder = new TextDecoder();
      const number = (value: string | undefined, fallback: number) =>
        value === undefined || value === '' ? fallback : Number(value);
      const hits = bm25Search(this.engine.collection(collection.id), {
        fieldName: field.name,
        queries: request.vectors.values.map((bytes) =>
          bm25TermFrequencies(
            decoder.decode(bytes),
            collection.schema.fields.find((f) => f.name === bm25.inputFieldNames[0]),
          ),
        ),
        k: offset + topK,
        k1: number(index?.params.bm25_k1, 1.2),
        b: number(index?.params.bm25_b, 0.75),
        algorithm: sparseIndexOf(index)?.algorithm,
        sparseIndexes: this.sparseIndexes,
        filter,
        readTs: this.engine.lastAppliedTimestamp,
        partitionIds,
        indexesOf: (segment) => this.engine.scalarIndexes.indexesOf(segment),
      }).map((perQuery) => perQuery.slice(offset));
      return searchResult(collection, 'BM25', topK, hits, request.outputFields, roundDecimal);
    }
    const metric = requested || (index?.metricType === 'BM25' ? '' : index?.metricType) || 'IP';
    if (metric !== 'IP') {
      throw errors.parameterInvalid(`metric type ${metric} not found or not supported, supported: [IP]`);
    }
    if (all.radius !== undefined || all.group_by_field) {
      throw errors.operationNotSupported(
        'range search and group by on sparse vectors are not supported by Quiver yet',
      );
    }
    if (request.ids)
      throw errors.operationNotSupported(
        'search by primary key on sparse vectors is not supported by Quiver yet',
      );
    const vectors = request.vectors;
    if (!vectors || vectors.type !== DataType.SparseFloatVector || !vectors.sparse) {
      throw errors.parameterInvalid(
        `vector type must be the same, field ${field.name} - type ${dataTypeName(field.dataType)}, search info type ${dataTypeName(vectors?.type ?? DataType.None)}`,
      );
    }
    const dropRatio = all.drop_ratio_search === undefined ? 0 : Number(all.drop_ratio_search);
    if (!(dropRatio >= 0 && dropRatio < 1)) {
      throw errors.parameterInvalid(
        `drop_ratio_search [${String(all.drop_ratio_search)}] should be in range [0, 1)`,
      );
    }
    const hits = sparseSearch(this.engine.collection(collection.id), {
      fieldName: field.name,
      queries: vectors.sparse,
      k: offset + topK,
      filter,
      readTs: this.engine.lastAppliedTimestamp,
      partitionIds,
      dropRatioSearch: dropRatio,
      indexesOf: (segment) => this.engine.scalarIndexes.indexesOf(segment),
      index: sparseIndexOf(index),
      sparseIndexes: this.sparseIndexes,
    }).map((perQuery) => perQuery.slice(offset));
    return searchResult(collection, 'IP', topK, hits, request.outputFields, roundDecimal);
  }

  /** group_by_field, group_size and strict_group_size, checked as Milvus checks them. */
  private resolveGroupBy(
    collection: CollectionInfo,
    all: Record<string, unknown>,
  ): { field: FieldSchema; groupSize: number } | undefined {
    const name = String(all.group_by_field ?? '');
    if (name === '') return undefined;
    const field = collection.schema.fields.find((f) => f.name === name);
    if (!field) throw errors.fieldNotFound(name, 'groupBy field not found in schema');
    if (!GROUPABLE_TYPES.has(field.dataType)) {
      throw errors.parameterInvalid(
        `group by field ${name} has type ${dataTypeName(field.dataType)}, which is not supported: group by works on Bool, Int8, Int16, Int32, Int64 and VarChar fields`,
      );
    }
    const groupSizeText = String(all.group_size ?? '');
    const groupSize = groupSizeText === '' ? 1 : Number(groupSizeText);
    if (!Number.isInteger(groupSize) || groupSize <= 0) {
      throw errors.parameterInvalid(
        `group_size [${groupSizeText}] is invalid, it must be a positive integer`,
      );
    }
    if (groupSize > MAX_GROUP_SIZE) {
      throw errors.parameterInvalid(
        `input group size:${groupSize} exceeds configured max group size:${MAX_GROUP_SIZE}`,
      );
    }
    // strict_group_size asks Milvus to keep searching until groups are full; an exact search always
    // fills every group as far as the data allows, so both settings give the same (complete) answer.
    return { field, groupSize };
  }

  /** Search by primary key: the stored vectors of the given keys, in the order given. */
  private vectorsOfKeys(
    collection: CollectionInfo,
    field: FieldSchema,
    ids: Column,
    placeholder: SearchVectors | undefined,
    partitionIds: ReadonlySet<number>,
  ): SearchVectors {
    if (placeholder && placeholder.values.length > 0) {
      throw errors.parameterInvalid('Either ids or data must be provided, not both');
    }
    const pk = primaryField(collection.schema);
    const keys: Array<bigint | string> =
      ids.type === DataType.Int64 ? Array.from(ids.values) : ids.type === DataType.VarChar ? ids.values : [];
    if (keys.length === 0) throw errors.parameterInvalid('`ids` value [] is illegal');
    if ((pk.dataType === DataType.Int64) !== (ids.type === DataType.Int64)) {
      const pkType = pk.dataType === DataType.Int64 ? 'int64' : 'varchar';
      throw errors.parameterInvalid(`primary key is ${pkType}, but IDs type mismatch`);
    }
    const duplicates = keys.filter((key, i) => keys.indexOf(key) !== i);
    if (duplicates.length > 0) {
      throw errors.parameterInvalid(
        `duplicate primary key IDs to search by: [${[...new Set(duplicates)].join(' ')}]`,
      );
    }
    const data = this.engine.collection(collection.id);
    const readTs = this.engine.lastAppliedTimestamp;
    const refs = keys.map((key) =>
      data.lookup([key], partitionIds).find((ref) => ref.segment.isVisible(ref.row, readTs)),
    );
    const missing = keys.filter((_, i) => refs[i] === undefined);
    if (missing.length > 0) {
      throw errors.parameterInvalid(
        `some of the provided primary key IDs do not exist: missing IDs = [${missing.join(' ')}]`,
      );
    }
    const column = projectRows(refs as RowRef[], field.name);
    if (!column || column.valid?.includes(0)) {
      throw errors.parameterInvalid(`some of the provided primary key IDs have no ${field.name} vector`);
    }
    const values = column.values as Float32Array | Uint16Array | Uint8Array;
    const rowBytes = (values.byteLength / keys.length) | 0;
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    return {
      type: field.dataType,
      values: keys.map((_, i) => bytes.slice(i * rowBytes, (i + 1) * rowBytes)),
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
    if (nq === 0 || nq > MAX_NQ)
      throw errors.parameterInvalid(
        `nq [${nq}] is invalid, nq (number of search vector per search request) should be in range [1, ${MAX_NQ}]`,
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
        const kernels = this.searcher.kernels;
        const floats =
          expected === DataType.Float16Vector
            ? kernels.float16ToFloat32(bits)
            : kernels.bfloat16ToFloat32(bits);
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
