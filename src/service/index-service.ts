import { checkScalarIndexApplicable } from '../engine/scalar-index/check-scalar-index-applicable.js';
import type { VectorIndexManager, VectorIndexProgress } from '../engine/vector-index/vector-index-manager.js';
import { errors } from '../errors/index.js';
import { DataType, isVectorType } from '../schema/index.js';
import type { Catalog } from './catalog/catalog.js';
import type { CollectionInfo, IndexInfo } from './catalog/catalog-model.js';
import type { RequestContext } from './request-context.js';
import { resolveAnnBuild } from './vector-index-specs.js';

/** Vector index types by vector kind, with the metrics each accepts (Milvus 2.5/2.6). */
const floatMetrics = ['L2', 'IP', 'COSINE'];
const vectorIndexTypes: Record<'float' | 'binary' | 'sparse', Record<string, string[]>> = {
  float: {
    FLAT: floatMetrics,
    IVF_FLAT: floatMetrics,
    IVF_SQ8: floatMetrics,
    IVF_PQ: floatMetrics,
    HNSW: floatMetrics,
    AUTOINDEX: floatMetrics,
  },
  binary: {
    BIN_FLAT: ['HAMMING', 'JACCARD', 'SUBSTRUCTURE', 'SUPERSTRUCTURE'],
    BIN_IVF_FLAT: ['HAMMING', 'JACCARD'],
    AUTOINDEX: ['HAMMING', 'JACCARD'],
  },
  sparse: {
    SPARSE_INVERTED_INDEX: ['IP', 'BM25'],
    SPARSE_WAND: ['IP', 'BM25'],
    AUTOINDEX: ['IP', 'BM25'],
  },
};
const defaultMetric = { float: 'COSINE', binary: 'HAMMING', sparse: 'IP' } as const;
/** Index types Milvus has that Quiver does not offer yet; each is its own later issue. */
const plannedIndexTypes = [
  'DISKANN',
  'SCANN',
  'IVF_RABITQ',
  'GPU_CAGRA',
  'GPU_IVF_FLAT',
  'GPU_IVF_PQ',
  'GPU_BRUTE_FORCE',
];

function vectorKind(type: DataType): 'float' | 'binary' | 'sparse' {
  if (type === DataType.BinaryVector) return 'binary';
  if (type === DataType.SparseFloatVector) return 'sparse';
  return 'float';
}

export interface CreateIndexRequest {
  collectionName: string;
  fieldName: string;
  indexName: string;
  /** extra_params: index_type, metric_type, params (JSON), and build parameters flattened. */
  extraParams: Record<string, string>;
}

/** CreateIndex / DescribeIndex / DropIndex with Milvus's parameter handling and validation. */
export class IndexService {
  constructor(
    private readonly catalog: Catalog,
    private readonly vectorIndexes?: VectorIndexManager,
  ) {}

  /**
   * Build progress as DescribeIndex reports it. ANN indexes count the rows of sealed segments whose
   * index is ready (growing segments are searched exactly and are not counted, as in Milvus);
   * scalar indexes and exact vector indexes (FLAT, BIN_FLAT) answer every row at once.
   */
  buildProgress(collection: CollectionInfo, index: IndexInfo, totalRows: number): VectorIndexProgress {
    const field = collection.schema.fields.find((f) => f.name === index.fieldName);
    if (this.vectorIndexes && field && isVectorType(field.dataType)) {
      if (resolveAnnBuild(index.indexType, index.metricType, index.params, field)) {
        return this.vectorIndexes.progress(collection.id, field.name);
      }
    }
    return { indexedRows: totalRows, totalRows, pendingRows: 0, state: 'Finished', failReason: '' };
  }

  async createIndex(ctx: RequestContext, request: CreateIndexRequest): Promise<IndexInfo> {
    const collection = this.catalog.getCollection(ctx.dbName, request.collectionName);
    const field = collection.schema.fields.find((f) => f.name === request.fieldName && !f.isDynamic);
    if (!field) throw errors.uncoded(`cannot create index on non-exist field: ${request.fieldName}`);
    const params = parseBuildParams(request.extraParams);
    const indexType = (params.index_type ?? '').trim() || 'AUTOINDEX';
    const metricType = (params.metric_type ?? '').trim().toUpperCase();
    delete params.index_type;
    delete params.metric_type;
    if (plannedIndexTypes.includes(indexType.toUpperCase())) {
      throw errors.indexNotSupported(
        indexType,
        `index type ${indexType} is not available in Quiver yet (see docs/COMPATIBILITY.md)`,
      );
    }
    let resolvedMetric = '';
    if (isVectorType(field.dataType)) {
      const kind = vectorKind(field.dataType);
      const metrics = vectorIndexTypes[kind][indexType];
      if (!metrics) throw errors.parameterInvalid(`invalid index type: ${indexType}`);
      resolvedMetric = metricType || (indexType === 'AUTOINDEX' ? defaultMetric[kind] : '');
      if (!resolvedMetric) throw errors.parameterInvalid('metric type not set for vector index');
      if (!metrics.includes(resolvedMetric)) {
        throw errors.parameterInvalid(
          `metric type ${resolvedMetric} not found or not supported, supported: [${metrics.join(' ')}]`,
        );
      }
      // Build parameters are checked now, with knowhere's messages, not when a segment is built.
      resolveAnnBuild(indexType, resolvedMetric, params, field);
    } else {
      checkScalarIndexApplicable(indexType, field, params);
    }
    return this.catalog.createIndex(ctx.dbName, request.collectionName, {
      name: request.indexName || `_default_idx_${field.fieldId}`,
      fieldName: field.name,
      fieldId: field.fieldId,
      indexType,
      metricType: resolvedMetric,
      params,
    });
  }

  describeIndexes(
    ctx: RequestContext,
    collectionName: string,
    fieldName: string,
    indexName: string,
  ): {
    collection: CollectionInfo;
    indexes: IndexInfo[];
  } {
    const collection = this.catalog.getCollection(ctx.dbName, collectionName);
    const indexes = (collection.indexes ?? []).filter(
      (i) => (indexName === '' || i.name === indexName) && (fieldName === '' || i.fieldName === fieldName),
    );
    if (indexes.length === 0) throw errors.indexNotFound(collection.name);
    return { collection, indexes };
  }

  dropIndex(
    ctx: RequestContext,
    collectionName: string,
    fieldName: string,
    indexName: string,
  ): Promise<void> {
    return this.catalog.dropIndex(ctx.dbName, collectionName, fieldName, indexName);
  }
}

/** `params` (a JSON object) merged with flattened keys; every value as a string. */
export function parseBuildParams(extra: Record<string, string>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries(extra)) {
    if (key !== 'params') merged[key] = value;
  }
  if (extra.params) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(extra.params);
    } catch {
      throw errors.parameterInvalid(`index params are not valid JSON: ${extra.params}`);
    }
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [key, value] of Object.entries(parsed))
        merged[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return merged;
}
