import { okStatus } from '../../../errors/index.js';
import type { IndexInfo } from '../../../service/catalog/catalog-model.js';
import { keyValuesToRecord, recordToKeyValues, type WireKeyValue } from '../codec/key-value.js';
import type { HandlerFamily } from './rpc-handler.js';

interface IndexRequest {
  collection_name: string;
  field_name?: string;
  index_name?: string;
  extra_params?: WireKeyValue[];
}

/** The params DescribeIndex reports: index_type, metric_type and the build params as JSON. */
function describeParams(index: IndexInfo): WireKeyValue[] {
  const params: Record<string, string> = { index_type: index.indexType };
  if (index.metricType) params.metric_type = index.metricType;
  if (Object.keys(index.params).length > 0) params.params = JSON.stringify(index.params);
  return recordToKeyValues(params);
}

export const indexHandlers: HandlerFamily = (service) => ({
  CreateIndex: async (request: IndexRequest, context) => {
    await service.indexes.createIndex(context, {
      collectionName: request.collection_name,
      fieldName: request.field_name ?? '',
      indexName: request.index_name ?? '',
      extraParams: keyValuesToRecord(request.extra_params),
    });
    return okStatus;
  },

  DescribeIndex: (request: IndexRequest, context) => {
    const { collection, indexes } = service.indexes.describeIndexes(
      context,
      request.collection_name,
      request.field_name ?? '',
      request.index_name ?? '',
    );
    const total = service.data.rowCount(collection);
    return {
      status: okStatus,
      index_descriptions: indexes.map((index) => {
        const progress = service.indexes.buildProgress(collection, index, total);
        return {
          index_name: index.name,
          indexID: String(index.id),
          params: describeParams(index),
          field_name: index.fieldName,
          indexed_rows: String(progress.indexedRows),
          total_rows: String(progress.totalRows),
          state: progress.state,
          index_state_fail_reason: progress.failReason,
          pending_index_rows: String(progress.pendingRows),
          min_index_version: 0,
          max_index_version: 0,
        };
      }),
    };
  },

  DropIndex: async (request: IndexRequest, context) => {
    await service.indexes.dropIndex(
      context,
      request.collection_name,
      request.field_name ?? '',
      request.index_name ?? '',
    );
    return okStatus;
  },

  GetIndexState: (request: IndexRequest, context) => {
    const { collection, indexes } = service.indexes.describeIndexes(
      context,
      request.collection_name,
      request.field_name ?? '',
      request.index_name ?? '',
    );
    const progress = service.indexes.buildProgress(
      collection,
      indexes[0]!,
      service.data.rowCount(collection),
    );
    return { status: okStatus, state: progress.state, fail_reason: progress.failReason };
  },

  GetIndexBuildProgress: (request: IndexRequest, context) => {
    const { collection, indexes } = service.indexes.describeIndexes(
      context,
      request.collection_name,
      request.field_name ?? '',
      request.index_name ?? '',
    );
    const progress = service.indexes.buildProgress(
      collection,
      indexes[0]!,
      service.data.rowCount(collection),
    );
    return {
      status: okStatus,
      indexed_rows: String(progress.indexedRows),
      total_rows: String(progress.totalRows),
    };
  },
});
